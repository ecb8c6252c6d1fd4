package dev.atoll.transport.iouring;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;
import dev.atoll.transport.Transports;
import org.junit.jupiter.api.Assumptions;

/** The whole plain TCK against iouring; skipped, with Netty's reason, where io_uring cannot run. */
class IoUringConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
        return TckSubject.named("iouring", Capability.PLAIN_TCP);
    }
}
