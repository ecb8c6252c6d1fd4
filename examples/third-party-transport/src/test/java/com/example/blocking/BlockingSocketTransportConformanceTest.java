package com.example.blocking;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;

/** Atoll's whole TCK against this transport, found by name through ServiceLoader. */
class BlockingSocketTransportConformanceTest extends TransportTck {

    /** Everything of a plain TCP transport but send timeouts, which a blocking socket's write cannot have. */
    static final java.util.Set<Capability> BLOCKING_CLAIMS = java.util.EnumSet.of(Capability.SENDFILE,
            Capability.HALF_CLOSE, Capability.IPV6);

    @Override
    protected TckSubject subject() {
        return TckSubject.named("blocking", BLOCKING_CLAIMS);
    }
}
