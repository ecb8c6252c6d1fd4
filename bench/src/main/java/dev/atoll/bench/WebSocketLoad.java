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
 * The load the WebSocket benchmarks put on every server, the same code for all of them: many
 * {@link WebSocketClient} connections, each with one message in flight. A {@link #round()}
 * sends the message on every connection and reads every echo back. The connections are split
 * among client threads (the calling thread takes the first share), each writing the prebuilt
 * frames of its share and then reading their echoes, so a round costs the client little more
 * than a write and a read call per message, spread over several cores where there are several.
 * {@link #cpuNanos()} tells how much CPU the client's threads have used, to show the client is
 * not what limits a server.
 */
final class WebSocketLoad implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<WebSocketClient> clients = new ArrayList<>();
    private final WebSocketClient[][] shares;
    private final int size;
    private final List<Thread> helpers = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int round;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Exception failure;

    /**
     * Opens the connections, each completing its handshake, and starts the helper threads.
     *
     * @param address     the server
     * @param connections how many connections
     * @param deflate     whether each offers (and requires) permessage-deflate
     * @param size        the bytes of the message (before compression)
     * @param threads     the client threads, the calling one included ({@code 0}: see {@link #threads(int)})
     * @throws IOException when a connection or handshake fails
     */
    WebSocketLoad(InetSocketAddress address, int connections, boolean deflate, int size, int threads) throws IOException {
        this.size = size;
        this.caller = Thread.currentThread();
        byte[] message = WebSocketClient.textLike(size);
        try {
            for (int i = 0; i < connections; i++) {
                WebSocketClient c = WebSocketClient.connect(address, deflate, Math.max(size, 64 * 1024));
                clients.add(c);
                c.message(message);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        int t = Math.min(connections, threads > 0 ? threads : threads(connections));
        shares = new WebSocketClient[t][];
        for (int s = 0; s < t; s++) {
            List<WebSocketClient> share = new ArrayList<>();
            for (int i = s; i < connections; i += t) {
                share.add(clients.get(i));
            }
            shares[s] = share.toArray(WebSocketClient[]::new);
        }
        for (int s = 1; s < t; s++) {
            WebSocketClient[] share = shares[s];
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
     * One message on every connection, and every echo back.
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
        return (long) size * clients.size();
    }

    private void exchange(WebSocketClient[] share) throws IOException {
        for (WebSocketClient c : share) {
            c.send();
        }
        for (WebSocketClient c : share) {
            int n = c.receive();
            if (n != size) {
                throw new IOException("an echo of " + n + " bytes for a message of " + size);
            }
        }
    }

    private void help(WebSocketClient[] share) {
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

    /** Stops the helpers and closes every connection (close frame, then the socket). */
    @Override
    public void close() throws IOException {
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        try {
            WebSocketClient.closeAll(clients);
        } finally {
            clients.clear();
        }
    }
}
