package dev.atoll.server;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server on any Atoll transport, plain or TLS: listen sockets, acceptors that only accept, and
 * a virtual thread per connection that runs the handshake (never on an acceptor) and then the
 * handler.
 *
 * <pre>{@code
 * try (Server server = Server.start(ServerConfig.builder(transport).port(7000).build(),
 *         (connection, context) -> {
 *             while (true) {
 *                 connection.send(connection.recv(0, Duration.ofSeconds(30)));
 *             }
 *         })) {
 *     ...
 * }   // close(): stop with the configured drain time
 * }</pre>
 *
 * <h2>Limits</h2>
 * At most {@link ServerConfig#maxConnections()} connections are served at once; the
 * {@link LimitPolicy} says what happens to the next client. The limit can change at run time
 * ({@link #maxConnections(int)}), and a handler can take its connection out of the count
 * ({@link ConnectionContext#removeFromCount()}).
 *
 * <h2>Failures</h2>
 * A failed handshake or a handler's exception closes that connection and is reported exactly
 * once ({@link Telemetry#connectionStopped}); it never reaches an acceptor. An acceptor outlives
 * every failure of {@code accept}: out of file descriptors it waits 100 ms and goes on, a client
 * that gave up while queued is ignored, anything else is reported and retried after 10 ms. Only
 * {@link #suspend()} and {@link #stop} end acceptors.
 *
 * <h2>Stopping</h2>
 * {@link #stop(Duration)} closes the listen sockets at once, tells every handler
 * ({@link ConnectionContext#stopping()}, {@link ConnectionContext#onStop}), waits up to the drain
 * time for the handlers to finish, then closes every connection still open, which wakes its
 * handler's blocked calls with a {@link ConnectionClosedException}. It returns when every
 * connection is closed and its thread has ended. A transport the server made from a
 * configuration map is closed too.
 */
public final class Server implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    /** How long {@link #stop} waits for handlers to end after their connections were closed. */
    private static final Duration AFTER_CLOSE = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final Transport<?, ?> transport;
    /** The transport of the listen sockets: the plain one under a secure transport when a PROXY header comes first. */
    private final Transport<?, ?> listening;
    private final ConnectionHandler handler;
    private final ServerEvents events;
    private final ConnectionLimit limit;
    private final Set<ConnectionContext> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final ReentrantLock endings = new ReentrantLock();
    private final Condition ended = endings.newCondition();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ServerStatus status = ServerStatus.RUNNING;
    private List<ListenSocket> listenSockets = List.of();   // guarded by lifecycle
    private InetSocketAddress address;                       // the first listen socket's, with its port

    private Server(ServerConfig config, Transport<?, ?> transport, ConnectionHandler handler) {
        this.config = config;
        this.transport = transport;
        this.listening = config.proxyProtocol() != ProxyProtocol.NONE && transport.secure() ? transport.plain() : transport;
        this.handler = handler;
        this.events = new ServerEvents(config.telemetry());
        this.limit = new ConnectionLimit(config.maxConnections());
    }

    /**
     * Starts a server: binds its listen sockets and starts its acceptors.
     *
     * @param config  how to run
     * @param handler what to do with each connection
     * @return the running server
     * @throws IOException when the address cannot be bound (nothing stays open then)
     * @throws dev.atoll.transport.UnsupportedFeatureException when more than one listen socket is
     *         asked of a transport without {@code SO_REUSEPORT}
     * @throws dev.atoll.transport.TransportSelectionException when the configuration map names no
     *         usable transport
     */
    public static Server start(ServerConfig config, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        Transport<?, ?> transport = config.openTransport();
        Server server = new Server(config, transport, handler);
        try {
            server.lifecycle.lock();
            try {
                server.open(config.address());
            } finally {
                server.lifecycle.unlock();
            }
        } catch (IOException | RuntimeException e) {
            if (config.ownsTransport()) {
                transport.close();
            }
            throw e;
        }
        return server;
    }

    /** {@return the address the server listens on, with the actual port when port 0 was asked} */
    public InetSocketAddress address() {
        lifecycle.lock();
        try {
            return address;
        } finally {
            lifecycle.unlock();
        }
    }

    /** {@return the transport connections are accepted on} */
    public Transport<?, ?> transport() {
        return transport;
    }

    /** {@return the configuration the server started with} */
    public ServerConfig config() {
        return config;
    }

    /** {@return where the server is in its life} */
    public ServerStatus status() {
        return status;
    }

    /** {@return every open connection, in the order they were accepted, as it is now} */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> infos = new ArrayList<>();
        for (ConnectionContext c : connections) {
            infos.add(c.info());
        }
        infos.sort((a, b) -> Long.compare(a.id(), b.id()));
        return Collections.unmodifiableList(infos);
    }

    /** {@return how many connections are open, counted under the limit or not} */
    public int connectionCount() {
        return connections.size();
    }

    /** {@return how many connections hold a place under the limit (those not {@link ConnectionContext#removeFromCount() taken out})} */
    public int countedConnections() {
        int n = 0;
        for (ConnectionContext c : connections) {
            if (c.counted()) {
                n++;
            }
        }
        return n;
    }

    /** {@return the connection limit now} */
    public int maxConnections() {
        return limit.max();
    }

    /**
     * Changes the connection limit. Raising it lets waiting clients in at once; lowering it
     * closes nothing, and new clients wait (or are refused) until the count is under the new limit.
     *
     * @param max the new limit, at least 1
     */
    public void maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections: " + max + " is less than 1");
        }
        limit.max(max);
    }

    /**
     * Closes the listen sockets while the connections go on; new clients are refused by the
     * kernel until {@link #resume()}. Does nothing when already suspended.
     *
     * @throws IllegalStateException when the server is stopping or stopped
     */
    public void suspend() {
        lifecycle.lock();
        try {
            switch (status) {
                case SUSPENDED -> {
                    return;
                }
                case STOPPING, STOPPED -> throw new IllegalStateException("suspend: the server is " + status);
                case RUNNING -> {
                    closeListenSockets();
                    status = ServerStatus.SUSPENDED;
                }
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Opens the listen sockets again, on the same address and port, and starts accepting. Does
     * nothing when running.
     *
     * @throws IOException when the address cannot be bound again (the server stays suspended)
     * @throws IllegalStateException when the server is stopping or stopped
     */
    public void resume() throws IOException {
        lifecycle.lock();
        try {
            switch (status) {
                case RUNNING -> {
                    return;
                }
                case STOPPING, STOPPED -> throw new IllegalStateException("resume: the server is " + status);
                case SUSPENDED -> {
                    open(address);
                    status = ServerStatus.RUNNING;
                }
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Stops the server, as the class description says: stop accepting, tell the handlers, drain
     * up to {@code drain}, close what is left. A second call waits for the first to finish.
     *
     * @param drain how long handlers may take to finish by themselves; zero closes at once
     */
    public void stop(Duration drain) {
        Objects.requireNonNull(drain, "drain");
        boolean first;
        lifecycle.lock();
        try {
            first = status == ServerStatus.RUNNING || status == ServerStatus.SUSPENDED;
            if (first) {
                closeListenSockets();
                status = ServerStatus.STOPPING;
            }
        } finally {
            lifecycle.unlock();
        }
        if (!first) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            for (ConnectionContext c : connections) {
                c.signalStop();
            }
            if (!awaitConnectionsEnded(drain)) {
                for (ConnectionContext c : connections) {
                    closeQuietly(c.connection());
                }
                if (!awaitConnectionsEnded(AFTER_CLOSE)) {
                    List<String> stuck = new ArrayList<>();
                    for (ConnectionContext c : connections) {
                        stuck.add(c.thread().getName());
                        c.thread().interrupt();
                    }
                    LOG.log(System.Logger.Level.WARNING, "stop: " + stuck.size() + " handlers did not end " + AFTER_CLOSE
                            + " after their connections were closed, and were interrupted: " + stuck);
                    awaitConnectionsEnded(Duration.ofSeconds(1));
                }
            }
        } finally {
            if (config.ownsTransport()) {
                try {
                    transport.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "stop: closing the transport failed", e);
                }
            }
            status = ServerStatus.STOPPED;
            stopped.countDown();
        }
    }

    /** Stops with the configured drain time, {@link ServerConfig#shutdownTimeout()}. */
    @Override
    public void close() {
        stop(config.shutdownTimeout());
    }

    @Override
    public String toString() {
        return "server on " + address() + " (" + transport.name() + ", " + status + ", " + connectionCount() + " connections)";
    }

    // ---- listen sockets and acceptors

    /** A listen socket and its acceptors. */
    private final class ListenSocket {
        final Listener listener;
        final List<Thread> acceptors = new ArrayList<>();
        volatile boolean closing;

        ListenSocket(Listener listener) {
            this.listener = listener;
        }

        void close() {
            closing = true;
            limit.wakeAll();
            try {
                listener.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the listen socket " + listener.address() + " failed", e);
            }
            for (Thread acceptor : acceptors) {
                boolean interrupted = false;
                while (true) {
                    try {
                        acceptor.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            events.listener(listener.address(), false);
        }
    }

    /** Binds the listen sockets at {@code where} and starts their acceptors; all or nothing. */
    private void open(InetSocketAddress where) throws IOException {
        int count = config.listenSockets();
        SocketOptions options = SocketOptions.of(AtollOptions.BACKLOG, config.backlog());
        if (count > 1) {
            options = options.with(StandardSocketOptions.SO_REUSEPORT, true);
        }
        List<ListenSocket> opened = new ArrayList<>();
        try {
            InetSocketAddress next = where;
            for (int i = 0; i < count; i++) {
                Listener listener = Listener.open(listening, next, options);
                opened.add(new ListenSocket(listener));
                next = listener.address();   // the others share the first one's port
            }
        } catch (IOException | RuntimeException e) {
            for (ListenSocket s : opened) {
                s.close();
            }
            throw e;
        }
        address = opened.get(0).listener.address();
        for (int i = 0; i < config.acceptors(); i++) {
            ListenSocket socket = opened.get(i % count);
            socket.acceptors.add(Thread.ofVirtual().name("atoll-acceptor-" + address.getPort() + "-" + i)
                    .unstarted(() -> acceptLoop(socket)));
        }
        for (ListenSocket socket : opened) {
            events.listener(socket.listener.address(), true);
            socket.acceptors.forEach(Thread::start);
        }
        listenSockets = List.copyOf(opened);
    }

    private void closeListenSockets() {
        for (ListenSocket socket : listenSockets) {
            socket.close();
        }
        listenSockets = List.of();
    }

    private void acceptLoop(ListenSocket socket) {
        InetSocketAddress where = socket.listener.address();
        while (!socket.closing) {
            boolean placed = false;
            if (config.limitPolicy() == LimitPolicy.PAUSE_ACCEPTING) {
                if (!limit.acquire(() -> !socket.closing)) {
                    return;
                }
                placed = true;
            }
            Connection accepted;
            try {
                accepted = socket.listener.accept(Transport.INFINITE);
            } catch (IOException | RuntimeException e) {
                if (placed) {
                    limit.release();
                }
                if (socket.closing) {
                    return;
                }
                IOException failure = e instanceof IOException io ? io
                        : new IOException("accept on " + where + " failed in the transport: " + e, e);
                Duration backoff = AcceptFailures.backoff(failure);
                if (backoff != null) {
                    events.acceptFailed(where, failure, backoff);
                    LOG.log(System.Logger.Level.DEBUG, () -> "accept on " + where + " failed; again in " + backoff.toMillis()
                            + " ms", failure);
                    sleep(backoff);
                }
                continue;
            }
            if (!placed && !limit.tryAcquire(config.limitWait())) {
                refuse(accepted);
                continue;
            }
            startConnection(accepted);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuse(Connection accepted) {
        InetSocketAddress peer = peerOf(accepted);
        closeQuietly(accepted);
        events.connectionRefused(peer, "at the limit of " + limit.max() + " connections after waiting "
                + config.limitWait().toMillis() + " ms for a place");
    }

    private static InetSocketAddress peerOf(Connection c) {
        try {
            return c.peername();
        } catch (IOException resetMeanwhile) {
            return null;
        }
    }

    /** Gives a place under the limit back; see {@link ConnectionContext#removeFromCount()}. */
    void releasePlace() {
        limit.release();
    }

    // ---- connections

    private void startConnection(Connection accepted) {
        InetSocketAddress peer;
        InetSocketAddress local;
        try {
            peer = accepted.peername();
            local = accepted.sockname();
        } catch (IOException goneAlready) {
            // The client reset the connection between accept and now: nothing to serve or report.
            closeQuietly(accepted);
            limit.release();
            return;
        }
        ConnectionContext context = new ConnectionContext(this, ids.incrementAndGet(), accepted, peer, local, true);
        Thread thread = Thread.ofVirtual().name("atoll-connection-" + context.id()).unstarted(() -> serve(context));
        context.runsOn(thread);
        connections.add(context);
        thread.start();
    }

    private void serve(ConnectionContext context) {
        long started = System.nanoTime();
        JfrEvents.ConnectionEvent connectionEvent = new JfrEvents.ConnectionEvent();
        connectionEvent.begin();
        ConnectionInfo info = context.info();
        events.connectionStarted(info);
        Throwable failure = null;
        try {
            Connection accepted = context.connection();
            config.connectionOptions().applyTo(new SocketOptions.OptionTarget() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    accepted.setopt(option, value);
                }
            });
            long handshakeStarted = System.nanoTime();
            JfrEvents.HandshakeEvent handshakeEvent = new JfrEvents.HandshakeEvent();
            handshakeEvent.begin();
            Connection ready;
            try {
                ready = handshake(context, accepted, handshakeStarted);
            } catch (IOException e) {
                info = context.info();
                events.handshakeFailed(info, handshakeEvent, handshakeStarted, e);
                failure = e;
                try {
                    handler.handshakeFailed(e, context.connection(), context);
                } catch (Exception also) {
                    e.addSuppressed(also);
                }
                return;
            }
            info = context.info();
            context.use(ready);
            events.handshakeCompleted(info, handshakeEvent, handshakeStarted, ready.secure() ? ready.tlsSession() : null);
            handler.handle(ready, context);
            failure = context.failure();
        } catch (EndOfStreamException peerClosed) {
            // the client closed in order
        } catch (ConnectionClosedException e) {
            if (!context.stopping()) {
                failure = e;
            }
        } catch (Exception e) {
            failure = e;
            if (!(e instanceof IOException)) {
                LOG.log(System.Logger.Level.WARNING, "the handler of " + context + " failed", e);
            }
        } catch (Error e) {
            failure = e;
            throw e;
        } finally {
            Connection last = context.connection();
            SocketStats stats = statsOf(last);
            closeQuietly(last);
            context.removeFromCount();   // gives its place back, once
            ConnectionInfo end = new ConnectionInfo(info.id(), context.peer(), info.socketPeer(), info.local(), info.since(),
                    info.transport(), stats);
            events.connectionStopped(end, connectionEvent, started, stats, failure);
            connections.remove(context);
            endings.lock();
            try {
                ended.signalAll();
            } finally {
                endings.unlock();
            }
        }
    }

    /**
     * Reads the PROXY header when one is expected (from the plain connection, before TLS), then
     * runs the transport's handshake, all within the handshake timeout.
     */
    private Connection handshake(ConnectionContext context, Connection accepted, long started) throws IOException {
        Connection c = accepted;
        if (config.proxyProtocol() != ProxyProtocol.NONE) {
            context.proxied(ProxyHeaderParser.read(c, config.proxyProtocol(), config.proxyHeaderLimit(),
                    config.handshakeTimeout()));
            if (listening != transport) {
                c = c.upgrade(transport, true);   // the bytes after the header go along
                context.use(c);
            }
        }
        Duration left = config.handshakeTimeout().minusNanos(System.nanoTime() - started);
        if (left.isNegative() || left.isZero()) {
            throw new java.net.SocketTimeoutException("handshake with " + context.peer() + ": no time left after the PROXY header");
        }
        return c.handshake(left);
    }

    private static SocketStats statsOf(Connection c) {
        try {
            return c.getstat();
        } catch (IOException | RuntimeException closed) {
            return SocketStats.ZERO;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + c + " failed", e);
        }
    }

    /** {@return whether every connection ended within {@code wait}} */
    private boolean awaitConnectionsEnded(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        endings.lock();
        try {
            while (!connections.isEmpty()) {
                long nanos = deadline - System.nanoTime();
                if (nanos <= 0 || interrupted) {
                    return false;
                }
                try {
                    ended.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    interrupted = true;   // finish the stop quickly: close what is left now
                }
            }
            return true;
        } finally {
            endings.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
