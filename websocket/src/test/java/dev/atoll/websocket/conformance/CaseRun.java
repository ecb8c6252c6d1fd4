package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a case: opens its connections through the {@link Connector}, knows the time left,
 * and closes every connection when the case ends or runs out of time.
 */
public final class CaseRun implements AutoCloseable {

    private final Connector connector;
    private final long deadline;
    private final List<AutoCloseable> open = new ArrayList<>();

    CaseRun(Connector connector, Duration limit) {
        this.connector = connector;
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    /** {@return the side the suite plays} */
    public Role role() {
        return connector.role();
    }

    /** {@return the time left, never negative} */
    public Duration left() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** {@return the time left, at most {@code cap}} */
    public Duration left(Duration cap) {
        Duration left = left();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /** Opens a connection without extensions. */
    public Peer open() throws IOException, Connector.HandshakeException {
        return open(List.of());
    }

    /** Opens a connection offering permessage-deflate, the first offer preferred. */
    public Peer open(List<DeflateOffer> offers) throws IOException, Connector.HandshakeException {
        return track(connector.open(offers, left()));
    }

    /** {@return the suite as a client, for cases of the client's handshake} */
    public FuzzingClient client() {
        return (FuzzingClient) connector;
    }

    /** {@return the suite as a server, for cases of the server's handshake} */
    public FuzzingServer server() {
        return (FuzzingServer) connector;
    }

    /** Closes the connection with the case. */
    public <T extends AutoCloseable> T track(T connection) {
        synchronized (open) {
            open.add(connection);
        }
        return connection;
    }

    /** Closes every connection the case opened. */
    @Override
    public void close() {
        synchronized (open) {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing what the peer may already have closed
                }
            }
            open.clear();
        }
    }
}
