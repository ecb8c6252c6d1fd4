package com.example.blocking;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.NotSecureException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import dev.atoll.transport.TransportException;
import dev.atoll.transport.UnsupportedFeatureException;
import dev.atoll.transport.spi.Deadline;
import dev.atoll.transport.spi.FileRange;
import dev.atoll.transport.spi.Receiver;
import dev.atoll.transport.spi.TrafficCounter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A transport written outside Atoll, on nothing but the JDK's blocking {@link java.net.Socket}s
 * and Atoll's API: the example of README's "Proving your own transport". It is small and
 * correct; Atoll's TCK also uses it as the correct transport its faulty wrappers break.
 * {@code sendfile} copies through a 64 KiB buffer.
 */
public final class BlockingSocketTransport implements Transport<BlockingSocketTransport.Handle, ServerSocket> {

    private static final Set<SocketOption<?>> OPTIONS = options();

    private static Set<SocketOption<?>> options() {
        Set<SocketOption<?>> all = new LinkedHashSet<>(new Socket().supportedOptions());
        all.removeIf(o -> o.name().equals("SO_INCOMING_NAPI_ID"));
        all.add(AtollOptions.RECV_CHUNK_SIZE);
        return Set.copyOf(all);
    }

    /** One connection: the socket, its streams and counters. */
    public static final class Handle implements Receiver.Source {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final InetSocketAddress remote;
        final InetSocketAddress local;
        final String recvFromPeer;
        final Receiver receiver = new Receiver();
        final TrafficCounter sent = new TrafficCounter();
        /** Calls that may be blocked in the socket now: a close must then wake them rather than linger. */
        final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean closed;

        Handle(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.local = (InetSocketAddress) socket.getLocalSocketAddress();
            this.recvFromPeer = "recv from " + remote;
        }

        @Override
        public int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException {
            busy.incrementAndGet();   // before the check, so that a close either sees this call or is seen by it
            try {
                checkOpen(recvFromPeer);
                if (deadline.remainingNanos() == 0) {
                    int available = in.available();
                    if (available == 0) {
                        throw new SocketTimeoutException(recvFromPeer + ": nothing available");
                    }
                    return in.read(dst, offset, Math.min(available, length));
                }
                int millis = deadline.soTimeoutMillis(recvFromPeer);
                socket.setSoTimeout(millis);
                try {
                    return in.read(dst, offset, length);
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException(recvFromPeer + ": nothing arrived within " + millis + " ms");
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw failure(recvFromPeer, e);
            } finally {
                busy.decrementAndGet();
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public String operation() {
            return recvFromPeer;
        }

        IOException failure(String operation, IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return interrupted(operation);   // the JDK closed the socket when the thread was interrupted
            }
            return closed ? new ConnectionClosedException(operation + ": connection closed", e)
                    : new TransportException(operation + ": " + e.getMessage(), e);
        }

        /** An interrupted caller abandons the connection (INTR-1). */
        java.io.InterruptedIOException interrupted(String operation) {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is what is left to do
            }
            return new java.io.InterruptedIOException(operation + ": interrupted; the connection was closed");
        }

        void checkOpen(String operation) throws IOException {
            if (closed) {
                throw new ConnectionClosedException(operation + " on " + remote + ": connection closed");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(operation + " on " + remote);
            }
        }

        /**
         * Closes: at once when a call may be blocked (to wake it) or the close is abortive;
         * otherwise it ends the output and reads and drops what the peer still sends, on a
         * virtual thread, until the peer's end or {@link #LINGER}, so that bytes it never read do
         * not make the kernel reset the connection before the peer has read what was sent.
         */
        void close() throws IOException {
            closed = true;
            if (busy.get() > 0 || socket.isClosed() || socket.getSoLinger() == 0) {
                socket.close();
                return;
            }
            try {
                socket.shutdownOutput();
                socket.setSoTimeout((int) LINGER.toMillis());
            } catch (IOException e) {
                socket.close();
                return;
            }
            Thread.ofVirtual().name("blocking-close " + remote).start(() -> {
                byte[] drop = new byte[8192];
                long deadline = System.nanoTime() + LINGER.toNanos();
                try (socket) {
                    while (System.nanoTime() < deadline && in.read(drop) >= 0) {
                        // what the peer still sends is dropped
                    }
                } catch (IOException ignored) {
                    // a timeout or a failure ends the linger
                }
            });
        }
    }

