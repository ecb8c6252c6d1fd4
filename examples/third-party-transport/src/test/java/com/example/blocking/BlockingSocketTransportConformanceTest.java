package com.example.blocking;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;

/** Atoll's whole TCK against this transport, found by name through ServiceLoader. */
class BlockingSocketTransportConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.named("blocking", Capability.PLAIN_TCP);
    }
}
