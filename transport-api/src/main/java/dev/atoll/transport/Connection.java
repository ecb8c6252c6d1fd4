package dev.atoll.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsConfig;

/**
 * One connection of one transport: the view application code uses, after Thousand Island's
 * {@code Socket}. It binds a {@link Transport} to one of its handles, checks arguments, refuses
 * use after {@link #close()}, and lets one reader and one writer work at the same time while
 * further readers (or writers) wait their turn. Everything else is the transport's, whose
 * {@link Transport} documentation holds the rules each method follows.
 *
 * <pre>{@code
 * try (Connection c = Connection.connect(transport, new InetSocketAddress("::1", 8080))) {
 *     c.send(ByteBuffer.wrap("ping".getBytes(US_ASCII)));
 *     ByteBuffer reply = c.recv(4, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Connection implements AutoCloseable {

    private final Transport<Object, ?> transport;
    private final Object handle;
    /** The peer's address (or what stands for it) for messages; made a string only when one is needed. */
    private final Object peer;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile String closedBecause;
    private volatile boolean upgraded;

    private Connection(Transport<Object, ?> transport, Object handle, Object peer) {
        this.transport = transport;
        this.handle = handle;
        this.peer = peer;
    }

    /**
     * Binds a transport to one of its connection handles. Backends and tests use this; an
     * application gets connections from {@link #connect} and {@link Listener#accept}.
     *
     * @param transport the transport that made the handle
     * @param handle    the handle
     * @param <S>       the transport's handle type
     * @return the view
     */
    @SuppressWarnings("unchecked") // the type parameter ties the handle to its transport
    public static <S> Connection bind(Transport<S, ?> transport, S handle) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(handle, "handle");
        Object peer;
        try {
            peer = transport.peername(handle);
        } catch (IOException | RuntimeException e) {
            peer = "an unconnected peer";
        }
        return new Connection((Transport<Object, ?>) transport, handle, peer);
    }

    /**
     * Connects with no options and no time limit beyond the operating system's.
     *
     * @param transport the transport
     * @param remote    the peer's address
     * @return the connection
     * @throws IOException when the connection cannot be established (CONNECT-2)
     */
    public static Connection connect(Transport<?, ?> transport, InetSocketAddress remote) throws IOException {
        return connect(transport, remote, SocketOptions.none(), Transport.INFINITE);
    }

    /**
     * Connects, see {@link Transport#connect}.
     *
     * @param transport the transport
     * @param remote    the peer's address
     * @param options   options applied before connecting
     * @param timeout   how long connecting may take
     * @return the connection
     * @throws IOException when the connection cannot be established (CONNECT-2)
     */
    public static Connection connect(Transport<?, ?> transport, InetSocketAddress remote, SocketOptions options,
                                     Duration timeout) throws IOException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(options, "options");
        checkTimeout(timeout);
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("connect: " + remote + " is not resolved");
        }
        return connectWith(transport, remote, options, timeout);
    }

    private static <S> Connection connectWith(Transport<S, ?> transport, InetSocketAddress remote,
                                              SocketOptions options, Duration timeout) throws IOException {
        return bind(transport, transport.connect(remote, options, timeout));
    }

    /**
     * The transport this connection belongs to.
     *
     * @return the transport
     */
    public Transport<?, ?> transport() {
        return transport;
    }

    /**
     * Whether the connection is secure; see {@link Transport#secure()}.
     *
     * @return {@code true} for TLS
     */
    public boolean secure() {
        return transport.secure();
    }

    /**
     * Runs the transport's handshake; see {@link Transport#handshake}. A plain transport returns
     * this connection.
     *
     * @param timeout the handshake's time limit
     * @return the connection to use from now on
     * @throws IOException when the handshake fails; the connection is then closed
     */
    public Connection handshake(Duration timeout) throws IOException {
        checkTimeout(timeout);
        checkOpen("handshake");
        Object result = transport.handshake(handle, timeout);
        return result == handle ? this : new Connection(transport, result, peer);
    }

    /**
     * Pauses a server-side TLS handshake after the ClientHello; see {@link Transport#clientHello}
     * (PAUSE-1, PAUSE-2). Continue with {@link #handshake(TlsConfig, Duration)} or refuse with
     * {@link #cancelHandshake()}.
     *
     * <pre>{@code
     * ClientHello hello = accepted.clientHello(Duration.ofSeconds(5));
     * TlsConfig chosen = hello.serverName().map(certificates::get).orElse(defaultConfig);
     * Connection c = accepted.handshake(chosen, Duration.ofSeconds(5));
     * }</pre>
     *
     * @param timeout how long the client may take to send it
     * @return what the client asked for
     * @throws IOException {@link NotSecureException} on a plain connection; a
     *                     {@link dev.atoll.transport.tls.TlsException} for bytes that are not a
     *                     ClientHello; a timeout
     * @throws IllegalStateException on a client-side connection, or once the handshake has begun
     *                               (PAUSE-5)
     */
    public ClientHello clientHello(Duration timeout) throws IOException {
        checkTimeout(timeout);
        checkOpen("clientHello");
        readLock.lock();
        try {
            return transport.clientHello(handle, timeout);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Runs the handshake with settings chosen for this connection; see
     * {@link Transport#handshake(Object, TlsConfig, Duration)} (PAUSE-3).
     *
     * @param chosen  the settings
     * @param timeout the handshake's time limit
     * @return the connection to use from now on
     * @throws IOException when the handshake fails; the connection is then closed
     */
    public Connection handshake(TlsConfig chosen, Duration timeout) throws IOException {
        Objects.requireNonNull(chosen, "chosen");
        checkTimeout(timeout);
        checkOpen("handshake");
        Object result = transport.handshake(handle, chosen, timeout);
        return result == handle ? this : new Connection(transport, result, peer);
    }

    /**
     * Refuses a paused handshake with a {@code handshake_failure} alert and closes the
     * connection; see {@link Transport#cancelHandshake} (PAUSE-4).
     *
     * @throws IOException {@link NotSecureException} on a plain connection
     */
    public void cancelHandshake() throws IOException {
        checkOpen("cancelHandshake");
        transport.cancelHandshake(handle);
        closedBecause = "closed: handshake cancelled";
    }

    /**
     * Hands this established connection to a secure transport (STARTTLS); see
     * {@link Transport#upgrade}. After a successful upgrade this view refuses further use: the
     * returned connection owns the socket.
     *
     * @param secureTransport the transport to upgrade to
     * @param server          {@code true} to be the TLS server
     * @return the upgraded connection; call {@link #handshake} next
     * @throws IOException when the upgrade is refused or fails
     */
    public Connection upgrade(Transport<?, ?> secureTransport, boolean server) throws IOException {
        Objects.requireNonNull(secureTransport, "secureTransport");
        checkOpen("upgrade");
        // The secure transport gets a view of its own; this one is retired once the upgrade succeeds.
        Connection handedOver = new Connection(transport, handle, peer);
        Connection result = upgradeWith(secureTransport, handedOver, server);
        closedBecause = "upgraded to " + secureTransport.name();
        upgraded = true;
        return result;
    }

    private static <S> Connection upgradeWith(Transport<S, ?> secureTransport, Connection plain, boolean server)
            throws IOException {
        return bind(secureTransport, secureTransport.upgrade(plain, server));
    }

    /**
     * Receives bytes; see {@link Transport#recv} (RECV-1 to RECV-5).
     *
     * @param length  0 for what is available, or the exact number of bytes
     * @param timeout how long to wait
     * @return a new buffer holding the bytes
     * @throws IOException on timeout, end of stream, close or failure
     */
    public ByteBuffer recv(int length, Duration timeout) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("recv from " + peer + ": length must be 0 or more, not " + length);
        }
        checkTimeout(timeout);
        checkOpen("recv");
        readLock.lock();
        try {
            checkOpen("recv");
            return transport.recv(handle, length, timeout);
        } catch (java.io.InterruptedIOException e) {
            throw interrupted(e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Receives into the caller's buffer what is available, at least one byte and at most
     * {@code dst.remaining()}; see {@link Transport#recv(Object, ByteBuffer, Duration)} (RECV-6).
     *
     * @param dst     where the bytes go, with room for at least one
     * @param timeout how long to wait
     * @return how many bytes were put into {@code dst}
     * @throws IOException on timeout, end of stream, close or failure
     */
    public int recv(ByteBuffer dst, Duration timeout) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (!dst.hasRemaining() || dst.isReadOnly()) {
            throw new IllegalArgumentException("recv from " + peer + ": the buffer must be writable and have room");
        }
        checkTimeout(timeout);
        checkOpen("recv");
        readLock.lock();
        try {
            checkOpen("recv");
            return transport.recv(handle, dst, timeout);
        } catch (java.io.InterruptedIOException e) {
            throw interrupted(e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Receives up to and including the first occurrence of {@code delimiter} (a line ending, the
     * end of an HTTP head), and hands what arrived after it back to the connection
     * ({@link #unrecv}) for the next receive.
     *
     * <pre>{@code
     * ByteBuffer head = c.recvUntil("\r\n\r\n".getBytes(US_ASCII), 16 * 1024, Duration.ofSeconds(10));
     * }</pre>
     *
     * @param delimiter the bytes that end the message, at least one
     * @param maxLength the most bytes the message, delimiter included, may have
     * @param timeout   how long the whole message may take
     * @return the message, delimiter included
     * @throws LimitExceededException when {@code maxLength} bytes arrived without the delimiter;
     *                                the bytes stay for the next receive
     * @throws java.net.SocketTimeoutException when it does not arrive in time; the bytes read stay
     *                                for the next receive
     * @throws EndOfStreamException   when the stream ends first; it carries the bytes before the end
     * @throws IOException            on close or failure
     */
    public ByteBuffer recvUntil(byte[] delimiter, int maxLength, Duration timeout) throws IOException {
        Objects.requireNonNull(delimiter, "delimiter");
        if (delimiter.length == 0 || maxLength < delimiter.length) {
            throw new IllegalArgumentException("recvUntil from " + peer + ": the delimiter must have at least one byte and"
                    + " maxLength (" + maxLength + ") room for it");
        }
        checkTimeout(timeout);
        checkOpen("recvUntil");
        readLock.lock();
        try {
            checkOpen("recvUntil");
            return DelimitedReceive.receive(transport, handle, delimiter, maxLength, timeout, "recvUntil from " + peer);
        } catch (java.io.InterruptedIOException e) {
            throw interrupted(e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Hands bytes back to the connection: the next receives return them first (Ranch's
     * {@code unrecv}); an {@link #upgrade} hands them to the new protocol. See
     * {@link Transport#unrecv} (RECV-7).
     *
     * @param bytes the bytes, from position to limit; copied
     * @throws IOException when the connection is closed
     */
    public void unrecv(ByteBuffer bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        checkOpen("unrecv");
        readLock.lock();
        try {
            checkOpen("unrecv");
            transport.unrecv(handle, bytes);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Sends all remaining bytes of the buffers, in order; see {@link Transport#send} (SEND-1),
     * waiting for the peer for the connection's {@link AtollOptions#SEND_TIMEOUT} at most (SEND-2).
     *
     * @param data the buffers
     * @throws IOException when the connection is closed or fails; {@link SendTimeoutException}
     *                     when the send timeout passed
     */
    public void send(ByteBuffer... data) throws IOException {
        sendWithin(null, data);
    }

    /**
     * Sends all remaining bytes of the buffers, in order, waiting for the peer for
     * {@code timeout} at most; see {@link Transport#send(Object, Duration, ByteBuffer...)}
     * (SEND-3, SEND-4).
     *
     * <pre>{@code
     * try {
     *     c.send(Duration.ofSeconds(5), header, body);
     * } catch (SendTimeoutException slow) {
     *     c.close();   // the peer got slow.bytesTaken() bytes of the message
     * }
     * }</pre>
     *
     * @param timeout how long to wait for the peer
     * @param data    the buffers
     * @throws IOException when the connection is closed or fails; {@link SendTimeoutException}
     *                     when the time limit passed, telling how many bytes were taken
     */
    public void send(Duration timeout, ByteBuffer... data) throws IOException {
        checkTimeout(timeout);
        sendWithin(timeout, data);
    }

    /** A send with its own time limit, or with the connection's send timeout when {@code timeout} is null. */
    private void sendWithin(Duration timeout, ByteBuffer... data) throws IOException {
        Objects.requireNonNull(data, "data");
        for (ByteBuffer b : data) {
            Objects.requireNonNull(b, "a buffer to send is null");
        }
        checkOpen("send");
        writeLock.lock();
        try {
            checkOpen("send");
            if (timeout == null) {
                transport.send(handle, data);
            } else {
                transport.send(handle, timeout, data);
            }
        } catch (java.io.InterruptedIOException e) {
            throw interrupted(e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends a byte array; the same as {@code send(ByteBuffer.wrap(data))}.
     *
     * @param data the bytes
     * @throws IOException when the connection is closed or fails
     */
    public void send(byte[] data) throws IOException {
        send(ByteBuffer.wrap(data));
    }

    /**
     * Sends a range of a file; see {@link Transport#sendfile} (SENDFILE-1, SENDFILE-2).
     *
     * @param path   the file
     * @param offset the first byte, at least 0
     * @param length how many bytes, 0 for all to the end of the file
     * @return the number of bytes sent
     * @throws IOException when the file cannot be read or the connection fails
     */
    public long sendfile(Path path, long offset, long length) throws IOException {
        Objects.requireNonNull(path, "path");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("sendfile to " + peer + ": offset and length must be 0 or more, not "
                    + offset + " and " + length);
        }
        checkOpen("sendfile");
        writeLock.lock();
        try {
            checkOpen("sendfile");
            return transport.sendfile(handle, path, offset, length);
        } catch (java.io.InterruptedIOException e) {
            throw interrupted(e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sets an option; see {@link Transport#setopt} (OPT-1, OPT-2).
     *
     * @param option the option
     * @param value  the value
     * @param <T>    the value type
     * @throws IOException when the option is unsupported or cannot be set
     */
    public <T> void setopt(SocketOption<T> option, T value) throws IOException {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException("setopt " + option.name() + " on " + peer + ": takes a "
                    + option.type().getSimpleName() + ", not " + value.getClass().getSimpleName());
        }
        checkOpen("setopt");
        transport.setopt(handle, option, value);
    }

    /**
     * Reads an option; see {@link Transport#getopt} (OPT-1, OPT-2).
     *
     * @param option the option
     * @param <T>    the value type
     * @return the value
     * @throws IOException when the option is unsupported or cannot be read
     */
    public <T> T getopt(SocketOption<T> option) throws IOException {
        Objects.requireNonNull(option, "option");
        checkOpen("getopt");
        return transport.getopt(handle, option);
    }

    /**
     * The traffic counters; see {@link Transport#getstat} (STATS-1). Readable after close.
     *
     * @return a snapshot
     * @throws IOException if the counters cannot be read
     */
    public SocketStats getstat() throws IOException {
        return transport.getstat(handle);
    }

    /**
     * The ALPN result; see {@link Transport#negotiatedProtocol} (SECURE-1).
     *
     * @return the agreed protocol, if any
     * @throws IOException {@link NotSecureException} on a plain connection
     */
    public Optional<String> negotiatedProtocol() throws IOException {
        return transport.negotiatedProtocol(handle);
    }

    /**
     * The peer's verified certificate chain; see {@link Transport#peercert} (SECURE-1).
     *
     * @return the chain, possibly empty
     * @throws IOException {@link NotSecureException} on a plain connection
     */
    public List<Certificate> peercert() throws IOException {
        return transport.peercert(handle);
    }

    /**
     * What the TLS handshake agreed; see {@link Transport#tlsSession} (SECURE-2).
     *
     * @return the version, cipher suite, requested server name and ALPN result
     * @throws IOException {@link NotSecureException} on a plain connection
     */
    public dev.atoll.transport.tls.TlsSession tlsSession() throws IOException {
        checkOpen("tlsSession");
        return transport.tlsSession(handle);
    }

    /**
     * The peer's address (ADDR-1).
     *
     * @return the remote address
     * @throws IOException if the connection is closed
     */
    public InetSocketAddress peername() throws IOException {
        checkOpen("peername");
        return transport.peername(handle);
    }

    /**
     * This side's address (ADDR-1).
     *
     * @return the local address
     * @throws IOException if the connection is closed
     */
    public InetSocketAddress sockname() throws IOException {
        checkOpen("sockname");
        return transport.sockname(handle);
    }

    /**
     * Half-closes; see {@link Transport#shutdown} (SHUTDOWN-1, SHUTDOWN-2).
     *
     * @param how which direction(s)
     * @throws IOException if the connection is closed or the shutdown fails
     */
    public void shutdown(ShutdownHow how) throws IOException {
        Objects.requireNonNull(how, "how");
        checkOpen("shutdown");
        transport.shutdown(handle, how);
    }

    /**
     * Closes the connection (CLOSE-1 to CLOSE-3). Idempotent; callable from any thread, and
     * wakes callers blocked in {@link #recv} or {@link #send}. On a view retired by
     * {@link #upgrade} it does nothing: the upgraded connection owns the socket.
     *
     * @throws IOException on an I/O error while closing
     */
    @Override
    public void close() throws IOException {
        if (upgraded) {
            return;
        }
        if (closedBecause == null) {
            closedBecause = "closed";
        }
        transport.close(handle);
    }

    /**
     * Whether {@link #close()} was called (or the connection was upgraded).
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closedBecause != null;
    }

    /**
     * The transport closed the connection because the thread was interrupted (INTR-1) or a send
     * timed out with {@link AtollOptions#SEND_TIMEOUT_CLOSE} (SEND-4): this view says so from now on.
     */
    private java.io.InterruptedIOException interrupted(java.io.InterruptedIOException e) {
        if (closedBecause == null) {
            if (e instanceof SendTimeoutException timeout && timeout.connectionClosed()) {
                closedBecause = "closed: a send timed out";
            } else if (!(e instanceof java.net.SocketTimeoutException)) {
                closedBecause = "closed: interrupted";
            }
        }
        return e;
    }

    private void checkOpen(String operation) throws ConnectionClosedException {
        String reason = closedBecause;
        if (reason != null) {
            throw new ConnectionClosedException(operation + " on " + peer + ": connection " + reason);
        }
    }

    static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
        }
    }

    @Override
    public String toString() {
        return transport.name() + " connection to " + peer + (closedBecause == null ? "" : " (" + closedBecause + ")");
    }
}
