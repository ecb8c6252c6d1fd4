package dev.atoll.websocket;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.NotSecureException;
import dev.atoll.transport.SendTimeoutException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.tls.TlsSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket session (RFC 6455), over one Atoll {@link Connection}, for blocking code on
 * virtual threads.
 *
 * <h2>Receiving</h2>
 * One thread receives at a time. {@link #receive()} returns whole messages (reassembled from
 * their fragments and inflated), pings (already answered with a pong of the same payload),
 * pongs, and at the end the peer's {@link Message.Close} (the answer to this side's close, or
 * the peer's own, already answered; the connection is closed then); after that, or once the session failed, receiving throws
 * {@link WebSocketClosedException}, whose {@link WebSocketClosedException#reason() reason} says how
 * it ended. {@link #receivePart} returns data as it arrives, one part per frame, for messages
 * too large to hold. A session that is not receiving reads nothing: the peer's bytes wait in the
 * kernel and TCP's window holds the peer back.
 *
 * <p>Every rule of RFC 6455 section 5 is checked as bytes arrive. A peer that breaks one gets
 * a close frame with the code that names the fault (1002 for framing, 1007 for invalid UTF-8,
 * checked on the byte that makes text invalid, 1009 past a limit of {@link WebSocketConfig},
 * checked on a frame's header before its payload is read), then the connection is closed.
 * Nothing from the peer for {@link WebSocketConfig#idleTimeout()} closes the session with 1001;
 * with a {@link WebSocketConfig#pingInterval()}, a ping goes out after that much silence first.
 *
 * <h2>Sending</h2>
 * Any thread may send at any time; a frame is never interleaved with another, and a message
 * sent in parts ({@link #sendText(CharSequence, boolean)}) holds back other threads' messages
 * until its last part (control frames may go between its parts, as the protocol allows). A send
 * to a peer that does not read blocks, for at most {@link WebSocketConfig#sendTimeout()}, after
 * which the session fails. With permessage-deflate negotiated, whole messages of
 * {@link WebSocketConfig#deflateThreshold()} bytes or more are compressed; parts never are.
 *
 * <h2>Closing</h2>
 * {@link #close(int, String)} sends a close frame and waits for the peer's, for at most
 * {@link WebSocketConfig#closeTimeout()}, then closes the connection. It may be called from any
 * thread: while another thread is receiving, that thread takes the peer's answer and returns it
 * as a {@link Message.Close}.
 */
public final class WebSocket implements AutoCloseable {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final byte[] NO_BYTES = {};
    private static final int MAX_REASON = Frames.MAX_CONTROL_PAYLOAD - 2;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private enum State { OPEN, CLOSE_SENT, CLOSED }

    private final Connection connection;
    private final WebSocketConfig config;
    private final boolean client;
    private final PerMessageDeflate deflate;
    private final Optional<String> subprotocol;
    private final List<String> extensions;
    private final Optional<HandshakeRequest> request;
    private final Object peer;
    private final SecureRandom maskKeys;

    // receiving, under receiveLock
    private final ReentrantLock receiveLock = new ReentrantLock();
    private ByteBuffer pending;
    private boolean haveHeader;
    private int first;
    private int opcode;
    private int length;
    private int maskKey;
    private boolean maskedFrame;
    private byte[] payload;
    private int payloadOffset;
    private int filled;
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private boolean partsStarted;
    private long messageSize;
    private final List<ByteBuffer> messageParts = new ArrayList<>();
    private byte[] textTail = NO_BYTES;
    private final Utf8Validator utf8 = new Utf8Validator();
    /** When a byte last came from the peer; written by the receiving thread, read by the timer. */
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastPing;

    // sending
    private final ReentrantLock messageLock = new ReentrantLock();
    private int streamOpcode = -1;

    // closing
    private final ReentrantLock stateLock = new ReentrantLock();
    /** Signalled when the session closes or delivery resumes. */
    private final Condition closed = stateLock.newCondition();
    private State state = State.OPEN;
    private boolean deliveryPaused;
    private CloseReason closeReason;
    private long closeDeadline;
    private java.util.concurrent.ScheduledFuture<?> timerCheck;

    WebSocket(Connection connection, WebSocketConfig config, boolean client, PerMessageDeflate deflate,
            Optional<String> subprotocol, Optional<HandshakeRequest> request, ByteBuffer alreadyReceived) {
        this.connection = connection;
        this.config = config;
        this.client = client;
        this.deflate = deflate;
        this.subprotocol = subprotocol;
        this.extensions = deflate == null ? List.of() : List.of(deflate.responseHeader());
        this.request = request;
        this.pending = alreadyReceived;
        this.maskKeys = client ? maskKeySource() : null;
        Object name;
        try {
            name = connection.peername();
        } catch (IOException e) {
            name = connection;
        }
        this.peer = name;
        try {
            // messages are written whole, each in one send: Nagle's algorithm could only hold them back
            connection.setopt(java.net.StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | UnsupportedOperationException e) {
            // a transport without the option sends as it does
        }
        scheduleCheck(nextDue());
    }

    /**
     * A generator of this session's mask keys: unpredictable, as RFC 6455 section 5.3 asks, and
     * the session's own (a DRBG instance), so that sessions do not contend for one lock.
     */
    private static SecureRandom maskKeySource() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    // ---------------------------------------------------------------------------------------
    // what the session is

    /** {@return the subprotocol agreed in the opening handshake, if any} */
    public Optional<String> subprotocol() {
        return subprotocol;
    }

    /** {@return the extensions agreed in the opening handshake, as the {@code Sec-WebSocket-Extensions} response said them} */
    public List<String> extensions() {
        return extensions;
    }

    /** {@return the upgrade request, on the server's side of a session} */
    public Optional<HandshakeRequest> request() {
        return request;
    }

    /**
     * The peer's address.
     * @return the peer's address
     * @throws IOException when the connection is closed
     */
    public InetSocketAddress peername() throws IOException {
        return connection.peername();
    }

    /**
     * This side's address.
     * @return this side's address
     * @throws IOException when the connection is closed
     */
    public InetSocketAddress sockname() throws IOException {
        return connection.sockname();
    }

    /**
     * The connection's statistics.
     * @return the connection's byte and packet counts
     * @throws IOException when the connection is closed
     */
    public SocketStats stats() throws IOException {
        return connection.getstat();
    }

    /**
     * What TLS negotiated.
     * @return what TLS negotiated, or empty over a plain transport
     * @throws IOException when the connection is closed
     */
    public Optional<TlsSession> tlsSession() throws IOException {
        if (!connection.secure()) {
            return Optional.empty();
        }
        try {
            return Optional.of(connection.tlsSession());
        } catch (NotSecureException e) {
            return Optional.empty();
        }
    }

    /** {@return whether messages can still be sent: no close frame has been sent or received} */
    public boolean isOpen() {
        stateLock.lock();
        try {
            return state == State.OPEN;
        } finally {
            stateLock.unlock();
        }
    }

    /** {@return how the session ended, or empty while it has not} */
    public Optional<CloseReason> closeReason() {
        stateLock.lock();
        try {
            return state == State.CLOSED ? Optional.of(closeReason) : Optional.empty();
        } finally {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------
    // receiving

    /**
     * Receives the next whole message or control frame, waiting at most the idle timeout.
     *
     * @return the message
     * @throws WebSocketClosedException when the session has ended or ends now: the peer broke the
     *         protocol, the idle timeout passed, the connection failed
     * @throws IOException on an interrupt
     */
    public Message receive() throws IOException {
        return receive(NO_DEADLINE, false);
    }

    /**
     * Receives the next whole message or control frame.
     *
     * @param timeout how long to wait; a timeout keeps what arrived of a message for the next
     *                receive. The idle timeout still applies: past it the session is closed.
     * @return the message
     * @throws SocketTimeoutException   when {@code timeout} passes first; the session stays open
     * @throws WebSocketClosedException when the session has ended or ends now
     * @throws IllegalStateException    when a message is part-way through {@link #receivePart}
     * @throws IOException on an interrupt
     */
    public Message receive(Duration timeout) throws IOException {
        return receive(deadline(timeout), false);
    }

    /**
     * Receives the next part of a data message as it arrives (one per frame: a text part never
     * splits a code point), or the next control frame.
     *
     * @param timeout how long to wait, as for {@link #receive(Duration)}
     * @return a {@link Message.Text} or {@link Message.Binary} whose {@code last} says whether the
     *         message is complete, or a control message
     * @throws SocketTimeoutException   when {@code timeout} passes first; the session stays open
     * @throws WebSocketClosedException when the session has ended or ends now
     * @throws IOException on an interrupt
     */
    public Message receivePart(Duration timeout) throws IOException {
        return receive(deadline(timeout), true);
    }

    private Message receive(long deadline, boolean parts) throws IOException {
        receiveLock.lock();
        try {
            CloseReason ended = endedReason();
            if (ended != null) {
                throw new WebSocketClosedException(parts ? "receivePart" : "receive", peer, ended);
            }
            if (!parts && partsStarted) {
                throw new IllegalStateException("receive from " + peer + ": a message is part-way through receivePart;"
                        + " receive its rest with receivePart");
            }
            while (true) {
                Message m;
                try {
                    m = nextFrame(deadline, parts);
                } catch (SendTimeoutException e) {
                    // a pong or keep-alive ping that the peer did not take
                    throw new WebSocketClosedException(parts ? "receivePart" : "receive", peer, connectionEnded(e));
                } catch (SocketTimeoutException e) {
                    throw e;
                } catch (WebSocketException e) {
                    if (e instanceof WebSocketClosedException c) {
                        throw c;
                    }
                    throw new WebSocketClosedException(parts ? "receivePart" : "receive", peer,
                            fail(CloseReason.Kind.PROTOCOL_ERROR, e.closeCode(), e));
                } catch (java.io.InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    throw new WebSocketClosedException(parts ? "receivePart" : "receive", peer, connectionEnded(e));
                }
                if (m != null) {
                    return m;
                }
            }
        } finally {
            if (deflate != null && endedReason() != null) {
                deflate.endDecompressor();
            }
            receiveLock.unlock();
        }
    }

    /** Reads one frame and acts on it; returns what the caller gets, or null to read on. */
    private Message nextFrame(long deadline, boolean parts) throws IOException {
        if (!haveHeader) {
            readHeader(deadline);
        }
        if (filled < length) {
            readPayload(deadline);
        }
        haveHeader = false;
        if (!pending.hasRemaining()) {
            pending = NOTHING; // an idle session keeps no buffer of what it read
        }
        try {
            return Frames.control(opcode) ? control() : data(parts);
        } finally {
            payload = NO_BYTES; // nor the last frame's payload, which the message owns now
        }
    }

    private void readHeader(long deadline) throws IOException {
        ensure(2, deadline);
        int b0 = pending.get(pending.position()) & 0xFF;
        int b1 = pending.get(pending.position() + 1) & 0xFF;
        int op = b0 & 0x0F;
        boolean masked = (b1 & Frames.MASKED) != 0;
        int len7 = b1 & 0x7F;
        int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        // what the first two bytes already tell, before waiting for the rest
        checkFirstBytes(b0, op, masked, len7);
        ensure(headerLength, deadline);
        int p = pending.position() + 2;
        long len;
        if (len7 == 126) {
            len = pending.getShort(p) & 0xFFFF;
            p += 2;
            if (len < 126) {
                throw protocolError("a frame length of " + len + " in the 16-bit form (not the shortest encoding)");
            }
        } else if (len7 == 127) {
            len = pending.getLong(p);
            p += 8;
            if (len < 0) {
                throw protocolError("a frame length with the most significant bit of its 64-bit form set");
            }
            if (len <= 0xFFFF) {
                throw protocolError("a frame length of " + len + " in the 64-bit form (not the shortest encoding)");
            }
        } else {
            len = len7;
        }
        checkLength(b0, op, len);
        maskKey = masked ? pending.getInt(p) : 0;
        maskedFrame = masked;
        pending.position(pending.position() + headerLength);
        first = b0;
        opcode = op;
        length = (int) len;
        haveHeader = true;
        filled = 0;
        if (length <= pending.remaining() && pending.hasArray() && !pending.isReadOnly()) {
            // the whole payload arrived with the header: use it where it is
            payload = pending.array();
            payloadOffset = pending.arrayOffset() + pending.position();
            pending.position(pending.position() + length);
            arrived(0, length);
            filled = length;
        } else {
            payload = length == 0 ? NO_BYTES : new byte[length];
            payloadOffset = 0;
            int n = Math.min(length, pending.remaining());
            pending.get(payload, 0, n);
            if (n > 0) {
                arrived(0, n);
            }
            filled = n;
        }
    }

    private void checkFirstBytes(int b0, int op, boolean masked, int len7) throws WebSocketException {
        if ((b0 & (Frames.RSV2 | Frames.RSV3)) != 0) {
            throw protocolError("a frame with RSV2 or RSV3 set, and no extension that defines them");
        }
        if (!Frames.known(op)) {
            throw protocolError("a frame with the reserved opcode " + op);
        }
        boolean rsv1 = (b0 & Frames.RSV1) != 0;
        if (rsv1 && (deflate == null || Frames.control(op) || op == Frames.CONTINUATION)) {
            throw protocolError(deflate == null ? "a frame with RSV1 set, and no extension negotiated that defines it"
                    : "RSV1 set on a " + Frames.name(op) + " frame; permessage-deflate sets it on a message's first frame only");
        }
        if (Frames.control(op)) {
            if ((b0 & Frames.FIN) == 0) {
                throw protocolError("a fragmented " + Frames.name(op) + " frame; control frames are never fragmented");
            }
            if (len7 > Frames.MAX_CONTROL_PAYLOAD) {
                throw protocolError("a " + Frames.name(op) + " frame longer than 125 bytes");
            }
        } else if (op == Frames.CONTINUATION) {
            if (messageOpcode < 0) {
                throw protocolError("a continuation frame with no message in progress");
            }
        } else if (messageOpcode >= 0) {
            throw protocolError("a new " + Frames.name(op) + " message inside a fragmented message");
        }
        if (masked == client) {
            throw protocolError(client ? "a masked frame from the server" : "an unmasked frame from the client");
        }
    }

    private void checkLength(int b0, int op, long len) throws WebSocketException {
        if (len > config.maxFrameSize()) {
            throw new WebSocketException(CloseReason.MESSAGE_TOO_BIG, "a " + Frames.name(op) + " frame of " + len
                    + " bytes from " + peer + ", over the limit of " + config.maxFrameSize());
        }
        boolean compressed = op == Frames.CONTINUATION ? messageCompressed : (b0 & Frames.RSV1) != 0;
        long before = op == Frames.CONTINUATION ? messageSize : 0;
        if (!Frames.control(op) && !compressed && before + len > config.maxMessageSize()) {
            throw new WebSocketException(CloseReason.MESSAGE_TOO_BIG, "a message of more than "
                    + config.maxMessageSize() + " bytes from " + peer + ", over the limit");
        }
    }

    private void readPayload(long deadline) throws IOException {
        while (filled < length) {
            int n = readInto(ByteBuffer.wrap(payload, filled, length - filled), deadline);
            arrived(filled, n);
            filled += n;
        }
    }

    /** Unmasks what arrived of the payload, and checks text as it comes. */
    private void arrived(int from, int count) throws WebSocketException {
        if (maskedFrame) {
            Frames.mask(payload, payloadOffset + from, count, maskKey, from);
        }
        boolean text = opcode == Frames.TEXT || (opcode == Frames.CONTINUATION && messageOpcode == Frames.TEXT);
        boolean compressed = opcode == Frames.CONTINUATION ? messageCompressed : (first & Frames.RSV1) != 0;
        if (text && !compressed && !utf8.accept(payload, payloadOffset + from, count)) {
            throw new WebSocketException(CloseReason.INVALID_PAYLOAD, "a text message from " + peer
                    + " that is not valid UTF-8");
        }
    }

    private Message control() throws IOException {
        ByteBuffer body = ByteBuffer.wrap(copy(payload, payloadOffset, length));
        switch (opcode) {
            case Frames.PING -> {
                if (isOpen()) {
                    sendFrame(Frames.FIN | Frames.PONG, body.duplicate(), false);
                }
                return new Message.Ping(body);
            }
            case Frames.PONG -> {
                return new Message.Pong(body);
            }
            default -> {
                return peerClosed(body);
            }
        }
    }

    private Message peerClosed(ByteBuffer body) throws IOException {
        int code = CloseReason.NO_STATUS;
        String reason = "";
        if (body.remaining() == 1) {
            throw protocolError("a close frame with a one-byte payload");
        }
        if (body.remaining() >= 2) {
            code = body.getShort() & 0xFFFF;
            if (!CloseReason.sendable(code)) {
                throw protocolError("a close frame with the code " + code + ", which may not be sent");
            }
            byte[] r = copy(body.array(), 2, body.remaining());
            if (!Utf8Validator.valid(r, 0, r.length)) {
                throw new WebSocketException(CloseReason.INVALID_PAYLOAD, "a close reason from " + peer
                        + " that is not valid UTF-8");
            }
            reason = new String(r, StandardCharsets.UTF_8);
        }
        boolean answer;
        stateLock.lock();
        try {
            answer = state == State.OPEN;
            if (answer) {
                state = State.CLOSE_SENT;
                closeReason = new CloseReason(CloseReason.Kind.REMOTE, code, reason, null);
                closeDeadline = System.nanoTime() + config.closeTimeout().toNanos();
                rescheduleCheck(closeDeadline);
            }
        } finally {
            stateLock.unlock();
        }
        if (answer) {
            try {
                sendFrame(Frames.FIN | Frames.CLOSE, closePayload(code == CloseReason.NO_STATUS ? -1 : code, ""), false);
            } catch (IOException e) {
                // the peer has gone already: the session is closed all the same
            }
        }
        finish(null);
        return new Message.Close(code, reason);
    }

    private Message data(boolean parts) throws IOException {
        boolean fin = (first & Frames.FIN) != 0;
        if (opcode != Frames.CONTINUATION) {
            messageOpcode = opcode;
            messageCompressed = (first & Frames.RSV1) != 0;
            messageSize = 0;
        }
        boolean text = messageOpcode == Frames.TEXT;
        ByteBuffer content;
        if (messageCompressed) {
            content = inflate(fin, text);
        } else {
            content = ByteBuffer.wrap(payload, payloadOffset, length).slice();
            messageSize += length;
        }
        if (fin && text && !utf8.complete()) {
            throw new WebSocketException(CloseReason.INVALID_PAYLOAD, "a text message from " + peer
                    + " that ends inside a UTF-8 sequence");
        }
        if (parts) {
            partsStarted = !fin;
            if (fin) {
                endMessage();
            }
            return text ? new Message.Text(textPart(content, fin), fin) : new Message.Binary(content, fin);
        }
        if (content.hasRemaining() || messageParts.isEmpty()) {
            messageParts.add(content);
        }
        if (!fin) {
            return null;
        }
        ByteBuffer whole = joined();
        endMessage();
        if (!text) {
            return new Message.Binary(whole, true);
        }
        return new Message.Text(new String(whole.array(), whole.arrayOffset() + whole.position(), whole.remaining(),
                StandardCharsets.UTF_8), true);
    }

    private ByteBuffer inflate(boolean fin, boolean text) throws WebSocketException {
        List<ByteBuffer> out = new ArrayList<>(2);
        PerMessageDeflate.Inflation sink = new PerMessageDeflate.Inflation(
                (int) Math.max(0, config.maxMessageSize() - messageSize), config.maxInflateRatio()) {
            @Override
            void accept(byte[] bytes, int offset, int count) throws WebSocketException {
                if (text && !utf8.accept(bytes, offset, count)) {
                    throw new WebSocketException(CloseReason.INVALID_PAYLOAD, "a text message from " + peer
                            + " that is not valid UTF-8");
                }
                out.add(ByteBuffer.wrap(copy(bytes, offset, count)));
            }
        };
        deflate.decompress(payload, payloadOffset, length, fin, sink);
        messageSize += sink.inflated;
        return join(out);
    }

    private String textPart(ByteBuffer content, boolean fin) {
        byte[] bytes;
        if (textTail.length == 0) {
            bytes = copy(content.array(), content.arrayOffset() + content.position(), content.remaining());
        } else {
            bytes = new byte[textTail.length + content.remaining()];
            System.arraycopy(textTail, 0, bytes, 0, textTail.length);
            content.get(bytes, textTail.length, content.remaining());
        }
        int whole = fin ? bytes.length : bytes.length - utf8.incompleteTail();
        textTail = whole == bytes.length ? NO_BYTES : copy(bytes, whole, bytes.length - whole);
        return new String(bytes, 0, whole, StandardCharsets.UTF_8);
    }

    private ByteBuffer joined() {
        ByteBuffer whole = join(messageParts);
        messageParts.clear();
        return whole;
    }

    private static ByteBuffer join(List<ByteBuffer> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int total = 0;
        for (ByteBuffer b : parts) {
            total += b.remaining();
        }
        ByteBuffer whole = ByteBuffer.allocate(total);
        for (ByteBuffer b : parts) {
            whole.put(b);
        }
        return whole.flip();
    }

    private void endMessage() {
        messageOpcode = -1;
        messageCompressed = false;
        messageSize = 0;
        utf8.reset();
        textTail = NO_BYTES;
        partsStarted = false;
    }

    /** Makes sure {@code n} unparsed bytes are at hand, reading more as needed. */
    private void ensure(int n, long deadline) throws IOException {
        while (pending.remaining() < n) {
            ByteBuffer more = readMore(deadline);
            if (!pending.hasRemaining()) {
                pending = more;
            } else {
                ByteBuffer both = ByteBuffer.allocate(pending.remaining() + more.remaining());
                both.put(pending).put(more).flip();
                pending = both;
            }
        }
    }

    private ByteBuffer readMore(long deadline) throws IOException {
        while (true) {
            Duration wait = waitFor(deadline);
            try {
                ByteBuffer got = connection.recv(0, wait);
                lastHeard = System.nanoTime();
                return got;
            } catch (SocketTimeoutException e) {
                timedOut(deadline, e);
            }
        }
    }

    private int readInto(ByteBuffer dst, long deadline) throws IOException {
        while (true) {
            Duration wait = waitFor(deadline);
            try {
                int n = connection.recv(dst, wait);
                lastHeard = System.nanoTime();
                return n;
            } catch (SocketTimeoutException e) {
                timedOut(deadline, e);
            }
        }
    }

    /** How long a read may wait: until the caller's deadline, or without limit (the timer keeps the session's own time). */
    private static Duration waitFor(long deadline) {
        if (deadline == NO_DEADLINE) {
            return dev.atoll.transport.Transport.INFINITE;
        }
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** A read timed out: past the caller's deadline that is the caller's timeout; before it, read on. */
    private static void timedOut(long deadline, SocketTimeoutException e) throws SocketTimeoutException {
        if (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------
    // time: the idle timeout, keep-alive pings and the close deadline, kept by SessionTimer

    /** The next moment something may be due: the idle timeout, a ping, the close deadline. */
    private long nextDue() {
        long due = lastHeard + config.idleTimeout().toNanos();
        if (!config.pingInterval().isZero()) {
            due = Math.min(due, Math.max(lastHeard, lastPing) + config.pingInterval().toNanos());
        }
        return due;
    }

    /** Replaces the pending check by one at {@code at}; called under the state lock. */
    private void rescheduleCheck(long at) {
        if (timerCheck != null) {
            timerCheck.cancel(false);
        }
        timerCheck = SessionTimer.at(at, this::check);
    }

    /** Schedules the next check; a closing session's is never later than its close deadline. */
    private void scheduleCheck(long at) {
        stateLock.lock();
        try {
            if (state == State.OPEN) {
                rescheduleCheck(at);
            } else if (state == State.CLOSE_SENT) {
                rescheduleCheck(at - closeDeadline < 0 ? at : closeDeadline);
            }
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * On the timer's thread, when something may be due: past the close deadline the connection
     * is closed (the receiving thread then ends); past the idle timeout the session starts its
     * close (1001); past the ping interval a ping goes out. Sends run on a virtual thread of
     * their own, since a peer that does not read can hold one up to the send timeout.
     */
    private void check() {
        long now = System.nanoTime();
        State current;
        long closeBy;
        stateLock.lock();
        try {
            current = state;
            closeBy = closeDeadline;
        } finally {
            stateLock.unlock();
        }
        switch (current) {
            case CLOSED -> { }
            case CLOSE_SENT -> {
                if (now - closeBy >= 0) {
                    finish(null);
                } else {
                    scheduleCheck(closeBy);
                }
            }
            case OPEN -> {
                if (now - (lastHeard + config.idleTimeout().toNanos()) >= 0) {
                    // startClose schedules the check of its close deadline
                    Thread.ofVirtual().name("websocket-idle-close").start(() -> startClose(new CloseReason(
                            CloseReason.Kind.TIMEOUT, CloseReason.GOING_AWAY, "idle timeout", null)));
                    return;
                }
                if (!config.pingInterval().isZero()
                        && now - (Math.max(lastHeard, lastPing) + config.pingInterval().toNanos()) >= 0) {
                    lastPing = now;
                    Thread.ofVirtual().name("websocket-keepalive").start(() -> {
                        try {
                            sendControl("ping", Frames.PING, NOTHING);
                        } catch (IOException e) {
                            // a failed send has ended the session, or it is closing
                        }
                    });
                }
                scheduleCheck(nextDue());
            }
        }
    }

    /**
     * Stops a {@link WebSocketHandler}'s callbacks (hackney's {@code {active, false}}) after the
     * one under way: the session reads nothing until {@link #resumeDelivery()}, so the peer is
     * held back by TCP. Blocking code that calls {@link #receive} itself is not affected.
     */
    public void pauseDelivery() {
        stateLock.lock();
        try {
            deliveryPaused = true;
        } finally {
            stateLock.unlock();
        }
    }

    /** Restarts a {@link WebSocketHandler}'s callbacks stopped by {@link #pauseDelivery()}. */
    public void resumeDelivery() {
        stateLock.lock();
        try {
            deliveryPaused = false;
            closed.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    /** Waits while delivery is paused, unless the session ends. */
    void awaitDelivery() throws java.io.InterruptedIOException {
        stateLock.lock();
        try {
            while (deliveryPaused && state != State.CLOSED) {
                closed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("the session's delivery was interrupted while paused");
        } finally {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------
    // sending

    /**
     * Sends a whole text message, compressed when permessage-deflate was negotiated and the
     * message is at least {@link WebSocketConfig#deflateThreshold()} bytes.
     *
     * @param text the text; a lone surrogate is refused
     * @throws WebSocketClosedException when a close frame has been sent or received, or the send failed
     * @throws IllegalArgumentException when the text has a lone surrogate, which UTF-8 cannot carry
     * @throws IOException on an interrupt
     */
    public void sendText(CharSequence text) throws IOException {
        byte[] bytes = utf8(text);
        sendMessage("sendText", Frames.TEXT, bytes, 0, bytes.length);
    }

    /**
     * Sends a whole binary message, compressed as {@link #sendText(CharSequence)} says.
     *
     * @param data the bytes from position to limit; the position is not moved
     * @throws WebSocketClosedException when a close frame has been sent or received, or the send failed
     * @throws IOException on an interrupt
     */
    public void sendBinary(ByteBuffer data) throws IOException {
        Objects.requireNonNull(data, "data");
        if (deflate != null && data.remaining() >= config.deflateThreshold()) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            sendMessage("sendBinary", Frames.BINARY, bytes, 0, bytes.length);
            return;
        }
        messageLock.lock();
        try {
            checkSendable("sendBinary");
            sendFrame(Frames.FIN | Frames.BINARY, data.duplicate(), true);
        } finally {
            messageLock.unlock();
        }
    }

    private void sendMessage(String operation, int op, byte[] bytes, int offset, int count) throws IOException {
        messageLock.lock();
        try {
            checkSendable(operation);
            if (deflate != null && count >= config.deflateThreshold()) {
                byte[] compressed = deflate.compress(bytes, offset, count);
                sendFrame(Frames.FIN | Frames.RSV1 | op, ByteBuffer.wrap(compressed), true);
            } else {
                sendFrame(Frames.FIN | op, ByteBuffer.wrap(bytes, offset, count), true);
            }
        } finally {
            messageLock.unlock();
        }
    }

    /**
     * Sends one part of a text message (a frame of it, never compressed). Until its last part,
     * other threads' messages wait; parts of one message must come from one thread.
     *
     * @param text a part; its text may not end inside a surrogate pair
     * @param last whether this part ends the message
     * @throws IllegalStateException when a binary message is part-way sent by this thread
     * @throws WebSocketClosedException when a close frame has been sent or received, or the send failed
     * @throws IOException on an interrupt
     */
    public void sendText(CharSequence text, boolean last) throws IOException {
        byte[] bytes = utf8(text);
        sendPart("sendText", Frames.TEXT, ByteBuffer.wrap(bytes), last);
    }

    /**
     * Sends one part of a binary message (a frame of it, never compressed), as
     * {@link #sendText(CharSequence, boolean)} says.
     *
     * @param data the bytes from position to limit; the position is not moved
     * @param last whether this part ends the message
     * @throws IllegalStateException when a text message is part-way sent by this thread
     * @throws WebSocketClosedException when a close frame has been sent or received, or the send failed
     * @throws IOException on an interrupt
     */
    public void sendBinary(ByteBuffer data, boolean last) throws IOException {
        Objects.requireNonNull(data, "data");
        sendPart("sendBinary", Frames.BINARY, data.duplicate(), last);
    }

    private void sendPart(String operation, int op, ByteBuffer data, boolean last) throws IOException {
        boolean continuing = messageLock.isHeldByCurrentThread() && streamOpcode >= 0;
        if (continuing && streamOpcode != op) {
            throw new IllegalStateException(operation + " to " + peer + ": a " + Frames.name(streamOpcode)
                    + " message is part-way sent; finish it first");
        }
        if (!continuing) {
            messageLock.lock();
        }
        boolean release = last;
        try {
            checkSendable(operation);
            sendFrame((last ? Frames.FIN : 0) | (continuing ? Frames.CONTINUATION : op), data, true);
            streamOpcode = last ? -1 : op;
        } catch (IOException | RuntimeException e) {
            release = true;
            streamOpcode = -1;
            throw e;
        } finally {
            if (release) {
                messageLock.unlock();
            }
        }
    }

    /**
     * Sends a ping; the peer's pong comes back through {@link #receive}.
     *
     * @param payload at most 125 bytes, from position to limit
     * @throws IllegalArgumentException when longer
     * @throws WebSocketClosedException when a close frame has been sent or received, or the send failed
     * @throws IOException on an interrupt
     */
    public void ping(ByteBuffer payload) throws IOException {
        sendControl("ping", Frames.PING, payload);
    }

    /**
     * Sends an unsolicited pong (a heartbeat that wants no answer).
     *
     * @param payload at most 125 bytes, from position to limit
     * @throws IllegalArgumentException when longer
     * @throws WebSocketClosedException when a close frame has been sent or received, or the send failed
     * @throws IOException on an interrupt
     */
    public void pong(ByteBuffer payload) throws IOException {
        sendControl("pong", Frames.PONG, payload);
    }

    private void sendControl(String operation, int op, ByteBuffer payload) throws IOException {
        Objects.requireNonNull(payload, "payload");
        if (payload.remaining() > Frames.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(operation + " to " + peer + ": a payload of " + payload.remaining()
                    + " bytes; control frames carry at most 125");
        }
        checkSendable(operation);
        sendFrame(Frames.FIN | op, payload.duplicate(), true);
    }

    private void checkSendable(String operation) throws WebSocketClosedException {
        stateLock.lock();
        try {
            if (state != State.OPEN) {
                throw new WebSocketClosedException(operation, peer, closeReason);
            }
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Writes one frame. A client masks it with a fresh key (into a copy: the caller's bytes are
     * never changed).
     *
     * @param failSession whether a failed send ends the session
     */
    private void sendFrame(int firstByte, ByteBuffer data, boolean failSession) throws IOException {
        int len = data.remaining();
        byte[] header = new byte[Frames.MAX_HEADER];
        int key = client ? maskKeys.nextInt() : 0;
        int n = Frames.header(header, firstByte, len, key, client);
        ByteBuffer body = data;
        if (client && len > 0) {
            byte[] masked = new byte[len];
            data.duplicate().get(masked);
            Frames.mask(masked, 0, len, key, 0);
            body = ByteBuffer.wrap(masked);
        }
        try {
            if (len == 0) {
                connection.send(config.sendTimeout(), ByteBuffer.wrap(header, 0, n));
            } else {
                connection.send(config.sendTimeout(), ByteBuffer.wrap(header, 0, n), body);
            }
        } catch (IOException e) {
            if (interrupt(e) || !failSession) {
                throw e;
            }
            throw new WebSocketClosedException("send", peer, connectionEnded(e));
        }
    }

    /** Whether a failure is an interrupt of the calling thread (not a time limit, which is also an InterruptedIOException). */
    private static boolean interrupt(IOException e) {
        return e instanceof java.io.InterruptedIOException && !(e instanceof SocketTimeoutException);
    }

    private static byte[] utf8(CharSequence text) {
        Objects.requireNonNull(text, "text");
        String s = text.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("text with a lone surrogate at index " + i
                            + ", which UTF-8 cannot carry");
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------
    // closing

    /**
     * Closes the session normally (1000), as {@link #close(int, String)}.
     *
     * @throws IOException on an interrupt
     */
    @Override
    public void close() throws IOException {
        close(CloseReason.NORMAL, "");
    }

    /**
     * Sends a close frame with this code and reason, waits for the peer's close for at most
     * {@link WebSocketConfig#closeTimeout()} (or for the thread receiving to take it), then
     * closes the connection. Does nothing more when the session is already closing or closed.
     *
     * @param code   a code that may be sent (1000-1003, 1007-1014, 3000-4999)
     * @param reason at most 123 bytes in UTF-8
     * @throws IllegalArgumentException when the code may not be sent or the reason is too long
     * @throws IOException on an interrupt
     */
    public void close(int code, String reason) throws IOException {
        Objects.requireNonNull(reason, "reason");
        if (!CloseReason.sendable(code)) {
            throw new IllegalArgumentException("close: the code " + code + " may not be sent; use 1000-1003, 1007-1014 or 3000-4999");
        }
        if (utf8(reason).length > MAX_REASON) {
            throw new IllegalArgumentException("close: a reason of more than " + MAX_REASON + " bytes in UTF-8");
        }
        closeAs(new CloseReason(CloseReason.Kind.LOCAL, code, reason, null));
    }

    /** Closes with this reason: sends its close frame and finishes the close handshake. */
    void closeAs(CloseReason reason) throws IOException {
        startClose(reason);
        awaitClosed();
    }

    /** Sends the close frame, unless one has been sent or received. */
    private void startClose(CloseReason reason) {
        stateLock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSE_SENT;
            closeReason = reason;
            closeDeadline = System.nanoTime() + config.closeTimeout().toNanos();
            rescheduleCheck(closeDeadline);
        } finally {
            stateLock.unlock();
        }
        try {
            sendFrame(Frames.FIN | Frames.CLOSE, closePayload(reason.code(), reason.reason()), false);
        } catch (IOException e) {
            abort(e);
        }
    }

    /** Waits for the peer's close: reads it here when no other thread is receiving, else waits for that thread. */
    private void awaitClosed() throws IOException {
        boolean reading;
        try {
            reading = receiveLock.tryLock(0, TimeUnit.NANOSECONDS) || receiveLock.isHeldByCurrentThread();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("close: interrupted");
        }
        if (reading) {
            try {
                drainUntilClosed();
            } finally {
                if (receiveLock.isHeldByCurrentThread()) {
                    receiveLock.unlock();
                }
            }
            return;
        }
        stateLock.lock();
        try {
            while (state != State.CLOSED) {
                long left = closeDeadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                closed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stateLock.unlock();
        }
        finish(null);
    }

    /** Reads and drops frames until the peer's close arrives, the connection ends or the close times out. */
    private void drainUntilClosed() {
        while (true) {
            stateLock.lock();
            try {
                if (state == State.CLOSED) {
                    return;
                }
            } finally {
                stateLock.unlock();
            }
            try {
                Message m = nextFrame(Long.MAX_VALUE, true);
                if (m instanceof Message.Close) {
                    return;
                }
            } catch (IOException e) {
                finish(null);
                return;
            }
        }
    }

    /**
     * The peer broke the protocol: sends the close frame with the code that names the fault,
     * ends sending (FIN) and drops what the peer still sends until it closes, for at most the
     * close timeout, then closes the connection.
     */
    private CloseReason fail(CloseReason.Kind kind, int code, Throwable cause) {
        String text = cause.getMessage() == null ? "" : cause.getMessage();
        CloseReason reason = new CloseReason(kind, code, text, cause);
        boolean send;
        stateLock.lock();
        try {
            send = state == State.OPEN;
            if (send) {
                state = State.CLOSE_SENT;
                closeReason = reason;
                closeDeadline = System.nanoTime() + config.closeTimeout().toNanos();
                rescheduleCheck(closeDeadline);
            } else if (state == State.CLOSE_SENT) {
                closeReason = reason;
            }
        } finally {
            stateLock.unlock();
        }
        try {
            if (send) {
                sendFrame(Frames.FIN | Frames.CLOSE, closePayload(code, shortReason(text)), false);
            }
            connection.shutdown(ShutdownHow.WRITE);
            drainRaw();
        } catch (IOException e) {
            // the peer is gone: nothing more to tell it
        }
        finish(null);
        return closeReasonNow();
    }

    /** Drops bytes until the peer ends its side or the close timeout passes. */
    private void drainRaw() throws IOException {
        while (true) {
            long left = closeDeadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                connection.recv(0, Duration.ofNanos(left));
            } catch (EndOfStreamException | SocketTimeoutException e) {
                return;
            }
        }
    }

    /** The connection failed or ended without a close handshake (or while one was under way). */
    private CloseReason connectionEnded(IOException cause) {
        abort(cause);
        return closeReasonNow();
    }

    /** Ends the session at once: a failure while open is the reason (1006); a close under way keeps its own. */
    private void abort(IOException cause) {
        stateLock.lock();
        try {
            if (state == State.OPEN) {
                closeReason = new CloseReason(CloseReason.Kind.TRANSPORT, CloseReason.ABNORMAL,
                        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
            }
        } finally {
            stateLock.unlock();
        }
        finish(cause);
    }

    /** Marks the session closed, closes the connection and wakes whoever waits for the close. */
    private void finish(IOException cause) {
        stateLock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (closeReason == null) {
                closeReason = new CloseReason(CloseReason.Kind.TRANSPORT, CloseReason.ABNORMAL, "", cause);
            }
            state = State.CLOSED;
            if (timerCheck != null) {
                timerCheck.cancel(false);
            }
            closed.signalAll();
        } finally {
            stateLock.unlock();
        }
        try {
            connection.close();
        } catch (IOException e) {
            // closed all the same
        }
        if (deflate != null) {
            messageLock.lock();
            try {
                deflate.endCompressor();
            } finally {
                messageLock.unlock();
            }
            if (receiveLock.isHeldByCurrentThread()) {
                deflate.endDecompressor();
            }
        }
    }

    private CloseReason endedReason() {
        stateLock.lock();
        try {
            return state == State.CLOSED ? closeReason : null;
        } finally {
            stateLock.unlock();
        }
    }

    private CloseReason closeReasonNow() {
        stateLock.lock();
        try {
            return closeReason;
        } finally {
            stateLock.unlock();
        }
    }

    private static ByteBuffer closePayload(int code, String reason) {
        if (code < 0) {
            return NOTHING;
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + r.length);
        b.putShort((short) code).put(r).flip();
        return b;
    }

    /** A reason for the wire: at most 123 bytes, cut on a code point. */
    private static String shortReason(String text) {
        byte[] r = text.getBytes(StandardCharsets.UTF_8);
        if (r.length <= MAX_REASON) {
            return text;
        }
        int end = MAX_REASON;
        while (end > 0 && (r[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(r, 0, end, StandardCharsets.UTF_8);
    }

    private WebSocketException protocolError(String what) {
        return new WebSocketException(CloseReason.PROTOCOL_ERROR, what + " from " + peer);
    }

    private static byte[] copy(byte[] bytes, int offset, int count) {
        byte[] c = new byte[count];
        System.arraycopy(bytes, offset, c, 0, count);
        return c;
    }

    private static long deadline(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: must not be negative, not " + timeout);
        }
        if (timeout.compareTo(Duration.ofDays(365)) > 0) {
            return NO_DEADLINE;
        }
        return System.nanoTime() + timeout.toNanos();
    }

    @Override
    public String toString() {
        return "WebSocket[" + (client ? "client to " : "server for ") + peer + ", " + closeReason().map(r -> "closed " + r.kind()
                + " " + r.code()).orElse("open") + "]";
    }
}
