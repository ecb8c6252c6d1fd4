package dev.atoll.tck;

import com.example.blocking.BlockingSocketTransport;

/** The TCK passes the small, correct transport of the third-party example: every rule, one by one. */
class BlockingSocketTransportConformanceTest extends TransportTck {

    /** Everything of a plain TCP transport but send timeouts, which a blocking socket's write cannot have. */
    static final java.util.Set<Capability> BLOCKING_CLAIMS = java.util.EnumSet.of(Capability.SENDFILE,
            Capability.HALF_CLOSE, Capability.IPV6);

    @Override
    protected TckSubject subject() {
        return TckSubject.of(BlockingSocketTransport::new, BLOCKING_CLAIMS);
    }
}
