package dev.atoll.transport.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The readiness poller of one {@code nio} transport: a daemon thread and a {@link Selector}.
 * A connection's channel is non-blocking and registered here with no interest; a receive or a
 * send that finds nothing to do arms one interest ({@link #arm}) and parks on the connection's
 * own condition until the poller reports the channel ready, the deadline passes, or the
 * connection closes. Interests are one-shot: the poller disarms what it reports.
 *
 * <p>So every wait has a time limit (a send timeout is an ordinary wait) and a close wakes a
 * blocked receive or send at once, which the JDK's blocking channels cannot offer for sends.
 * The poller also finishes closes in the background: a closed connection's remaining input is
 * read and dropped here until the peer ends its side or the close linger runs out, so that
 * unread bytes never make the kernel reset a connection whose last bytes are still on their way.
 *
 * <p>A poller with no channel for {@value #IDLE_MILLIS} ms retires: its thread ends, and the
 * transport starts a new one for its next connection. So a transport that is no longer used
 * holds no thread, closed or not.
 */
final class NioPoller {

    /** What the poller reports readiness to: a connection's socket. */
    interface Readiness {
        /**
         * The channel is ready for {@code ops}; called on the poller thread.
         *
         * @param ops the ready operations
         */
        void ready(int ops);
    }

    /** A channel's key and the poller it is registered with. */
    record Registration(NioPoller poller, SelectionKey key) {
    }

    /** The most reads of a lingering connection per readiness, so that one peer cannot hold the poller. */
    private static final int DRAIN_READS = 4;

    /** How long a poller without channels waits before it retires. */
    static final long IDLE_MILLIS = 1000;

    private final Selector selector;
    private final Thread thread;
    private final java.util.function.Predicate<NioPoller> retireIfIdle;
    private final ConcurrentLinkedQueue<Lingering> newlyLingering = new ConcurrentLinkedQueue<>();
    /** Closed connections still draining, by deadline; the poller thread's own. */
    private final PriorityQueue<Lingering> lingering = new PriorityQueue<>();
    private volatile boolean stopped;
    /**
     * Whether the poller thread is in (or about to enter) {@code select}. An interest armed while
     * it is not is taken up by its next {@code select}, which applies pending interest changes
     * before it waits, so only an interest armed while it selects needs a wakeup: under load,
     * when the poller is busy reporting readiness, connections arm without a wakeup each.
     */
    private volatile boolean selecting;
    /** When the poller last found itself without channels, or 0; the poller thread's own. */
    private long idleSinceNanos;

    /**
     * Starts a poller.
     *
     * @param name         its thread's name
     * @param retireIfIdle asked, when the poller had no channel for a while, whether it may end;
     *                     the transport answers under the lock it registers channels with
     */
    NioPoller(String name, java.util.function.Predicate<NioPoller> retireIfIdle) {
        this.retireIfIdle = retireIfIdle;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("nio: cannot open a selector", e);
        }
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        thread.start();
    }

    /** Registers a non-blocking channel with no interest yet; under the transport's lock. */
    SelectionKey register(SocketChannel channel, Readiness readiness) throws ClosedChannelException {
        return channel.register(selector, 0, readiness);
    }

    /** Asks to be told once when the key's channel is ready for {@code ops}. */
    void arm(SelectionKey key, int ops) {
        try {
            key.interestOpsOr(ops);
        } catch (CancelledKeyException closed) {
            return;   // the waiter sees the close itself
        }
        // the change is queued before this read; a poller not yet selecting applies it when it does
        if (selecting) {
            selector.wakeup();
        }
    }

    /** Lets the poller close a key's channel after the peer's end or at {@code deadlineNanos}. */
    void linger(SocketChannel channel, SelectionKey key, long deadlineNanos) {
        newlyLingering.add(new Lingering(channel, key, deadlineNanos));
        selector.wakeup();
    }

    /** Lets the selector close the channels of cancelled keys now. */
    void wakeup() {
        selector.wakeup();
    }

    private void run() {
        java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocateDirect(16 * 1024);
        while (!stopped) {
            try {
                long timeoutMillis = IDLE_MILLIS;   // also wakes now and then to see whether it has become idle
                Lingering next = lingering.peek();
                if (next != null) {
                    timeoutMillis = Math.min(IDLE_MILLIS, Math.max(1, (next.deadlineNanos - System.nanoTime()) / 1_000_000 + 1));
                }
                selecting = true;
                selector.select(key -> {
                    // past its wait: what is armed from now on waits for the next select
                    selecting = false;
                    int ready;
                    try {
                        ready = key.readyOps();
                        key.interestOpsAnd(~ready);
                    } catch (CancelledKeyException closed) {
                        return;
                    }
                    Object attachment = key.attachment();
                    if (attachment instanceof Lingering l) {
                        l.drain(scratch, this);
                    } else {
                        ((Readiness) attachment).ready(ready);
                    }
                }, timeoutMillis);
                selecting = false;
                Lingering started;
                while ((started = newlyLingering.poll()) != null) {
                    started.start(scratch, this);
                }
                long now = System.nanoTime();
                while ((next = lingering.peek()) != null && (next.closed || next.deadlineNanos - now <= 0)) {
                    lingering.poll().close();
                }
                if (!isIdle()) {
                    idleSinceNanos = 0;
                } else if (idleSinceNanos == 0) {
                    idleSinceNanos = now;
                } else if (now - idleSinceNanos >= IDLE_MILLIS * 1_000_000 && retireIfIdle.test(this)) {
                    stopped = true;
                }
            } catch (IOException | RuntimeException e) {
                if (!selector.isOpen()) {
                    break;
                }
                // one connection's failure must not stop the poller; it is reported to that connection's calls
            }
        }
        Lingering l;
        while ((l = newlyLingering.poll()) != null) {
            l.close();
        }
        for (Lingering left : lingering) {
            left.close();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // the thread ends either way
        }
    }

    /** Whether no channel is registered and no close lingers; a registration may come at any time. */
    boolean isIdle() {
        return selector.keys().isEmpty() && lingering.isEmpty() && newlyLingering.isEmpty();
    }

    /** Stops the poller; the transport's connections must be closed already. */
    void stop() {
        stopped = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A closed connection whose input the poller reads and drops until the peer's end or the deadline. */
    private final class Lingering implements Comparable<Lingering> {
        final SocketChannel channel;
        final SelectionKey key;
        final long deadlineNanos;
        boolean closed;

        Lingering(SocketChannel channel, SelectionKey key, long deadlineNanos) {
            this.channel = channel;
            this.key = key;
            this.deadlineNanos = deadlineNanos;
        }

        void start(java.nio.ByteBuffer scratch, NioPoller poller) {
            key.attach(this);
            lingering.add(this);
            drain(scratch, poller);
        }

        /**
         * Reads and drops a few buffers' worth, then waits for more: a peer that keeps sending
         * does not hold the poller, and the deadline ends it.
         */
        void drain(java.nio.ByteBuffer scratch, NioPoller poller) {
            try {
                for (int reads = 0; reads < DRAIN_READS; reads++) {
                    scratch.clear();
                    int n = channel.read(scratch);
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (n == 0) {
                        break;
                    }
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    close();
                } else {
                    key.interestOpsOr(SelectionKey.OP_READ);
                }
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }

        @Override
        public int compareTo(Lingering other) {
            return Long.compare(deadlineNanos - other.deadlineNanos, 0);
        }
    }
}
