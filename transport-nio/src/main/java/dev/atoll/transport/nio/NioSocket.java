package dev.atoll.transport.nio;

import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.TransportException;
import dev.atoll.transport.UnsupportedFeatureException;
import dev.atoll.transport.spi.ConnectionSettings;
import dev.atoll.transport.spi.Deadline;
import dev.atoll.transport.spi.PlainSocket;
import dev.atoll.transport.spi.FileRange;
import dev.atoll.transport.spi.Receiver;
import dev.atoll.transport.spi.TrafficCounter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection of the {@code nio} transport: a non-blocking {@link SocketChannel} whose waits go
 * through the transport's {@link NioPoller}. A receive or a send tries the channel first and,
 * when nothing can move, arms the poller and parks on this connection's condition (a virtual
 * thread parks without pinning) until the channel is ready, the deadline passes, the connection
 * closes, or the thread is interrupted. {@code sendfile} is the kernel's zero-copy
 * {@code sendfile(2)} through {@link FileChannel#transferTo}.
 */
final class NioSocket implements Receiver.Source, PlainSocket, NioPoller.Readiness {

    private final SocketChannel channel;
    private final NioPoller poller;
    private final SelectionKey key;
    private final InputStream input;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Receiver receiver = new Receiver();
    private final ConnectionSettings settings = new ConnectionSettings(receiver);
    private final TrafficCounter sent = new TrafficCounter();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    /** The operations the poller reported ready since they were last armed; under {@code lock}. */
    private int readyOps;
    private volatile boolean closed;

    private NioSocket(SocketChannel channel, NioTransport transport) throws IOException {
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
        channel.configureBlocking(false);
        this.input = channel.socket().getInputStream();
        NioPoller.Registration registration = transport.register(channel, this);
        this.poller = registration.poller();
        this.key = registration.key();
    }

    /** "send to" and the peer, for messages; made when needed. */
    private String sendOperation() {
        return "send to " + remote;
    }

    /** "recv from" and the peer, for messages; made when needed, not held by every connection. */
    @Override
    public String operation() {
        return "recv from " + remote;
    }

    static NioSocket accepted(SocketChannel channel, NioTransport transport) throws IOException {
        try {
            return new NioSocket(channel, transport);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static NioSocket connect(InetSocketAddress remote, SocketOptions options, Duration timeout, NioTransport transport)
            throws IOException {
        String operation = "connect to " + remote;
        Deadline deadline = Deadline.after(timeout);
        SocketChannel channel = SocketChannel.open();
        try {
            for (SocketOption<?> option : options.options()) {
                if (!supportedOptions().contains(option)) {
                    throw new UnsupportedFeatureException(operation + ": the nio transport has no option " + option.name());
                }
            }
            options.applyTo(new SocketOptions.OptionTarget() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    if (!ConnectionSettings.keeps(option)) {
                        channel.setOption(option, value);
                    }
                }
            });
            try {
                // A zero timeout cannot mean "infinite" here: give it the smallest real wait.
                channel.socket().connect(remote, deadline.remainingNanos() == 0 ? 1 : deadline.soTimeoutMillis(operation));
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException(operation + ": no answer within " + timeout);
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw ConnectionSettings.interrupted(operation);
            } catch (ConnectException e) {
                ConnectException named = new ConnectException(operation + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            NioSocket socket = new NioSocket(channel, transport);
            try {
                socket.settings.setFrom(options);
            } catch (RuntimeException e) {
                socket.closeNow();
                throw e;
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    // --- waiting

    @Override
    public void ready(int ops) {
        lock.lock();
        try {
            readyOps |= ops;
            if ((ops & SelectionKey.OP_READ) != 0) {
                readable.signal();
            }
            if ((ops & SelectionKey.OP_WRITE) != 0) {
                writable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the channel is ready for {@code op} or the deadline passes.
     *
     * @return {@code false} when the deadline passed first
     * @throws ConnectionClosedException when the connection closes meanwhile
     * @throws java.io.InterruptedIOException when the thread is interrupted; the connection is then closed (INTR-1)
     */
    private boolean await(int op, Deadline deadline, java.util.function.Supplier<String> operation) throws IOException {
        long nanos = deadline.remainingNanos();
        if (nanos == 0) {
            return false;
        }
        Condition condition = op == SelectionKey.OP_READ ? readable : writable;
        lock.lock();
        try {
            readyOps &= ~op;
            poller.arm(key, op);
            while ((readyOps & op) == 0) {
                if (closed) {
                    throw new ConnectionClosedException(operation.get() + ": connection closed");
                }
                if (deadline.isInfinite()) {
                    condition.await();
                } else {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = condition.awaitNanos(nanos);
                }
            }
            return true;
        } catch (InterruptedException e) {
            closeQuietly();
            throw ConnectionSettings.interrupted(operation.get());
        } finally {
            lock.unlock();
        }
    }

    /** INTR-1 for a call made with the interrupt status already set. */
    private void checkInterrupt(java.util.function.Supplier<String> operation) throws java.io.InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            closeQuietly();
            throw ConnectionSettings.interrupted(operation.get());
        }
    }

    /** INTR-1 for an interruptible file channel that an interrupt closed. */
    private java.io.InterruptedIOException interruptedWhile(String operation) {
        closeQuietly();
        return ConnectionSettings.interrupted(operation);
    }

    // --- receiving

    @Override
    public ByteBuffer recv(int length, Duration timeout) throws IOException {
        checkOpen("recv");
        return receiver.receive(this, length, timeout);
    }

    @Override
    public int recv(ByteBuffer dst, Duration timeout) throws IOException {
        checkOpen("recv");
        return receiver.receive(this, dst, timeout);
    }

    @Override
    public void unrecv(ByteBuffer bytes) throws IOException {
        checkOpen("unrecv");
        receiver.unreceive(bytes);
    }

    @Override
    public int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException {
        return read(ByteBuffer.wrap(dst, offset, length), deadline);
    }

    @Override
    public int read(ByteBuffer dst, Deadline deadline) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            checkInterrupt(this::operation);
        }
        try {
            while (true) {
                int n = channel.read(dst);
                if (n != 0) {
                    return n;
                }
                if (!await(SelectionKey.OP_READ, deadline, this::operation)) {
                    throw new SocketTimeoutException(operation() + ": timed out");
                }
            }
        } catch (ConnectionClosedException | java.io.InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw failure(operation(), e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return input.available();
        } catch (IOException e) {
            throw failure(operation(), e);
        }
    }

    // --- sending

    @Override
    public void send(ByteBuffer[] data, Duration timeout) throws IOException {
        checkOpen("send");
        if (Thread.currentThread().isInterrupted()) {
            checkInterrupt(this::sendOperation);
        }
        Deadline deadline = settings.sendDeadline(timeout);
        long total = 0;
        try {
            int first = 0;
            while (true) {
                while (first < data.length && !data[first].hasRemaining()) {
                    first++;
                }
                if (first == data.length) {
                    return;
                }
                long n = channel.write(data, first, data.length - first);
                total += n;
                if (n == 0 && !await(SelectionKey.OP_WRITE, deadline, this::sendOperation)) {
                    throw settings.sendTimedOut(sendOperation(), total, this::close);
                }
            }
        } catch (ConnectionClosedException | java.io.InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw failure(sendOperation(), e);
        } finally {
            sent.record(total);
        }
    }

    @Override
    public long sendfile(Path path, long offset, long length) throws IOException {
        String operation = "sendfile " + path + " to " + remote;
        checkOpen("sendfile");
        checkInterrupt(() -> operation);
        Deadline deadline = settings.sendDeadline(null);
        long done = 0;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            FileRange range = FileRange.of(operation, offset, length, file.size());
            try {
                while (done < range.length()) {
                    long n = file.transferTo(range.offset() + done, range.length() - done, channel);
                    if (n == 0) {
                        if (range.offset() + done >= file.size()) {
                            throw new EOFException(operation + ": the file shrank to " + file.size() + " bytes while sending");
                        }
                        if (!await(SelectionKey.OP_WRITE, deadline, () -> operation)) {
                            throw settings.sendTimedOut(operation, done, this::close);
                        }
                    }
                    done += n;
                }
            } catch (EOFException | ConnectionClosedException | java.io.InterruptedIOException e) {
                throw e;
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw interruptedWhile(operation);   // the interrupt closed the file channel
            } catch (IOException e) {
                throw failure(operation, e);
            }
            return done;
        } finally {
            sent.record(done);
        }
    }

    // --- options, stats, addresses

    /**
     * The options of a socket channel on this JDK and platform that can be both set and read
     * (the read-only {@code SO_INCOMING_NAPI_ID} is left out, as it cannot round-trip), plus
     * Atoll's own ({@link ConnectionSettings#OPTIONS}).
     */
    static Set<SocketOption<?>> supportedOptions() {
        return Options.SUPPORTED;
    }

    private static final class Options {
        static final Set<SocketOption<?>> SUPPORTED = list();

        private static Set<SocketOption<?>> list() {
            Set<SocketOption<?>> all = new LinkedHashSet<>();
            try (SocketChannel probe = SocketChannel.open()) {
                for (SocketOption<?> option : probe.supportedOptions()) {
                    if (!option.name().equals("SO_INCOMING_NAPI_ID")) {
                        all.add(option);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("nio: cannot open a socket channel to list its options", e);
            }
            all.addAll(ConnectionSettings.OPTIONS);
            return Set.copyOf(all);
        }
    }

    @Override
    public <T> void setopt(SocketOption<T> option, T value) throws IOException {
        checkOpen("setopt");
        if (ConnectionSettings.keeps(option)) {
            settings.set(option, value);
            return;
        }
        checkSupported(option, "setopt");
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw failure("setopt " + option.name() + " on " + remote, e);
        }
    }

    @Override
    public <T> T getopt(SocketOption<T> option) throws IOException {
        checkOpen("getopt");
        if (ConnectionSettings.keeps(option)) {
            return settings.get(option);
        }
        checkSupported(option, "getopt");
        try {
            return channel.getOption(option);
        } catch (IOException e) {
            throw failure("getopt " + option.name() + " on " + remote, e);
        }
    }

    private void checkSupported(SocketOption<?> option, String operation) throws UnsupportedFeatureException {
        if (!supportedOptions().contains(option)) {
            throw new UnsupportedFeatureException(operation + " " + option.name() + " on " + remote
                    + ": the nio transport has no such option");
        }
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

    // --- closing

    @Override
    public void shutdown(ShutdownHow how) throws IOException {
        checkOpen("shutdown");
        try {
            if (how != ShutdownHow.WRITE) {
                channel.shutdownInput();
            }
            if (how != ShutdownHow.READ) {
                channel.shutdownOutput();
            }
        } catch (IOException e) {
            throw failure("shutdown " + how + " of " + remote, e);
        }
    }

    /**
     * Wakes blocked callers and closes: at once when the close is abortive ({@code SO_LINGER} 0)
     * or the close linger is zero; otherwise it ends the output (the kernel sends what it holds,
     * then the end of stream) and leaves the channel to the poller, which drops what the peer
     * still sends until the peer's end or the linger's end (CLOSE-4).
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        Duration linger = settings.closeLinger();
        if (linger.isZero() || abortive() || !channel.isOpen()) {
            channel.close();
            poller.wakeup();
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException alreadyGone) {
            channel.close();
            poller.wakeup();
            return;
        }
        poller.linger(channel, key, System.nanoTime() + Math.min(linger.toNanos(), Long.MAX_VALUE / 4));
    }

    private boolean abortive() {
        try {
            return channel.getOption(StandardSocketOptions.SO_LINGER) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Closes at once, without a linger: for a connection no caller has seen yet. */
    private void closeNow() throws IOException {
        closed = true;
        channel.close();
        poller.wakeup();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the caller reports why it closed
        }
    }

    private void checkOpen(String operation) throws ConnectionClosedException {
        if (closed) {
            throw new ConnectionClosedException(operation + " on " + remote + ": connection closed");
        }
    }

    /** Names the operation and peer, and tells a local close apart from other failures. */
    private IOException failure(String operation, IOException e) {
        if (closed || !channel.isOpen()) {
            return new ConnectionClosedException(operation + ": connection closed", e);
        }
        if (e instanceof java.nio.channels.ClosedChannelException) {
            return new ConnectionClosedException(operation + ": shut down on this side", e);
        }
        return new TransportException(operation + ": " + e.getMessage(), e);
    }
}
