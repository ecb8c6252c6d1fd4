package dev.atoll.server;

import dev.atoll.transport.Connection;
import dev.atoll.transport.SocketStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's side of one connection, given to its handler: who the client is, the signal that
 * the server is stopping, and the connection's place under the server's limit.
 */
public final class ConnectionContext {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final Server server;
    private final long id;
    private volatile Connection connection;
    private final InetSocketAddress socketPeer;
    private final InetSocketAddress local;
    private volatile ProxyHeader proxyHeader;
    private final Instant since = Instant.now();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> onStop = new ArrayList<>();
    private boolean stopping;
    private final AtomicBoolean counted;
    private volatile Throwable failure;
    private volatile Thread thread;

    ConnectionContext(Server server, long id, Connection connection, InetSocketAddress peer, InetSocketAddress local,
                      boolean counted) {
        this.server = server;
        this.id = id;
        this.connection = connection;
        this.socketPeer = peer;
        this.local = local;
        this.counted = new AtomicBoolean(counted);
    }

    /** {@return a number unique within the server, in the order connections were accepted} */
    public long id() {
        return id;
    }

    /**
     * {@return the client's address: the source of the connection's PROXY header when it has one
     *         that names a client, otherwise the socket's peer}
     */
    public InetSocketAddress peer() {
        ProxyHeader header = proxyHeader;
        return header != null && header.command() == ProxyHeader.Command.PROXY && header.source().isPresent()
                ? header.source().get() : socketPeer;
    }

    /** {@return the socket's own peer: the proxy, when the connection came through one} */
    public InetSocketAddress socketPeer() {
        return socketPeer;
    }

    /** {@return the connection's PROXY protocol header, when the server expects one} */
    public java.util.Optional<ProxyHeader> proxyHeader() {
        return java.util.Optional.ofNullable(proxyHeader);
    }

    void proxied(ProxyHeader header) {
        this.proxyHeader = header;
    }

    /** {@return the server's address of this connection} */
    public InetSocketAddress local() {
        return local;
    }

    /** {@return when the connection was accepted} */
    public Instant since() {
        return since;
    }

    /**
     * Whether the server is stopping: a handler between two requests should finish in order (an
     * HTTP server answers with {@code Connection: close}, an SMTP server with 421). The server
     * closes connections still open when its drain time is over.
     *
     * @return {@code true} once {@link Server#stop} began
     */
    public boolean stopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} once, on the stopping thread, when the server begins to stop (at once
     * on this thread if it already has): the way for a handler blocked in a long receive to learn
     * of the stop without an interrupt, for instance by a flag its protocol checks or by
     * {@code connection.shutdown(ShutdownHow.READ)}, which ends a waiting receive with an end of
     * stream while the handler can still send its goodbye. An action must not block.
     *
     * @param action what to do
     */
    public void onStop(Runnable action) {
        lock.lock();
        try {
            if (!stopping) {
                onStop.add(action);
                return;
            }
        } finally {
            lock.unlock();
        }
        runStopAction(action);
    }

    /**
     * Takes this connection out of the count of {@link ServerConfig#maxConnections()} (Ranch's
     * {@code remove_connection}), as for a long-lived connection such as a WebSocket that
     * should not hold a place meant for short requests. It stays one of
     * {@link Server#connections()} and is still drained and closed at stop. Idempotent.
     */
    public void removeFromCount() {
        if (counted.compareAndSet(true, false)) {
            server.releasePlace();
        }
    }

    /** {@return whether the connection holds a place under the limit} */
    boolean counted() {
        return counted.get();
    }

    /** {@return the connection as it is now (a handshake or an upgrade may replace the accepted one)} */
    Connection connection() {
        return connection;
    }

    /** From now on the connection is {@code replacement}, which owns the socket. */
    void use(Connection replacement) {
        this.connection = replacement;
    }

    /** The connection's own virtual thread, set before it starts. */
    void runsOn(Thread serving) {
        this.thread = serving;
    }

    /** @return the connection's own virtual thread */
    Thread thread() {
        return thread;
    }

    /** The connection failed with {@code error}, although its handler returned: report that. */
    void failed(Throwable error) {
        this.failure = error;
    }

    /** {@return the failure a handler reported by {@link #failed}, or {@code null}} */
    Throwable failure() {
        return failure;
    }

    /** {@return the server's read timeout, for the callback style} */
    java.time.Duration readTimeout() {
        return server.config().readTimeout();
    }

    /** {@return the server's handshake timeout, for a switch of transport} */
    java.time.Duration handshakeTimeout() {
        return server.config().handshakeTimeout();
    }

    /** {@return a snapshot of what is known of the connection} */
    public ConnectionInfo info() {
        SocketStats stats;
        try {
            stats = connection.isClosed() ? SocketStats.ZERO : connection.getstat();
        } catch (IOException closedMeanwhile) {
            stats = SocketStats.ZERO;
        }
        return new ConnectionInfo(id, peer(), socketPeer, local, since, connection.transport().name(), stats);
    }

    void signalStop() {
        List<Runnable> actions;
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            stopping = true;
            actions = List.copyOf(onStop);
            onStop.clear();
        } finally {
            lock.unlock();
        }
        actions.forEach(this::runStopAction);
    }

    private void runStopAction(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a stop action of " + this + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + peer();
    }
}
