package dev.atoll.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Many blocking WebSocket sessions, each with one message in flight: the load the WebSocket
 * server benchmarks put on every server ({@link #raw}: {@link WebSocketClient} connections,
 * the same code for all of them), and the way the client benchmark drives a blocking client
 * (Atoll's). A {@link #round()} sends the message on every session and reads every echo back.
 * The sessions are split among client threads (the calling thread takes the first share), each
 * sending on every session of its share and then reading their echoes, so a round costs the
 * client little more than a send and a receive call per message, spread over several cores
 * where there are several. {@link #cpuNanos()} tells how much CPU the client's threads have
 * used, to show the client is not what limits a server.
 */
final class WebSocketLoad implements AutoCloseable {

    /** One blocking session of a load. */
    interface Session {

        /**
         * Sends the session's message.
         *
         * @throws IOException when the server has gone
         */
        void send() throws IOException;

        /**
         * Reads one whole message.
         *
         * @return its bytes (inflated)
         * @throws IOException when the server closes, fails or goes away
         */
        int receive() throws IOException;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int sessions;
    private final AutoCloseable closer;
    private final Session[][] shares;
    private final int size;
    private final List<Thread> helpers = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int round;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Exception failure;

    /**
     * Opens {@link WebSocketClient} connections, each completing its handshake, and starts the
     * helper threads.
     *
     * @param address     the server
     * @param connections how many connections
     * @param deflate     whether each offers (and requires) permessage-deflate
     * @param size        the bytes of the message (before compression)
     * @param threads     the client threads, the calling one included ({@code 0}: see {@link #threads(int)})
     * @return the load
     * @throws IOException when a connection or handshake fails
     */
    static WebSocketLoad raw(InetSocketAddress address, int connections, boolean deflate, int size, int threads)
            throws IOException {
        byte[] message = WebSocketClient.textLike(size);
        List<WebSocketClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                WebSocketClient c = WebSocketClient.connect(address, deflate, Math.max(size, 64 * 1024));
                clients.add(c);
                c.message(message);
            }
        } catch (IOException | RuntimeException e) {
            WebSocketClient.closeAll(clients);
            throw e;
        }
        return new WebSocketLoad(clients, size, threads, () -> WebSocketClient.closeAll(clients));
    }

    /**
     * Splits open sessions among the client threads and starts the helpers.
     *
     * @param sessions the open sessions, each sending a message of {@code size} bytes
     * @param size     the bytes each echo must have
     * @param threads  the client threads, the calling one included ({@code 0}: see {@link #threads(int)})
     * @param closer   closes every session, by {@link #close()}
     */
    WebSocketLoad(List<? extends Session> sessions, int size, int threads, AutoCloseable closer) {
        this.sessions = sessions.size();
        this.size = size;
        this.closer = closer;
        this.caller = Thread.currentThread();
        int t = Math.min(this.sessions, threads > 0 ? threads : threads(this.sessions));
        shares = new Session[t][];
        for (int s = 0; s < t; s++) {
            List<Session> share = new ArrayList<>();
            for (int i = s; i < this.sessions; i += t) {
                share.add(sessions.get(i));
            }
            shares[s] = share.toArray(Session[]::new);
        }
        for (int s = 1; s < t; s++) {
            Session[] share = shares[s];
            helpers.add(Thread.ofPlatform().daemon().name("websocket load " + s).start(() -> help(share)));
        }
    }

    /**
     * The client threads by default: one per 32 connections, at most the cores, at least one.
     * On two cores one thread held 256 connections of 64 B echoes to 75,000 messages/s against
     * Netty, two to 103,000 (about 0.7 cores in all): a single thread was the limit.
     *
     * @param connections the connections
     * @return the threads
     */
    static int threads(int connections) {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min((connections + 31) / 32, cores));
    }

    /**
     * The client threads this load runs on, the calling one included.
     *
     * @return the threads
     */
    int threads() {
        return shares.length;
    }

    /**
     * One message on every session, and every echo back.
     *
     * @return the bytes of the echoes (inflated), each checked to be the message's size
     * @throws IOException when a server fails or an echo is not the message's size
     */
    long round() throws IOException {
        caller = Thread.currentThread();
        if (!helpers.isEmpty()) {
            pending.set(helpers.size());
            round++;
            for (Thread h : helpers) {
                LockSupport.unpark(h);
            }
        }
        exchange(shares[0]);
        while (pending.get() > 0) {
            LockSupport.park(this);
        }
        Exception failed = failure;
        if (failed != null) {
            throw new IOException("a client thread failed", failed);
        }
        return (long) size * sessions;
    }

    private void exchange(Session[] share) throws IOException {
        for (Session c : share) {
            c.send();
        }
        for (Session c : share) {
            int n = c.receive();
            if (n != size) {
                throw new IOException("an echo of " + n + " bytes for a message of " + size);
            }
        }
    }

    private void help(Session[] share) {
        int seen = 0;
        while (true) {
            while (round == seen && !closed) {
                LockSupport.park(this);
            }
            if (closed) {
                return;
            }
            seen = round;
            try {
                exchange(share);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /**
     * The CPU time the client's threads (the last caller of {@link #round()} and the helpers)
     * have used so far.
     *
     * @return nanoseconds
     */
    long cpuNanos() {
        long total = 0;
        Thread c = caller;
        if (c != null) {
            total += THREADS.getThreadCpuTime(c.threadId());
        }
        for (Thread h : helpers) {
            total += THREADS.getThreadCpuTime(h.threadId());
        }
        return total;
    }

    /** Stops the helpers and closes every session. */
    @Override
    public void close() throws Exception {
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        closer.close();
    }
}