    /** The transport's name. */
    public static final String NAME = "blocking";

    /** How long a close reads and drops what the peer still sends before it closes anyway. */
    static final Duration LINGER = Duration.ofSeconds(5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public ServerSocket listen(InetSocketAddress local, SocketOptions options) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            for (SocketOption<?> option : options.options()) {
                if (option != AtollOptions.BACKLOG && !server.supportedOptions().contains(option)) {
                    throw new UnsupportedFeatureException("listen on " + local + ": the blocking transport has no listener "
                            + "option " + option.name());
                }
            }
            options.applyTo(new SocketOptions.OptionTarget() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    if (option != AtollOptions.BACKLOG) {
                        server.setOption(option, value);   // SO_REUSEPORT lets several listeners share a port
                    }
                }
            });
            server.bind(local, options.get(AtollOptions.BACKLOG, AtollOptions.DEFAULT_BACKLOG));
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public Handle accept(ServerSocket listener, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        String operation = "accept on " + listener.getLocalSocketAddress();
        try {
            listener.setSoTimeout(deadline.remainingNanos() == 0 ? 1 : deadline.soTimeoutMillis(operation));
            return new Handle(listener.accept());
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw listener.isClosed() ? new ConnectionClosedException(operation + ": listener closed", e) : e;
        }
    }

