package dev.atoll.transport.iouring;

import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.spi.Deadline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listener of the {@code iouring} transport. Its server channel has auto-read off and reads,
 * that is accepts, only while callers wait in {@code accept} for more connections than are
 * already accepted: each {@code accept} that finds nothing waiting turns reading on, and the
 * event loop turns it off again, cancelling the accept still in the ring, as soon as every
 * waiting caller has a connection coming. Until then connections stay in the kernel's backlog,
 * which pushes back on further clients (TCP's own back-pressure, ACCEPT-3).
 *
 * <p>With auto-read off Netty takes one connection per accept submitted. Where Netty uses the
 * kernel's multishot accept (its default on kernels that have it), one submitted accept takes
 * every connection the kernel's backlog holds at that moment, so a listener then holds at most
 * one backlog's worth ahead of its {@code accept} calls.
 */
final class UringListener extends ChannelInboundHandlerAdapter {

    /** Set on an accepted channel once the listener has counted it out of {@link #inFlight}. */
    private static final AttributeKey<Boolean> SETTLED = AttributeKey.valueOf(UringListener.class, "settled");

    /** How long closing the server channel and the connections it holds may take. */
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Accepted connections, each with its channel, that no {@code accept} has taken yet; under {@code lock}. */
    private final ArrayDeque<Held> accepted = new ArrayDeque<>();
    /** Callers waiting in {@code accept}; under {@code lock}. */
    private int waiting;
    /** Connections the server channel accepted that are not yet registered and queued; under {@code lock}. */
    private int inFlight;
    private boolean closed;
    private volatile Channel channel;
    private volatile InetSocketAddress address;

    private record Held(UringSocket socket, Channel channel) {
    }

    /** Made before the server channel binds, as the handler of its pipeline. */
    UringListener() {
    }

    /** Records the bound server channel. */
    UringListener bound(Channel serverChannel) {
        this.channel = serverChannel;
        this.address = (InetSocketAddress) serverChannel.localAddress();
        return this;
    }

    // --- the event loop's side

    /** On the server channel's event loop, for each connection it accepted, before it is registered. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
        // A connection that closes before it is queued (its registration failed) is no longer coming.
        child.closeFuture().addListener(closedEarly -> settle(child));
        updateReading();
        ctx.fireChannelRead(msg);
    }

    /** On the accepted channel's event loop, once it is registered and connected. */
    void offer(UringSocket socket, Channel child) {
        boolean keep;
        lock.lock();
        try {
            settleLocked(child);
            keep = !closed;
            if (keep) {
                accepted.add(new Held(socket, child));
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
        if (!keep) {
            child.close();
        }
    }

    private void settle(Channel child) {
        boolean settled;
        lock.lock();
        try {
            settled = settleLocked(child);
        } finally {
            lock.unlock();
        }
        if (settled) {
            updateReading();
        }
    }

    /** Counts a connection out of {@link #inFlight}, once; under {@code lock}. */
    private boolean settleLocked(Channel child) {
        if (child.attr(SETTLED).setIfAbsent(Boolean.TRUE) != null) {
            return false;
        }
        inFlight--;
        return true;
    }

    /**
     * Turns the server channel's reading on while more callers wait than connections are coming,
     * and off otherwise (which cancels the accept in the ring), on its event loop.
     */
    private void updateReading() {
        Channel server = channel;
        if (server == null) {
            return;
        }
        if (!server.eventLoop().inEventLoop()) {
            server.eventLoop().execute(this::updateReading);
            return;
        }
        boolean wanted;
        lock.lock();
        try {
            wanted = !closed && waiting > accepted.size() + inFlight;
        } finally {
            lock.unlock();
        }
        if (server.isOpen() && server.config().isAutoRead() != wanted) {
            server.config().setAutoRead(wanted);
        }
    }

    // --- the callers' side

    UringSocket accept(Duration timeout) throws IOException {
        String operation = "accept on " + address;
        Deadline deadline = Deadline.after(timeout);
        lock.lock();
        try {
            waiting++;
            try {
                while (true) {
                    if (closed) {
                        throw new ConnectionClosedException(operation + ": listener closed");
                    }
                    Held next = accepted.poll();
                    if (next != null) {
                        return next.socket();
                    }
                    if (waiting > inFlight) {
                        updateReading();
                    }
                    if (deadline.isInfinite()) {
                        arrived.await();
                    } else {
                        long remaining = deadline.remainingNanos();
                        if (remaining <= 0) {
                            throw new SocketTimeoutException(operation + ": no connection within " + timeout);
                        }
                        arrived.awaitNanos(remaining);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(operation + ": interrupted");
            } finally {
                waiting--;
                if (!closed) {
                    updateReading();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    InetSocketAddress address() throws ConnectionClosedException {
        lock.lock();
        try {
            if (closed) {
                throw new ConnectionClosedException("address of " + address + ": listener closed");
            }
        } finally {
            lock.unlock();
        }
        return address;
    }

    /**
     * Stops listening: wakes the callers in {@code accept}, closes the server channel (the
     * kernel resets the connections still in its backlog) and the connections accepted that no
     * {@code accept} took. Connections already taken stay open.
     */
    void close() throws IOException {
        List<ChannelFuture> closing = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            arrived.signalAll();
            closing.add(channel.close());
            Held held;
            while ((held = accepted.poll()) != null) {
                closing.add(held.channel().close());
            }
        } finally {
            lock.unlock();
        }
        Deadline deadline = Deadline.after(CLOSE_LIMIT);
        for (ChannelFuture future : closing) {
            Futures.await(future, deadline, "close of the listener on " + address);
        }
    }
}
