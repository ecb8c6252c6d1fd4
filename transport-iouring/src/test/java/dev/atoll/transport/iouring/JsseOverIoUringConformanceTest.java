package dev.atoll.transport.iouring;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;
import dev.atoll.transport.jsse.JsseTransport;
import org.junit.jupiter.api.Assumptions;

/** TLS over io_uring is configuration, not code: jsse layered over iouring runs the whole TCK unchanged. */
class JsseOverIoUringConformanceTest extends TransportTck {

    private IoUringTransport iouring;

    @Override
    protected TckSubject subject() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
        iouring = new IoUringTransport(2);
        return TckSubject.secure(config -> new JsseTransport(config, iouring), () -> iouring, Capability.TLS_OVER_TCP);
    }

    @Override
    protected void afterRun() {
        if (iouring != null) {
            iouring.close();
        }
    }
}
