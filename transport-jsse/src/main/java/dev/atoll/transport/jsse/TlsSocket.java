package dev.atoll.transport.jsse;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import dev.atoll.transport.SendTimeoutException;
import dev.atoll.transport.spi.ClientHelloReader;
import dev.atoll.transport.spi.ConnectionSettings;
import dev.atoll.transport.spi.Deadline;
import dev.atoll.transport.spi.FileRange;
import dev.atoll.transport.spi.Receiver;
import dev.atoll.transport.spi.TrafficCounter;
import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.tls.TlsException;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One TLS connection: an {@link SSLEngine} driven over a plain {@link Connection}. Ciphertext
 * read from the plain connection waits in {@code netIn}, plaintext in {@code appIn}; both are
 * bounded by the engine's packet and application buffer sizes, and both are let go (plaintext
 * buffers back to the {@link BufferPool}) once empty, so a connection waiting to receive holds
 * neither.
 *
 * <h2>Threads</h2>
 * One reader, one writer and any closer may use a connection at once. The reader alone touches
 * {@code netIn}, {@code appIn} and {@code inputEnded}; the handshake runs under
 * {@code handshakeLock} before either. Every record that leaves goes through one ordered queue
 * of ciphertext, {@code outbound}: {@code wrapLock} is held only while the engine wraps and
 * the result joins the queue (no I/O under it), and {@code sendLock} while the queue is sent
 * to the plain connection, in order. So when the reader must answer the peer (a TLS 1.3
 * KeyUpdate, a close_notify) it wraps the answer at once and sends it only if no writer is
 * sending; otherwise the writer sends it after its current records. A reader never waits
 * behind a writer that is blocked on a peer that does not read, and the peer that waits for
 * its data to be read is not left waiting.
 */
final class TlsSocket implements Receiver.Source {

    /** A fatal handshake_failure alert, TLS 1.2 record framing (accepted by 1.3 clients). */
    private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

