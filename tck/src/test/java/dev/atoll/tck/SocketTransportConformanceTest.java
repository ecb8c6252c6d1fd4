package dev.atoll.tck;

/** The TCK passes its own small, correct transport: every rule, reported one by one. */
class SocketTransportConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.of(SocketTransport::new, Capability.PLAIN_TCP);
    }
}
