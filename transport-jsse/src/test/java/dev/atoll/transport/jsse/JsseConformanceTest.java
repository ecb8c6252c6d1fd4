package dev.atoll.transport.jsse;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;

/**
 * The whole TCK, plain and TLS parts, against jsse over nio (found by name through
 * ServiceLoader), with JDK SSLSocket and openssl as independent peers.
 */
class JsseConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.named("jsse", Capability.TLS_OVER_TCP);
    }
}
