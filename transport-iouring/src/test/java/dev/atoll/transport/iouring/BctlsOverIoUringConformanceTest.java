package dev.atoll.transport.iouring;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;
import dev.atoll.transport.bctls.BctlsTransport;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/** bctls layered over iouring runs the whole TCK unchanged (Bouncy Castle has no half-close to claim). */
class BctlsOverIoUringConformanceTest extends TransportTck {

    private static IoUringTransport iouring;

    @Override
    protected TckSubject subject() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
        iouring = new IoUringTransport(2);
        return TckSubject.secure(config -> new BctlsTransport(config, iouring), () -> iouring,
                EnumSet.of(Capability.SENDFILE, Capability.IPV6, Capability.SEND_TIMEOUT, Capability.TLS, Capability.UPGRADE));
    }

    @AfterAll
    static void stopEventLoops() {
        if (iouring != null) {
            iouring.close();
        }
    }
}
