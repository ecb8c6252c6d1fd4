package dev.atoll.transport.iouring;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;
import dev.atoll.transport.bctls.BctlsTransport;
import java.util.EnumSet;
import org.junit.jupiter.api.Assumptions;

/** bctls layered over iouring runs the whole TCK unchanged (Bouncy Castle has no half-close to claim). */
class BctlsOverIoUringConformanceTest extends TransportTck {

    private IoUringTransport iouring;

    @Override
    protected TckSubject subject() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
        iouring = new IoUringTransport(2);
        return TckSubject.secure(config -> new BctlsTransport(config, iouring), () -> iouring,
                EnumSet.of(Capability.SENDFILE, Capability.IPV6, Capability.SEND_TIMEOUT, Capability.TLS, Capability.UPGRADE));
    }

    @Override
    protected void afterRun() {
        if (iouring != null) {
            iouring.close();
        }
    }
}
