package dev.atoll.transport.nio;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;

/** The whole TCK against the nio transport, found by its name through ServiceLoader. */
class NioConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.named("nio", Capability.PLAIN_TCP);
    }
}
