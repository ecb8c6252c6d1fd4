package dev.atoll.transport.nio;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.TransportException;
import dev.atoll.transport.UnsupportedFeatureException;
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
import java.net.Socket;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A connection of the {@code nio} transport: a blocking {@link SocketChannel}. On a virtual
 * thread the JDK parks blocking channel operations on its poller instead of pinning the carrier.
 * Receives go through the channel's socket adaptor, whose stream honours a per-call timeout;
 * sends and {@code sendfile} use the channel itself, so {@code sendfile} is the kernel's
 * zero-copy {@code sendfile(2)} through {@link FileChannel#transferTo}.
 */
final class NioSocket implements Receiver.Source, PlainSocket {

    private final SocketChannel channel;
    private final Socket adaptor;
    private final InputStream input;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Receiver receiver = new Receiver();
    private final TrafficCounter sent = new TrafficCounter();
    private volatile boolean closed;

    private NioSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.adaptor = channel.socket();
        this.input = adaptor.getInputStream();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /** "recv from" and the peer, for messages; made when needed, not held by every connection. */
    @Override
    public String operation() {
        return "recv from " + remote;
    }

    static NioSocket accepted(SocketChannel channel) throws IOException {
        try {
            return new NioSocket(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static NioSocket connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException {
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
                    if (option != AtollOptions.RECV_CHUNK_SIZE) {
                        channel.setOption(option, value);
                    }
                }
            });
            try {
                // A zero timeout cannot mean "infinite" here: give it the smallest real wait.
                channel.socket().connect(remote, deadline.remainingNanos() == 0 ? 1 : deadline.soTimeoutMillis(operation));
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException(operation + ": no answer within " + timeout);
            } catch (ConnectException e) {
                ConnectException named = new ConnectException(operation + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            NioSocket socket = new NioSocket(channel);
            Integer chunk = options.get(AtollOptions.RECV_CHUNK_SIZE);
            if (chunk != null) {
                socket.receiver.chunkSize(chunk);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    // --- receiving

    @Override
    public ByteBuffer recv(int length, Duration timeout) throws IOException {
        checkOpen("recv");
        return receiver.receive(this, length, timeout);
    }

    @Override
    public int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException {
        if (deadline.remainingNanos() == 0) {
            return probe(dst, offset, length);
        }
        try {
            adaptor.setSoTimeout(deadline.isInfinite() ? 0 : deadline.soTimeoutMillis(operation()));
            return input.read(dst, offset, length);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException(operation() + ": timed out");
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

    /** The zero-timeout receive: takes what the kernel already holds and never waits. */
    private int probe(byte[] dst, int offset, int length) throws IOException {
        int available;
        try {
            available = input.available();
            if (available > 0) {
                return input.read(dst, offset, Math.min(length, available));
            }
        } catch (IOException e) {
            throw failure(operation(), e);
        }
        throw new SocketTimeoutException(operation() + ": no bytes have arrived");
    }

    // --- sending

    @Override
    public void send(ByteBuffer[] data) throws IOException {
        checkOpen("send");
        long total = 0;
        try {
            int first = 0;
            while (first < data.length) {
                if (!data[first].hasRemaining()) {
                    first++;
                    continue;
                }
                total += channel.write(data, first, data.length - first);
            }
        } catch (IOException e) {
            throw failure("send to " + remote, e);
        } finally {
            sent.record(total);
        }
    }

    @Override
    public long sendfile(Path path, long offset, long length) throws IOException {
        String operation = "sendfile " + path + " to " + remote;
        checkOpen("sendfile");
        long done = 0;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            FileRange range = FileRange.of(operation, offset, length, file.size());
            try {
                while (done < range.length()) {
                    long n = file.transferTo(range.offset() + done, range.length() - done, channel);
                    if (n == 0 && range.offset() + done >= file.size()) {
                        throw new EOFException(operation + ": the file shrank to " + file.size() + " bytes while sending");
                    }
                    done += n;
                }
            } catch (EOFException e) {
                throw e;
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
     * Atoll's {@link AtollOptions#RECV_CHUNK_SIZE}.
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
            all.add(AtollOptions.RECV_CHUNK_SIZE);
            return Set.copyOf(all);
        }
    }

    @Override
    public <T> void setopt(SocketOption<T> option, T value) throws IOException {
        checkOpen("setopt");
        if (option == AtollOptions.RECV_CHUNK_SIZE) {
            receiver.chunkSize((Integer) value);
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
        if (option == AtollOptions.RECV_CHUNK_SIZE) {
            return option.type().cast(receiver.chunkSize());
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

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
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
