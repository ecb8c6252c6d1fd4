package dev.atoll.transport.iouring;

import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.TransportException;
import dev.atoll.transport.UnsupportedFeatureException;
import dev.atoll.transport.spi.ConnectionSettings;
import dev.atoll.transport.spi.Deadline;
import dev.atoll.transport.spi.PlainSocket;
import dev.atoll.transport.spi.FileRange;
import dev.atoll.transport.spi.Receiver;
import dev.atoll.transport.spi.TrafficCounter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection of the {@code iouring} transport: a Netty io_uring channel with auto-read off.
 * Reading starts when a {@code recv} asks and then keeps one read ahead of the receives until
 * {@value #READ_AHEAD} bytes wait unreceived; then it stops, so a peer that sends faster than
 * the application receives meets TCP's own back-pressure. The event loop hands what it read
 * to the receiving thread under a {@link ReentrantLock}, on which a virtual thread parks.
 *
 * <p>Sends write behind: a send copies its bytes into a Netty buffer, queues the write and
 * returns at once while the channel is writable, and otherwise parks until the event loop has
 * written enough ({@link #WATER_MARK}: it parks above 512 KiB queued and goes on below
 * 128 KiB). So a send costs a copy, not a round trip through the event loop, and queued writes
 * go out gathered. A write that fails later is reported by the next operation;
 * {@code shutdown(WRITE)} and {@code close} let the queued bytes go out first, as the kernel
 * does with its own send buffer (an abortive close with {@code SO_LINGER} 0 drops them).
 */
final class UringSocket extends ChannelInboundHandlerAdapter implements Receiver.Source, PlainSocket {

    private final DuplexChannel channel;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private String recvFromPeer;
    private String sendToPeer;
    private final Receiver receiver = new Receiver();
    private final ConnectionSettings settings = new ConnectionSettings(receiver);
    private final TrafficCounter sent = new TrafficCounter();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private boolean reading;
    private boolean inputEnded;
    private Throwable failure;
    /** The first write that failed, reported by the next send, sendfile or shutdown. */
    private volatile Throwable writeFailure;
    private volatile boolean closed;

    /**
     * A handler for a channel; it must be in the pipeline before the channel is registered, or
     * the event loop may report a read (or a reset) before it is there to hear it.
     */
    UringSocket(DuplexChannel channel) {
        this.channel = channel;
    }

    /** Records the addresses once the channel is connected; before any other use. */
    UringSocket connected() {
        this.remote = (InetSocketAddress) channel.remoteAddress();
        this.local = (InetSocketAddress) channel.localAddress();
        this.recvFromPeer = "recv from " + remote;
        this.sendToPeer = "send to " + remote;
        return this;
    }

    // --- the event loop's side

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lock.lock();
        try {
            if (closed) {
                ((ByteBuf) msg).release();
                return;
            }
            inbound.add((ByteBuf) msg);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        boolean readAhead;
        lock.lock();
        try {
            readAhead = !inputEnded && !closed && failure == null && handedOver() < READ_AHEAD;
            reading = readAhead;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (readAhead) {
            ctx.read();   // the next bytes are on their way before a receive asks for them
        }
    }

    /** The bytes handed over and not yet received; under {@code lock}. */
    private int handedOver() {
        int n = 0;
        for (ByteBuf b : inbound) {
            n += b.readableBytes();
        }
        return n;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ended();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        lock.lock();
        try {
            failure = cause;
            reading = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (closed) {
            channel.close();
        }
    }

    private void ended() {
        lock.lock();
        try {
            inputEnded = true;
            reading = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (closed) {
            channel.close();   // a lingering close: the peer has ended its side
        }
    }

    // --- receiving

    @Override
    public ByteBuffer recv(int length, Duration timeout) throws IOException {
        checkOpen("recv");
        checkInterrupt(recvFromPeer);
        return receiver.receive(this, length, timeout);
    }

    @Override
    public int recv(ByteBuffer dst, Duration timeout) throws IOException {
        checkOpen("recv");
        checkInterrupt(recvFromPeer);
        return receiver.receive(this, dst, timeout);
    }

    @Override
    public void unrecv(ByteBuffer bytes) throws IOException {
        checkOpen("unrecv");
        receiver.unreceive(bytes);
    }

    /** INTR-1 for a call made with the interrupt status already set; the message is made only then. */
    private void checkInterrupt(String operation) throws java.io.InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            closeQuietly();
            throw ConnectionSettings.interrupted(operation);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the caller reports why it closed
        }
    }

    /** The bytes the event loop has handed over and no receive has taken yet. */
    @Override
    public int available() {
        lock.lock();
        try {
            return handedOver();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String operation() {
        return recvFromPeer;
    }

    @Override
    public int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException {
        return read(ByteBuffer.wrap(dst, offset, length), deadline);
    }

    @Override
    public int read(ByteBuffer dst, Deadline deadline) throws IOException {
        lock.lock();
        try {
            while (true) {
                ByteBuf head = inbound.peek();
                if (head != null) {
                    int n = Math.min(dst.remaining(), head.readableBytes());
                    int limit = dst.limit();
                    dst.limit(dst.position() + n);
                    head.readBytes(dst);
                    dst.limit(limit);
                    if (!head.isReadable()) {
                        inbound.poll().release();
                    }
                    return n;
                }
                if (closed) {
                    throw new ConnectionClosedException(recvFromPeer + ": connection closed");
                }
                if (failure != null) {
                    throw new TransportException(recvFromPeer + ": " + failure.getMessage(), failure);
                }
                if (inputEnded) {
                    return -1;
                }
                if (!channel.isOpen()) {
                    throw new TransportException(recvFromPeer + ": the connection was lost", null);
                }
                if (!reading) {
                    reading = true;
                    channel.read();
                }
                long nanos = deadline.remainingNanos();
                if (nanos == 0) {
                    throw new SocketTimeoutException(recvFromPeer + (deadline.isInfinite() ? "" : ": timed out"));
                }
                if (deadline.isInfinite()) {
                    changed.await();
                } else {
                    changed.awaitNanos(nanos);
                }
            }
        } catch (InterruptedException e) {
            closeQuietly();
            throw ConnectionSettings.interrupted(recvFromPeer);
        } finally {
            lock.unlock();
        }
    }

    // --- sending

    /** The most bytes one queued write copies; a larger send is queued in writes of this size. */
    static final int MAX_WRITE = 1024 * 1024;

    /** The queued bytes at which a send parks (high) and is let go again (low). */
    static final io.netty.channel.WriteBufferWaterMark WATER_MARK = new io.netty.channel.WriteBufferWaterMark(128 * 1024,
            512 * 1024);

    /** Reading goes on ahead of the receives until this many bytes wait to be received. */
    static final int READ_AHEAD = 64 * 1024;

    @Override
    public void send(ByteBuffer[] data, Duration timeout) throws IOException {
        checkOpen("send");
        checkInterrupt(sendToPeer);
        String operation = sendToPeer;
        Deadline deadline = settings.sendDeadline(timeout);
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        int next = 0;
        long taken = 0;
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(left, MAX_WRITE);
            try {
                awaitWritable(operation, deadline);
            } catch (SocketTimeoutException e) {
                sent.record(taken);
                throw settings.sendTimedOut(operation, taken, this::close);
            }
            ByteBuf copy = channel.alloc().directBuffer(n);
            while (copy.isWritable()) {
                ByteBuffer b = data[next];
                int k = Math.min(b.remaining(), copy.writableBytes());
                copy.writeBytes(b.slice(b.position(), k));
                b.position(b.position() + k);
                if (!b.hasRemaining()) {
                    next++;
                }
            }
            writeBehind(copy, operation);
            left -= n;
            taken += n;
        }
        sent.record(total);
    }

    /**
     * Waits while the queue of writes is above its high water mark, so that what a connection
     * queues stays bounded whatever its senders do (a send that times out has queued nothing
     * more).
     *
     * @throws SocketTimeoutException when the deadline passes first
     */
    private void awaitWritable(String operation, Deadline deadline) throws IOException {
        failIfBroken(operation);
        if (channel.isWritable()) {
            return;
        }
        lock.lock();
        try {
            long nanos = deadline.remainingNanos();
            while (!channel.isWritable()) {
                failIfBroken(operation);
                if (!channel.isActive()) {
                    throw new TransportException(operation + ": the connection was lost", null);
                }
                if (deadline.isInfinite()) {
                    changed.await();
                } else if (nanos <= 0) {
                    throw new SocketTimeoutException(operation + ": timed out");
                } else {
                    nanos = changed.awaitNanos(nanos);
                }
            }
        } catch (InterruptedException e) {
            closeQuietly();
            throw ConnectionSettings.interrupted(operation);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a write; its failure reaches {@link #exceptionCaught} and the next operation. */
    private void writeBehind(ByteBuf bytes, String operation) throws IOException {
        try {
            failIfBroken(operation);
        } catch (IOException e) {
            bytes.release();
            throw e;
        }
        channel.writeAndFlush(bytes).addListener(recordWriteFailure);
    }

    private final io.netty.channel.ChannelFutureListener recordWriteFailure = written -> {
        if (!written.isSuccess()) {
            lock.lock();
            try {
                if (writeFailure == null) {
                    writeFailure = written.cause();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    };

    /** Throws if the connection was closed or shut down for writing here, or a queued write failed. */
    private void failIfBroken(String operation) throws IOException {
        if (closed) {
            throw new ConnectionClosedException(operation + ": connection closed");
        }
        if (channel.isOutputShutdown()) {
            throw new ConnectionClosedException(operation + ": shut down for writing on this side");
        }
        Throwable failed = writeFailure;
        if (failed != null) {
            throw failed instanceof java.nio.channels.ClosedChannelException
                    ? new ConnectionClosedException(operation + ": shut down or closed on this side", failed)
                    : new TransportException(operation + ": " + failed.getMessage(), failed);
        }
    }

    /** Completes when every write queued before it has been written (or has failed). */
    private io.netty.channel.ChannelFuture queuedWrites() {
        return channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
    }

    @Override
    public long sendfile(Path path, long offset, long length) throws IOException {
        String operation = "sendfile " + path + " to " + remote;
        failIfBroken(operation);
        checkInterrupt(operation);
        Deadline deadline = settings.sendDeadline(null);
        FileChannel file = FileChannel.open(path);
        FileRange range;
        try {
            range = FileRange.of(operation, offset, length, file.size());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        if (range.length() == 0) {
            file.close();
            return 0;
        }
        // A chunked copy through the queue of writes: on loopback it measured 2.4 times faster than
        // Netty's splice-based file region (1.1 against 2.6 GB/s for a 256 MiB file).
        try (file) {
            long position = range.offset();
            long end = range.offset() + range.length();
            while (position < end) {
                int n = (int) Math.min(MAX_WRITE, end - position);
                try {
                    awaitWritable(operation, deadline);
                } catch (SocketTimeoutException e) {
                    sent.record(position - range.offset());
                    throw settings.sendTimedOut(operation, position - range.offset(), this::close);
                }
                ByteBuf chunk = channel.alloc().directBuffer(n);
                try {
                    while (chunk.isWritable()) {
                        if (chunk.writeBytes(file, position + chunk.readableBytes(), chunk.writableBytes()) < 0) {
                            throw new java.io.EOFException(operation + ": the file ended early (it shrank while being sent)");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
                writeBehind(chunk, operation);
                position += n;
            }
        } catch (IOException e) {
            throw e instanceof ConnectionClosedException || e instanceof TransportException
                    || e instanceof java.io.InterruptedIOException ? e : failure(operation, e);
        }
        sent.record(range.length());
        return range.length();
    }

    // --- options

    @Override
    public <T> void setopt(SocketOption<T> option, T value) throws IOException {
        checkOpen("setopt");
        if (ConnectionSettings.keeps(option)) {
            settings.set(option, value);
            return;
        }
        ChannelOption<T> mapped = UringOptions.of(option);
        if (mapped == null) {
            throw new UnsupportedFeatureException("setopt " + option.name() + " on " + remote
                    + ": the iouring transport has no such option");
        }
        if (!channel.config().setOption(mapped, value)) {
            throw new UnsupportedFeatureException("setopt " + option.name() + " on " + remote + ": refused by the channel");
        }
    }

    @Override
    public <T> T getopt(SocketOption<T> option) throws IOException {
        checkOpen("getopt");
        if (ConnectionSettings.keeps(option)) {
            return settings.get(option);
        }
        ChannelOption<T> mapped = UringOptions.of(option);
        if (mapped == null) {
            throw new UnsupportedFeatureException("getopt " + option.name() + " on " + remote
                    + ": the iouring transport has no such option");
        }
        return channel.config().getOption(mapped);
    }

    @Override
    public SocketStats stats() {
        return TrafficCounter.snapshot(receiver.counter(), sent);
    }

    @Override
    public InetSocketAddress remote() throws ConnectionClosedException {
        checkOpen("peername");
        return remote;
    }

    @Override
    public InetSocketAddress local() throws ConnectionClosedException {
        checkOpen("sockname");
        return local;
    }

    ConnectionSettings settings() {
        return settings;
    }

    // --- closing

    @Override
    public void shutdown(ShutdownHow how) throws IOException {
        checkOpen("shutdown");
        String operation = "shutdown " + how + " of " + remote;
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        try {
            if (how != ShutdownHow.WRITE) {
                Futures.await(channel.shutdownInput(), deadline, operation);
                ended();
            }
            if (how != ShutdownHow.READ) {
                Futures.await(queuedWrites(), deadline, operation);   // the queued bytes go before the end
                Futures.await(channel.shutdownOutput(), deadline, operation);
            }
        } catch (IOException e) {
            throw failure(operation, e);
        }
    }

    /** How long a close with a zero close linger lets queued writes go out before it closes anyway. */
    static final Duration QUEUE_LINGER = Duration.ofSeconds(60);

    /**
     * Wakes blocked callers and closes without waiting: abortively with {@code SO_LINGER} 0;
     * otherwise the queued writes go out, then the end of stream, and the event loop reads and
     * drops what the peer still sends until the peer's end (CLOSE-4), within the close linger.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        channel.eventLoop().execute(this::releaseInbound);
        if (!channel.isOpen()) {
            return;   // the peer's reset or the event loop closed it already: nothing is left to release
        }
        Integer soLinger;
        try {
            soLinger = channel.config().getOption(ChannelOption.SO_LINGER);
        } catch (io.netty.channel.ChannelException closedMeanwhile) {
            channel.close();
            return;
        }
        if (soLinger != null && soLinger == 0) {
            channel.close();   // abortive: what is queued is dropped, the peer sees a reset
            return;
        }
        Duration linger = settings.closeLinger();
        // The queued writes get the close linger to go out (CLOSE-4 bounds a close by it; with a
        // zero linger, QUEUE_LINGER, as the kernel's send buffer would); then the linger (reading
        // and dropping what the peer still sends) runs from when they have.
        closeAfter(linger.isZero() ? QUEUE_LINGER : linger);
        queuedWrites().addListener(written -> {
            if (!written.isSuccess() || linger.isZero() || inputEnded()) {
                channel.close();
                return;
            }
            channel.shutdownOutput().addListener(shut -> {
                if (shut.isSuccess()) {
                    closeAfter(linger);
                    channel.config().setAutoRead(true);   // drain: channelRead drops what arrives
                } else {
                    channel.close();
                }
            });
        });
    }

    /** Closes the channel after {@code delay} unless it has closed by then. */
    private void closeAfter(Duration delay) {
        var forced = channel.eventLoop().schedule(() -> channel.close(), Math.min(delay.toMillis(), Long.MAX_VALUE / 2),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closedNow -> forced.cancel(false));
    }

    private boolean inputEnded() {
        lock.lock();
        try {
            return inputEnded;
        } finally {
            lock.unlock();
        }
    }

    private void releaseInbound() {
        lock.lock();
        try {
            ByteBuf b;
            while ((b = inbound.poll()) != null) {
                b.release();
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen(String operation) throws ConnectionClosedException {
        if (closed) {
            throw new ConnectionClosedException(operation + " on " + remote + ": connection closed");
        }
    }

    private IOException failure(String operation, IOException e) {
        if (closed) {
            return new ConnectionClosedException(operation + ": connection closed", e);
        }
        if (e instanceof java.nio.channels.ClosedChannelException) {
            return new ConnectionClosedException(operation + ": shut down or closed on this side", e);
        }
        return e instanceof SocketTimeoutException ? e : new TransportException(operation + ": " + e.getMessage(), e);
    }

}