    /** A fatal unexpected_message alert, for bytes that are not a ClientHello. */
    private static final byte[] UNEXPECTED_MESSAGE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A};

    /** How long a failing connection waits for a writer before it sends its alert, or gives up on it. */
    private static final Duration ALERT_WAIT = Duration.ofMillis(200);

    /** The most wraps an alert takes: an engine may first flush what it had queued. */
    private static final int MAX_ALERT_WRAPS = 4;

    /** Room for one whole TLS record, whatever a failed engine's session reports. */
    private static final int MIN_PACKET_BUFFER = 16 * 1024 + 2048;

    /**
     * How long {@code close} waits at most for its close_notify to be taken, which it waits for
     * only while the peer does not read or another thread is sending.
     */
    private static final Duration CLOSE_NOTIFY_WAIT = Duration.ofMillis(200);

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    /** The most ciphertext that may wait for a whole record: a bound on what a peer makes us hold. */
    private static final int MAX_PENDING_CIPHERTEXT = 256 * 1024;

    private final Connection plain;
    private final boolean client;
    private final TlsConfig config;
    private final Function<TlsConfig, SSLEngine> engines;
    private final InetSocketAddress peer;
    private final String recvFromPeer;
    private final String sendToPeer;
    private final Receiver receiver = new Receiver();
    private final ConnectionSettings settings = new ConnectionSettings(receiver);
    private final TrafficCounter sent = new TrafficCounter();
    private final ReentrantLock handshakeLock = new ReentrantLock();
    private final ReentrantLock wrapLock = new ReentrantLock();
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Wrapped records not yet taken by the plain connection, in order; under {@code wrapLock}. */
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();

    private volatile SSLEngine engine;
    private volatile boolean handshaken;
    private volatile boolean closed;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private ByteBuffer netIn = EMPTY;
    private ByteBuffer appIn = EMPTY;
    private boolean inputEnded;
    /** This side shut its input down (from any thread): receives end, and the plain end of stream it causes is no truncation. */
    private volatile boolean inputShutDown;
    /** The engine closed its input when it sent close_notify: its TLS library has no half-close. */
    private volatile boolean halfCloseRefused;

    TlsSocket(Connection plain, boolean client, TlsConfig config, Function<TlsConfig, SSLEngine> engines) throws IOException {
        this.plain = plain;
        this.client = client;
        this.config = config;
        this.engines = engines;
        this.peer = plain.peername();
        this.recvFromPeer = "recv from " + peer;
        this.sendToPeer = "send to " + peer;
    }

    Connection plain() {
        return plain;
    }

    // --- handshake

    /** Reads the ClientHello and keeps its bytes for the handshake (PAUSE-1, PAUSE-2). */
    ClientHello clientHello(Duration timeout) throws IOException {
        if (client) {
            throw new IllegalStateException("clientHello with " + peer + ": this is the client side, which sends the "
                    + "ClientHello; only a server-side connection reads one");
        }
        if (engine != null) {
            throw new IllegalStateException("clientHello from " + peer + ": the handshake has begun; the ClientHello "
                    + "is read before it");
        }
        Deadline deadline = Deadline.after(timeout);
        try {
            while (true) {
                Optional<ClientHello> hello = ClientHelloReader.read(netIn, peer.toString());
                if (hello.isPresent()) {
                    return hello.get();
                }
                receiveCiphertext(deadline, "clientHello from ");
            }
        } catch (SocketTimeoutException e) {
            closeQuietly();
            throw new SocketTimeoutException("clientHello from " + peer + ": no ClientHello within " + timeout);
        } catch (TlsException notClientHello) {
            try {
                plain.send(ByteBuffer.wrap(UNEXPECTED_MESSAGE_ALERT));
            } catch (IOException | RuntimeException ignored) {
                // the peer may be gone; the refusal is what matters
            }
            closeQuietly();
            throw notClientHello;
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    void handshake(TlsConfig chosen, Duration timeout) throws IOException {
        try {
            handshakeLock.lockInterruptibly();
        } catch (InterruptedException e) {
            closeQuietly();
            throw dev.atoll.transport.spi.ConnectionSettings.interrupted("handshake with " + peer);
        }
        try {
            if (handshaken) {
                return;
            }
            checkOpen("handshake");
            if (engine == null) {
                engine = engines.apply(chosen);
                if (!engine.getUseClientMode()) {
                    recordRequestedServerName(engine);
                }
            }
            runHandshake(Deadline.after(timeout), timeout);
            handshaken = true;
        } finally {
            handshakeLock.unlock();
        }
    }

    private void ensureHandshaken() throws IOException {
        if (!handshaken) {
            handshake(config, config.handshakeTimeout());
        }
    }

    private void runHandshake(Deadline deadline, Duration timeout) throws IOException {
        String operation = "handshake with " + peer;
        try {
            engine.beginHandshake();
            while (true) {
                HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_WRAP -> wrapAndSend(NOTHING, operation, deadline);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (unwrap(operation) == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            receiveCiphertext(deadline, "handshake with ");
                        }
                    }
                    case NEED_TASK -> runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        return;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            closeQuietly();
            throw new SocketTimeoutException(operation + ": not finished within " + timeout);
        } catch (EndOfStreamException e) {
            try {
                engine.closeInbound();
            } catch (SSLException cutOff) {
                // the engine refuses a handshake cut off by the end of the stream; its alert says so
            }
            sendAlert();
            closeQuietly();
            throw new TlsException(operation + ": the peer closed the connection during the handshake", e);
        } catch (SSLException e) {
            sendAlert();
            closeQuietly();
            throw new TlsException(operation + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * After the engine refused the peer, sends the alert it made so the peer learns why
     * (ALERT-1): everything the engine still has to send, or, from an engine that made none,
     * a fatal handshake_failure during the handshake. Waits at most {@link #ALERT_WAIT} for a
     * writer that holds the engine; the alert is best effort, the close that follows is not.
     */
    private void sendAlert() {
        try {
            ByteBuffer alert = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), MIN_PACKET_BUFFER));
            wrapLock.lock();
            try {
                try {
                    for (int wraps = 0; wraps < MAX_ALERT_WRAPS && !engine.isOutboundDone(); wraps++) {
                        int before = alert.position();
                        engine.wrap(NOTHING, alert);
                        if (alert.position() == before) {
                            break;
                        }
                    }
                } catch (SSLException | RuntimeException engineGaveUp) {
                    // an engine that failed may refuse to wrap even its alert: the fallback below still goes
                }
                if (alert.position() == 0 && !handshaken) {
                    alert.put(HANDSHAKE_FAILURE_ALERT);
                }
                if (alert.flip().hasRemaining()) {
                    outbound.add(alert);
                }
            } finally {
                wrapLock.unlock();
            }
            if (sendLock.tryLock(ALERT_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    sendQueued(Deadline.after(ALERT_WAIT));
                } finally {
                    sendLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException ignored) {
            // the connection failed already; the alert is a courtesy
        }
    }

    void cancelHandshake() throws IOException {
        try {
            plain.send(ByteBuffer.wrap(HANDSHAKE_FAILURE_ALERT));
        } finally {
            closeQuietly();
        }
    }

    // --- receiving

    ByteBuffer recv(int length, Duration timeout) throws IOException {
        checkReceivable();
        return receiver.receive(this, length, timeout);
    }

    int recv(ByteBuffer dst, Duration timeout) throws IOException {
        checkReceivable();
        return receiver.receive(this, dst, timeout);
    }

    void unrecv(ByteBuffer bytes) throws IOException {
        checkOpen("unrecv");
        receiver.unreceive(bytes);
    }

    private void checkReceivable() throws IOException {
        checkOpen("recv");
        ensureHandshaken();
        if (halfCloseRefused && !appIn.hasRemaining() && !receiver.hasKept()) {
            throw new ConnectionClosedException(recvFromPeer + ": this TLS library closed both directions when it sent "
                    + "close_notify (it has no half-close); nothing more can be received");
        }
    }

    @Override
    public String operation() {
        return recvFromPeer;
    }

    @Override
    public int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException {
        try {
            while (true) {
                if (inputShutDown) {
                    return endOfShutDownInput();
                }
                if (appIn.hasRemaining()) {
                    int n = Math.min(length, appIn.remaining());
                    appIn.get(dst, offset, n);
                    if (!appIn.hasRemaining()) {
                        BufferPool.give(appIn);
                        appIn = EMPTY;
                    }
                    return n;
                }
                if (inputEnded) {
                    return -1;
                }
                SSLEngineResult.Status status = netIn.hasRemaining() ? unwrap(recvFromPeer)
                        : SSLEngineResult.Status.BUFFER_UNDERFLOW;
                if (status == SSLEngineResult.Status.CLOSED) {
                    inputEnded = true;
                } else if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    receiveCiphertext(deadline, "recv from ");
                }
            }
        } catch (SSLException e) {
            sendAlert();
            closeQuietly();
            throw new TlsException(recvFromPeer + ": " + e.getMessage(), e);
        } catch (EndOfStreamException e) {
            if (inputShutDown) {
                return endOfShutDownInput();
            }
            throw new TlsException(recvFromPeer + ": the peer closed the connection without close_notify; what "
                    + "arrived may be truncated", e);
        }
    }

    @Override
    public int read(ByteBuffer dst, Deadline deadline) throws IOException {
        if (inputShutDown) {
            return endOfShutDownInput();
        }
        if (appIn.hasRemaining()) {
            int n = Math.min(dst.remaining(), appIn.remaining());
            dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
            appIn.position(appIn.position() + n);
            if (!appIn.hasRemaining()) {
                BufferPool.give(appIn);
                appIn = EMPTY;
            }
            return n;
        }
        return Receiver.Source.super.read(dst, deadline);   // waits, then the plaintext is in appIn
    }

    /** After {@code shutdown(READ)}: the plaintext not yet received is dropped, and every receive ends. */
    private int endOfShutDownInput() {
        inputEnded = true;
        if (appIn != EMPTY) {
            BufferPool.give(appIn);
            appIn = EMPTY;
        }
        return -1;
    }

    /** The plaintext already decrypted and not yet received. */
    @Override
    public int available() {
        return inputShutDown ? 0 : appIn.remaining();
    }

    /** Unwraps one record into {@code appIn}; answers what the engine must send back. */
    private SSLEngineResult.Status unwrap(String operation) throws IOException {
        if (appIn.capacity() == 0) {
            appIn = BufferPool.take(engine.getSession().getApplicationBufferSize()).flip();
        }
        appIn.compact();
        SSLEngineResult result;
        try {
            while (true) {
                result = engine.unwrap(netIn, appIn);
                if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    break;
                }
                appIn.flip();
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                appIn.position(appIn.limit()).limit(appIn.capacity());
            }
        } finally {
            appIn.flip();
            if (!appIn.hasRemaining()) {
                BufferPool.give(appIn);
                appIn = EMPTY;
            }
        }
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        if (handshaken && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            answer(Duration.ZERO);
        }
        return result.getStatus();
    }

    /**
     * Appends the plain connection's next bytes to {@code netIn}. Whole records are unwrapped
     * as they complete, so more than {@link #MAX_PENDING_CIPHERTEXT} bytes pending means a peer
     * that sends no valid record, and is refused; what one receive adds is bounded by the plain
     * connection's {@link dev.atoll.transport.AtollOptions#RECV_CHUNK_SIZE}.
     */
    private void receiveCiphertext(Deadline deadline, String what) throws IOException {
        Duration left = deadline.isInfinite() ? Transport.INFINITE : Duration.ofNanos(deadline.remainingNanos());
        if (!netIn.hasRemaining()) {
            netIn = EMPTY;   // nothing pending: hold no buffer while waiting
        }
        if (netIn.remaining() > MAX_PENDING_CIPHERTEXT) {
            throw new TlsException(what + peer + ": more than " + MAX_PENDING_CIPHERTEXT + " bytes without a whole TLS record",
                    null);
        }
        ByteBuffer got;
        try {
            got = plain.recv(0, left);
        } catch (java.io.InterruptedIOException e) {
            if (!(e instanceof SocketTimeoutException)) {
                closed = true;   // INTR-1: the plain transport closed the connection
            }
            throw e;
        }
        if (netIn.capacity() == 0 && !got.isReadOnly()) {
            netIn = got;   // the receive's own buffer, sized to what arrived: no copy
            return;
        }
        int needed = netIn.remaining() + got.remaining();
        if (netIn.capacity() - netIn.limit() < got.remaining()) {
            netIn.compact().flip();
            if (netIn.capacity() < needed) {
                netIn = grow(netIn, needed);
            }
        }
        int position = netIn.position();
        netIn.position(netIn.limit()).limit(netIn.limit() + got.remaining());
        netIn.put(got).position(position);
    }

    /** A larger buffer holding the bytes of {@code readable}, ready to read. */
    private static ByteBuffer grow(ByteBuffer readable, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, readable.capacity() * 2));
        return bigger.put(readable).flip();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    // --- sending

    void send(ByteBuffer[] data, Duration timeout) throws IOException {
        String operation = sendToPeer;
        checkOpen("send");
        ensureHandshaken();
        long total = remaining(data);
        try {
            wrapAndSend(data, operation, settings.sendDeadline(timeout));
        } catch (SendTimeoutException e) {
            long taken = total - remaining(data);
            sent.record(taken);
            throw settings.sendTimedOut(operation, taken, this::close);
        }
        sent.record(total);
    }

    long sendfile(Path path, long offset, long length) throws IOException {
        String operation = "sendfile " + path + " to " + peer;
        checkOpen("sendfile");
        ensureHandshaken();
        Deadline deadline = settings.sendDeadline(null);
        long done = 0;
        try (FileChannel file = FileChannel.open(path)) {
            FileRange range = FileRange.of(operation, offset, length, file.size());
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, range.length())));
            ByteBuffer[] one = {chunk};
            while (done < range.length()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), range.length() - done));
                int n;
                try {
                    n = file.read(chunk, range.offset() + done);
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    closeQuietly();   // INTR-1: the interrupt closed the file; it abandons the connection too
                    throw dev.atoll.transport.spi.ConnectionSettings.interrupted(operation);
                }
                if (n < 0) {
                    throw new EOFException(operation + ": the file shrank to " + file.size() + " bytes while sending");
                }
                chunk.flip();
                try {
                    wrapAndSend(one, operation, deadline);
                } catch (SendTimeoutException e) {
                    done += n - chunk.remaining();
                    throw settings.sendTimedOut(operation, done, this::close);
                }
                done += n;
            }
            return done;
        } finally {
            sent.record(done);
        }
    }

    /**
     * Wraps everything in {@code data} (or, given {@code NOTHING}, the handshake flight or close
     * message the engine has to send now), up to four records at a time, and sends it after
     * whatever was queued before. A time limit that passes leaves the records wrapped so far
     * queued, to go first on the next send: what the engine took is taken.
     */
    private void wrapAndSend(ByteBuffer[] data, String operation, Deadline deadline) throws IOException {
        sendLock.lock();
        try {
            boolean once = data == NOTHING;
            do {
                sendQueued(deadline);
                if (!wrap(data, operation, once) && once) {
                    break;
                }
            } while (!once && hasRemaining(data));
            sendQueued(deadline);
        } catch (SSLException e) {
            sendAlert();
            closeQuietly();
            throw new TlsException(operation + ": " + e.getMessage(), e);
        } catch (java.io.InterruptedIOException e) {
            if (!(e instanceof SocketTimeoutException)) {
                closed = true;   // INTR-1: the plain transport closed the connection
            }
            throw e;
        } finally {
            sendLock.unlock();
        }
        sendStranded();
    }

    /**
     * Sends what a reader queued while this writer held {@code sendLock} and could no longer see,
     * if no other writer has taken over meanwhile.
     */
    private void sendStranded() {
        while (hasQueued() && sendLock.tryLock()) {
            try {
                sendQueued(Deadline.after(Duration.ZERO));
            } catch (IOException | RuntimeException later) {
                return;   // the peer does not read now, or the connection failed: the next send or close deals with it
            } finally {
                sendLock.unlock();
            }
        }
    }

    private boolean hasQueued() {
        wrapLock.lock();
        try {
            return !outbound.isEmpty();
        } finally {
            wrapLock.unlock();
        }
    }

    /**
     * Wraps into one buffer, under {@code wrapLock}, and queues it. With {@code once}, wraps the
     * messages the engine has to send now (a handshake flight goes in one send).
     *
     * @return whether anything was produced
     */
    private boolean wrap(ByteBuffer[] data, String operation, boolean once) throws IOException {
        wrapLock.lock();
        try {
            int packet = engine.getSession().getPacketBufferSize();
            ByteBuffer netOut = BufferPool.take(!once && remaining(data) <= packet / 2 ? packet : 4 * packet);
            while (netOut.remaining() >= packet) {
                SSLEngineResult result = engine.wrap(data, netOut);
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    if (hasRemaining(data)) {
                        BufferPool.give(netOut);
                        throw new ConnectionClosedException(operation + ": TLS output is closed (close_notify was sent)");
                    }
                    break;
                }
                boolean more = once
                        ? result.bytesProduced() > 0 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                        : hasRemaining(data);
                if (!more) {
                    break;
                }
            }
            if (netOut.flip().hasRemaining()) {
                outbound.add(netOut);
                return true;
            }
            BufferPool.give(netOut);
            return false;
        } finally {
            wrapLock.unlock();
        }
    }

    /**
     * Sends the queued records in order; the caller holds {@code sendLock}.
     *
     * @throws SendTimeoutException when the deadline passes; the rest stays queued
     */
    private void sendQueued(Deadline deadline) throws IOException {
        while (true) {
            ByteBuffer head;
            wrapLock.lock();
            try {
                head = outbound.peek();
            } finally {
                wrapLock.unlock();
            }
            if (head == null) {
                return;
            }
            plain.send(deadline.isInfinite() ? Transport.INFINITE : Duration.ofNanos(deadline.remainingNanos()), head);
            wrapLock.lock();
            try {
                outbound.poll();
            } finally {
                wrapLock.unlock();
            }
            BufferPool.give(head);
        }
    }

    /**
     * The reader's answer to what it unwrapped (a TLS 1.3 KeyUpdate, a close_notify), or an
     * alert: wrapped at once, and sent, waiting for the peer for {@code wait} at most, only if
     * no writer is sending; a sending writer sends it after its current records, and the reader
     * goes on reading.
     */
    private void answer(Duration wait) throws IOException {
        wrap(NOTHING, "answer to " + peer, true);
        if (sendLock.tryLock()) {
            try {
                sendQueued(Deadline.after(wait));
            } catch (SendTimeoutException later) {
                // the peer does not read now; the next send or the close sends the rest
            } finally {
                sendLock.unlock();
            }
        }
    }

    private static long remaining(ByteBuffer[] data) {
        long n = 0;
        for (ByteBuffer b : data) {
            n += b.remaining();
        }
        return n;
    }

    private static boolean hasRemaining(ByteBuffer[] data) {
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    // --- state

    Optional<String> negotiatedProtocol() throws IOException {
        checkOpen("negotiatedProtocol");
        String protocol = engine == null ? null : engine.getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
    }

    /** The server name the client asked for, as the server's engine saw it. */
    private volatile String requestedServerName;

    /**
     * Notes the host name a client asks for as the engine matches it; every provider asks the
     * matchers, while not every provider's session tells the names afterwards. The matcher
     * accepts every name, as an engine without matchers does.
     */
    private void recordRequestedServerName(SSLEngine serverEngine) {
        javax.net.ssl.SSLParameters parameters = serverEngine.getSSLParameters();
        if (parameters.getSNIMatchers() != null && !parameters.getSNIMatchers().isEmpty()) {
            return;
        }
        parameters.setSNIMatchers(List.of(new javax.net.ssl.SNIMatcher(javax.net.ssl.StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(javax.net.ssl.SNIServerName name) {
                if (name instanceof javax.net.ssl.SNIHostName host) {
                    requestedServerName = host.getAsciiName();
                } else {
                    requestedServerName = new javax.net.ssl.SNIHostName(name.getEncoded()).getAsciiName();
                }
                return true;
            }
        }));
        serverEngine.setSSLParameters(parameters);
    }

    dev.atoll.transport.tls.TlsSession tlsSession() throws IOException {
        checkOpen("tlsSession");
        if (engine == null || !handshaken) {
            throw new IllegalStateException("tlsSession with " + peer + ": the handshake has not completed");
        }
        javax.net.ssl.SSLSession session = engine.getSession();
        // The server name the client asked for: what the server received, or what the client sent.
        java.util.Optional<String> serverName = engine.getUseClientMode()
                ? java.util.Objects.requireNonNullElse(engine.getSSLParameters().getServerNames(),
                        java.util.List.<javax.net.ssl.SNIServerName>of()).stream()
                        .filter(n -> n instanceof javax.net.ssl.SNIHostName)
                        .map(n -> ((javax.net.ssl.SNIHostName) n).getAsciiName()).findFirst()
                : java.util.Optional.ofNullable(requestedServerName);
        return new dev.atoll.transport.tls.TlsSession(session.getProtocol(), session.getCipherSuite(), serverName,
                negotiatedProtocol());
    }

    List<Certificate> peercert() throws IOException {
        checkOpen("peercert");
        if (engine == null) {
            return List.of();
        }
        try {
            return List.of(engine.getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    SocketStats stats() {
        return TrafficCounter.snapshot(receiver.counter(), sent);
    }

    ConnectionSettings settings() {
        return settings;
    }

    // --- closing

    void shutdown(ShutdownHow how) throws IOException {
        checkOpen("shutdown");
        if (how != ShutdownHow.READ) {
            if (handshaken) {
                sendCloseNotify(settings.sendDeadline(null));
            }
            plain.shutdown(ShutdownHow.WRITE);
        }
        if (how != ShutdownHow.WRITE) {
            inputShutDown = true;   // the reader drops what it holds; a reader waiting now wakes with the plain end of stream
            plain.shutdown(ShutdownHow.READ);
        }
    }

    private void sendCloseNotify(Deadline deadline) throws IOException {
        boolean peerStillSending;
        wrapLock.lock();
        try {
            if (engine.isOutboundDone()) {
                return;
            }
            peerStillSending = !engine.isInboundDone();
            engine.closeOutbound();
        } finally {
            wrapLock.unlock();
        }
        wrapAndSend(NOTHING, "close_notify to " + peer, deadline);
        if (peerStillSending && engine.isInboundDone()) {
            halfCloseRefused = true;
        }
    }

    /**
     * Sends close_notify after what is queued, if that is taken within {@link #CLOSE_NOTIFY_WAIT}
     * (and the close is not abortive, and the close linger not zero), then closes the plain
     * connection, which lets its bytes go out and drops what the peer still sends in the
     * background (CLOSE-4). Wakes a blocked reader and writer: closing the plain connection
     * wakes whichever waits on it.
     */
    void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (handshaken && !plain.isClosed() && !abortive() && !settings.closeLinger().isZero()) {
            Deadline deadline = Deadline.after(CLOSE_NOTIFY_WAIT);
            try {
                if (sendLock.tryLock(CLOSE_NOTIFY_WAIT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    try {
                        sendCloseNotify(deadline);
                    } finally {
                        sendLock.unlock();
                    }
                }
            } catch (SendTimeoutException slowPeer) {
                lingerInBackground();
                return;
            } catch (IOException | RuntimeException e) {
                // the peer may be gone; closing is what matters
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        plain.close();
    }

    /**
     * Records a send took (SEND-3) are still queued and the peer reads slowly: they and the
     * close_notify get the close linger to go out, on a thread of their own, before the plain
     * connection closes. Only a close after a send timeout, or to a peer that stopped reading,
     * comes here.
     */
    private void lingerInBackground() {
        Deadline deadline = Deadline.after(settings.closeLinger());
        Thread.ofVirtual().name("tls-close " + peer).start(() -> {
            sendLock.lock();
            boolean sent = false;
            try {
                wrapAndSend(NOTHING, "close_notify to " + peer, deadline);
                sent = true;
            } catch (IOException | RuntimeException ignored) {
                // the linger ran out or the peer went away: the plain close below ends it
            } finally {
                sendLock.unlock();
                try {
                    if (!sent) {
                        // The close linger is spent: the plain close must not linger again for
                        // what is still queued (CLOSE-4 bounds the whole close by CLOSE_LINGER).
                        plain.setopt(java.net.StandardSocketOptions.SO_LINGER, 0);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // closed already
                }
                try {
                    plain.close();
                } catch (IOException | RuntimeException ignored) {
                    // nothing is left to do
                }
            }
        });
    }

    /** SO_LINGER 0 asks for an abortive close (a reset), which sends no close_notify. */
    private boolean abortive() {
        try {
            return plain.transport().supportedOptions().contains(StandardSocketOptions.SO_LINGER)
                    && plain.getopt(StandardSocketOptions.SO_LINGER) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void closeQuietly() {
        closed = true;
        try {
            plain.close();
        } catch (IOException ignored) {
            // already failing; the caller reports why
        }
    }

    private void checkOpen(String operation) throws ConnectionClosedException {
        if (closed) {
            throw new ConnectionClosedException(operation + " on " + peer + ": connection closed");
        }
    }

    boolean isClient() {
        return client;
    }
}
