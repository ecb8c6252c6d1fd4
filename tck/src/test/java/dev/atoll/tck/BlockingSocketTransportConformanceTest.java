package dev.atoll.tck;

import com.example.blocking.BlockingSocketTransport;

/** The TCK passes the small, correct transport of the third-party example: every rule, one by one. */
class BlockingSocketTransportConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.of(BlockingSocketTransport::new, Capability.PLAIN_TCP);
    }
}