    @Override
    public InetSocketAddress listenerAddress(ServerSocket listener) {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    public void closeListener(ServerSocket listener) throws IOException {
        listener.close();
    }

    @Override
    public Handle connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            Integer chunk = null;
            for (SocketOption<?> option : options.options()) {
                if (!OPTIONS.contains(option)) {
                    throw new UnsupportedFeatureException("connect to " + remote + ": no option " + option.name());
                }
            }
            options.applyTo(new SocketOptions.OptionTarget() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    if (option != AtollOptions.RECV_CHUNK_SIZE) {
                        socket.setOption(option, value);
                    }
                }
            });
            chunk = options.get(AtollOptions.RECV_CHUNK_SIZE);
            Deadline deadline = Deadline.after(timeout);
            int millis = deadline.remainingNanos() == 0 ? 1 : deadline.soTimeoutMillis("connect to " + remote);
            try {
                socket.connect(remote, millis);
            } catch (ConnectException e) {
                throw new ConnectException("connect to " + remote + ": " + e.getMessage());
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("connect to " + remote + ": no answer within " + millis + " ms");
            }
            Handle handle = new Handle(socket);
            if (chunk != null) {
                handle.receiver.chunkSize(chunk);
            }
            return handle;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public Handle handshake(Handle socket, Duration timeout) {
        return socket;
    }

    @Override
    public Handle upgrade(Connection plain, boolean server) throws IOException {
        throw new UnsupportedFeatureException("upgrade of " + plain + ": the blocking transport is plain");
    }

    @Override
    public ByteBuffer recv(Handle socket, int length, Duration timeout) throws IOException {
        socket.checkOpen("recv");
        return socket.receiver.receive(socket, length, timeout);
    }

    @Override
    public int recv(Handle socket, ByteBuffer dst, Duration timeout) throws IOException {
        socket.checkOpen("recv");
        return socket.receiver.receive(socket, dst, timeout);
    }

    @Override
    public void unrecv(Handle socket, ByteBuffer bytes) throws IOException {
        socket.checkOpen("unrecv");
        socket.receiver.unreceive(bytes);
    }

    /** A blocking socket's write cannot time out: only a send without a limit is possible. */
    @Override
    public void send(Handle socket, Duration timeout, ByteBuffer... data) throws IOException {
        if (timeout.compareTo(Transport.INFINITE) < 0) {
            throw new UnsupportedFeatureException("send to " + socket.remote + ": the blocking transport cannot limit how "
                    + "long a send waits");
        }
        send(socket, data);
    }

    @Override
    public void send(Handle socket, ByteBuffer... data) throws IOException {
        long total = 0;
        socket.busy.incrementAndGet();
        try {
            socket.checkOpen("send");
            for (ByteBuffer b : data) {
                int n = b.remaining();
                if (b.hasArray()) {
                    socket.out.write(b.array(), b.arrayOffset() + b.position(), n);
                    b.position(b.limit());
                } else {
                    byte[] copy = new byte[n];
                    b.get(copy);
                    socket.out.write(copy);
                }
                total += n;
            }
            socket.out.flush();
        } catch (IOException e) {
            throw socket.failure("send to " + socket.remote, e);
        } finally {
            socket.busy.decrementAndGet();
            socket.sent.record(total);
        }
    }

    @Override
    public long sendfile(Handle socket, Path path, long offset, long length) throws IOException {
        socket.checkOpen("sendfile");
        try (FileChannel file = FileChannel.open(path)) {
            FileRange range = FileRange.of("sendfile " + path + " to " + socket.remote, offset, length, file.size());
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long done = 0;
            socket.busy.incrementAndGet();
            try {
                socket.checkOpen("sendfile");
                while (done < range.length()) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), range.length() - done));
                    int n = file.read(buffer, range.offset() + done);
                    if (n < 0) {
                        throw new EOFException("sendfile " + path + ": the file shrank");
                    }
                    socket.out.write(buffer.array(), 0, n);
                    done += n;
                }
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                throw socket.failure("sendfile " + path + " to " + socket.remote, e);
            } finally {
                socket.busy.decrementAndGet();
                socket.sent.record(done);
            }
            return done;
        }
    }

    @Override
    public <T> void setopt(Handle socket, SocketOption<T> option, T value) throws IOException {
        socket.checkOpen("setopt");
        if (option == AtollOptions.RECV_CHUNK_SIZE) {
            socket.receiver.chunkSize((Integer) value);
        } else if (OPTIONS.contains(option)) {
            socket.socket.setOption(option, value);
        } else {
            throw new UnsupportedFeatureException("setopt " + option.name() + ": not supported");
        }
    }

    @Override
    public <T> T getopt(Handle socket, SocketOption<T> option) throws IOException {
        socket.checkOpen("getopt");
        if (option == AtollOptions.RECV_CHUNK_SIZE) {
            return option.type().cast(socket.receiver.chunkSize());
        }
        if (!OPTIONS.contains(option)) {
            throw new UnsupportedFeatureException("getopt " + option.name() + ": not supported");
        }
        return socket.socket.getOption(option);
    }

    @Override
    public SocketStats getstat(Handle socket) {
        return TrafficCounter.snapshot(socket.receiver.counter(), socket.sent);
    }

    @Override
    public Optional<String> negotiatedProtocol(Handle socket) throws IOException {
        throw new NotSecureException("negotiatedProtocol: not secure");
    }

    @Override
    public List<Certificate> peercert(Handle socket) throws IOException {
        throw new NotSecureException("peercert: not secure");
    }

    @Override
    public InetSocketAddress peername(Handle socket) throws IOException {
        socket.checkOpen("peername");
        return socket.remote;
    }

    @Override
    public InetSocketAddress sockname(Handle socket) throws IOException {
        socket.checkOpen("sockname");
        return socket.local;
    }

    @Override
    public void shutdown(Handle socket, ShutdownHow how) throws IOException {
        socket.checkOpen("shutdown");
        if (how != ShutdownHow.WRITE) {
            socket.socket.shutdownInput();
        }
        if (how != ShutdownHow.READ) {
            socket.socket.shutdownOutput();
        }
    }

    @Override
    public void close(Handle socket) throws IOException {
        if (!socket.closed) {
            socket.close();
        }
    }
}
