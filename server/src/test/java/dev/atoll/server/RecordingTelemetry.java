package dev.atoll.server;

import dev.atoll.transport.SocketStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event a server reports, in order, as short strings and the objects themselves. */
final class RecordingTelemetry implements Telemetry {

    record Stopped(ConnectionInfo connection, SocketStats stats, Throwable failure) {
    }

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> started = new CopyOnWriteArrayList<>();
    final List<Stopped> stopped = new CopyOnWriteArrayList<>();
    final List<IOException> handshakeFailures = new CopyOnWriteArrayList<>();
    final List<IOException> acceptFailures = new CopyOnWriteArrayList<>();
    final List<Duration> acceptBackoffs = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    final List<java.util.Optional<dev.atoll.transport.tls.TlsSession>> tlsSessions = new CopyOnWriteArrayList<>();

    @Override
    public void listenerStarted(InetSocketAddress address) {
        events.add("listener started " + address.getPort());
    }

    @Override
    public void listenerStopped(InetSocketAddress address) {
        events.add("listener stopped " + address.getPort());
    }

    @Override
    public void connectionStarted(ConnectionInfo connection) {
        started.add(connection.id());
        events.add("start " + connection.id());
    }

    @Override
    public void handshakeCompleted(ConnectionInfo connection, Duration took, java.util.Optional<dev.atoll.transport.tls.TlsSession> tls) {
        tlsSessions.add(tls);
        events.add("handshake " + connection.id());
    }

    @Override
    public void handshakeFailed(ConnectionInfo connection, Duration took, IOException cause) {
        handshakeFailures.add(cause);
        events.add("handshake failed " + connection.id());
    }

    @Override
    public void connectionStopped(ConnectionInfo connection, Duration lifetime, SocketStats stats, Throwable failure) {
        stopped.add(new Stopped(connection, stats, failure));
        events.add("stop " + connection.id());
    }

    @Override
    public void connectionRefused(InetSocketAddress peer, String reason) {
        refused.add(reason);
        events.add("refused");
    }

    @Override
    public void acceptFailed(InetSocketAddress listener, IOException cause, Duration backoff) {
        acceptFailures.add(cause);
        acceptBackoffs.add(backoff);
        events.add("accept failed");
    }

    /** @return the stopped connections in the order they were accepted (threads report in any order) */
    List<Stopped> stoppedInOrder() {
        return stopped.stream().sorted((a, b) -> Long.compare(a.connection().id(), b.connection().id())).toList();
    }

    /** Waits until {@code n} connections have stopped. */
    void awaitStopped(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (stopped.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + stopped.size() + " of " + n + " connections stopped: " + events);
            }
            Thread.sleep(10);
        }
    }
}
