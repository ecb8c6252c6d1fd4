package dev.atoll.transport.jsse;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;
import dev.atoll.transport.Transports;

/** The whole TCK, plain and TLS parts, against jsse over nio, with JDK SSLSocket and openssl as peers. */
class JsseConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.secure(config -> new JsseTransport(config, Transports.named("nio")),
                () -> Transports.named("nio"), Capability.TLS_OVER_TCP);
    }
}
