package dev.atoll.websocket.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * The peer under test, seen from the suite on one open connection, whichever side the suite
 * plays: it sends frames exactly as told (masked when the suite is the client, each with a fresh
 * key), reads the peer's frames, answers its pings, and reassembles and inflates its messages,
 * checking every frame the peer sends against the RFC.
 */
public final class Peer implements AutoCloseable {

    /** The largest message the suite takes from a peer. */
    static final int MAX_MESSAGE = 32 << 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Role role;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Deflate deflate;
    private final String offered;
    private final String extensions;

    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private boolean broken;
    private String writeFailure;

    /**
     * @param role       the side the suite plays
     * @param socket     the connection, upgraded
     * @param in         its input, holding whatever arrived behind the handshake
     * @param deflate    the permessage-deflate agreed, or {@code null}
     * @param offered    the extensions the client offered, for the report
     * @param extensions the extensions header agreed, for the report
     */
    Peer(Role role, Socket socket, InputStream in, Deflate deflate, String offered, String extensions) throws IOException {
        this.role = role;
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.deflate = deflate;
        this.offered = offered;
        this.extensions = extensions;
    }

    /** {@return whether permessage-deflate was agreed} */
    public boolean compressing() {
        return deflate != null;
    }

    /** {@return the extensions the client offered, empty for none} */
    public String offered() {
        return offered;
    }

    /** {@return the extensions the handshake agreed, empty for none} */
    public String extensions() {
        return extensions;
    }

    /** {@return the side the suite plays} */
    public Role role() {
        return role;
    }

    /** Sends frames in one write. */
    public void send(Frame... frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Frame f : frames) {
            bytes.writeBytes(encode(f));
        }
        write(bytes.toByteArray(), Integer.MAX_VALUE);
    }

    /** Sends a frame in writes of {@code chop} bytes each, flushed one by one. */
    public void send(Frame frame, int chop) throws IOException {
        sendBytes(encode(frame), chop);
    }

    /** {@return the frame's bytes as this side sends them} */
    public byte[] encode(Frame frame) {
        byte[] key = null;
        if (role.masksOutgoing()) {
            key = new byte[4];
            RANDOM.nextBytes(key);
        }
        return frame.encode(key);
    }

    /** Sends raw bytes in writes of {@code chop} bytes each. */
    public void sendBytes(byte[] bytes, int chop) throws IOException {
        write(bytes, chop);
    }

    /**
     * Writes, flushing every {@code chop} bytes. A write the peer's TCP close or reset refuses is
     * noted and later ones skipped: what the peer did shows in {@link #next}, as it would for
     * a peer that sends into a connection being failed.
     */
    private void write(byte[] bytes, int chop) {
        if (writeFailure != null) {
            return;
        }
        try {
            for (int i = 0; i < bytes.length; i += chop) {
                out.write(bytes, i, Math.min(chop, bytes.length - i));
                out.flush();
            }
        } catch (IOException e) {
            writeFailure = String.valueOf(e.getMessage());
        }
    }

    /**
     * Sends a whole message, compressed when permessage-deflate was agreed.
     *
     * @param binary       binary or text
     * @param data         the message
     * @param fragmentSize the largest frame payload, or 0 for one frame
     */
    public void sendMessage(boolean binary, byte[] data, int fragmentSize) throws IOException {
        byte[] payload = deflate == null ? data : deflate.compress(data);
        int rsv = deflate == null ? 0 : Frame.RSV1;
        int size = fragmentSize <= 0 ? Math.max(payload.length, 1) : fragmentSize;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
        int offset = 0;
        do {
            int n = Math.min(size, payload.length - offset);
            boolean first = offset == 0;
            boolean last = offset + n == payload.length;
            bytes.writeBytes(encode(new Frame(last, first ? rsv : 0, first ? (binary ? Frame.BINARY : Frame.TEXT)
                    : Frame.CONTINUATION, Arrays.copyOfRange(payload, offset, offset + n))));
            offset += n;
        } while (offset < payload.length);
        write(bytes.toByteArray(), Integer.MAX_VALUE);
    }

    /** Sends a close frame with a code and reason. */
    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        send(Frame.of(Frame.CLOSE, payload));
    }

    /**
     * Waits for what the peer does next: a message, a pong or a close frame (its pings are
     * answered here), its TCP close, a violation of the RFC, or nothing within the time.
     *
     * @param timeout how long to wait
     * @return the event
     */
    public Event next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (broken) {
            return new Event.Violation("the connection is no longer read after a violation");
        }
        for (;;) {
            Frame f;
            try {
                f = readFrame(deadline);
            } catch (SocketTimeoutException e) {
                return new Event.TimedOut();
            } catch (ClosedByPeer e) {
                return new Event.TcpClosed(e.getMessage());
            } catch (ViolationException e) {
                broken = true;
                return new Event.Violation(e.getMessage());
            }
            Event event;
            try {
                event = interpret(f);
            } catch (ViolationException e) {
                broken = true;
                return new Event.Violation(e.getMessage());
            }
            if (event != null) {
                return event;
            }
        }
    }

    /**
     * Waits for the peer to send something, without taking it.
     *
     * @param timeout how long to wait
     * @return whether nothing arrived (and the connection stayed open) within the time
     */
    public boolean silentFor(Duration timeout) throws IOException {
        try {
            fill(1, System.nanoTime() + timeout.toNanos());
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (ClosedByPeer e) {
            return false;
        }
    }

    private Event interpret(Frame f) throws ViolationException, IOException {
        String peer = role.tested();
        if (f.opcode() >= 3 && f.opcode() <= 7 || f.opcode() >= 11) {
            throw new ViolationException(peer + " sent the reserved opcode " + f.opcode());
        }
        boolean rsv1Allowed = deflate != null && (f.opcode() == Frame.TEXT || f.opcode() == Frame.BINARY);
        if ((f.rsv() & ~(rsv1Allowed ? Frame.RSV1 : 0)) != 0) {
            throw new ViolationException(peer + " set RSV bits " + f.rsv() + " on " + f);
        }
        if (f.control()) {
            if (!f.fin() || f.payload().length > 125) {
                throw new ViolationException(peer + " sent a fragmented or long control " + f);
            }
            switch (f.opcode()) {
                case Frame.PING -> {
                    send(Frame.of(Frame.PONG, f.payload()));
                    return null;
                }
                case Frame.PONG -> {
                    return new Event.Pong(f.payload());
                }
                default -> {
                    return close(f.payload());
                }
            }
        }
        if (f.opcode() == Frame.CONTINUATION) {
            if (messageOpcode < 0) {
                throw new ViolationException(peer + " sent a continuation frame outside a message");
            }
        } else {
            if (messageOpcode >= 0) {
                throw new ViolationException(peer + " began a message inside another");
            }
            messageOpcode = f.opcode();
            messageCompressed = (f.rsv() & Frame.RSV1) != 0;
            message.reset();
        }
        if (message.size() + (long) f.payload().length > MAX_MESSAGE) {
            throw new ViolationException(peer + " sent a message over " + MAX_MESSAGE + " bytes");
        }
        message.writeBytes(f.payload());
        if (!f.fin()) {
            return null;
        }
        byte[] data = message.toByteArray();
        message.reset();
        boolean binary = messageOpcode == Frame.BINARY;
        messageOpcode = -1;
        if (messageCompressed) {
            try {
                data = deflate.decompress(data, MAX_MESSAGE);
            } catch (DataFormatException e) {
                throw new ViolationException(peer + " sent a compressed message that does not inflate: " + e.getMessage());
            }
        }
        if (!binary && !validUtf8(data)) {
            throw new ViolationException(peer + " sent a text message that is not UTF-8: " + Event.describe(ByteBuffer.wrap(data)));
        }
        return new Event.Message(binary, data);
    }

    private Event close(byte[] payload) throws ViolationException {
        if (payload.length == 0) {
            return new Event.Close(null, "");
        }
        if (payload.length == 1) {
            throw new ViolationException(role.tested() + " sent a close frame of one byte");
        }
        byte[] reason = Arrays.copyOfRange(payload, 2, payload.length);
        if (!validUtf8(reason)) {
            throw new ViolationException(role.tested() + " sent a close reason that is not UTF-8");
        }
        return new Event.Close((payload[0] & 0xff) << 8 | payload[1] & 0xff, new String(reason, StandardCharsets.UTF_8));
    }

    static boolean validUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private Frame readFrame(long deadline) throws IOException, ViolationException {
        fill(2, deadline);
        int b0 = buffer[start] & 0xff;
        int b1 = buffer[start + 1] & 0xff;
        boolean masked = (b1 & 0x80) != 0;
        if (masked == role.masksOutgoing()) {
            throw new ViolationException(role.tested() + (masked ? " masked a frame" : " sent an unmasked frame"));
        }
        int len7 = b1 & 0x7f;
        int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        fill(header, deadline);
        long length = len7;
        if (len7 == 126) {
            length = (buffer[start + 2] & 0xff) << 8 | buffer[start + 3] & 0xff;
        } else if (len7 == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | buffer[start + 2 + i] & 0xff;
            }
        }
        if (length < 0 || length > MAX_MESSAGE) {
            throw new ViolationException(role.tested() + " sent a frame of " + length + " bytes");
        }
        fill(header + (int) length, deadline);
        byte[] payload = Arrays.copyOfRange(buffer, start + header, start + header + (int) length);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= buffer[start + header - 4 + (i & 3)];
            }
        }
        start += header + (int) length;
        return new Frame((b0 & 0x80) != 0, b0 >> 4 & 7, b0 & 15, payload);
    }

    private void fill(int n, long deadline) throws IOException {
        while (end - start < n) {
            if (start + n > buffer.length) {
                byte[] grown = buffer.length >= n ? buffer : new byte[Math.max(n, buffer.length * 2)];
                System.arraycopy(buffer, start, grown, 0, end - start);
                end -= start;
                start = 0;
                buffer = grown;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int r;
            try {
                r = in.read(buffer, end, buffer.length - end);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw new ClosedByPeer("reset (" + e.getMessage() + ")");
            }
            if (r < 0) {
                throw new ClosedByPeer(end == start ? "closed" : "closed in the middle of a frame");
            }
            end += r;
        }
    }

    /** Closes the connection. */
    @Override
    public void close() throws IOException {
        if (deflate != null) {
            deflate.end();
        }
        socket.close();
    }

    private static final class ClosedByPeer extends IOException {
        ClosedByPeer(String how) {
            super(how);
        }
    }

    private static final class ViolationException extends Exception {
        ViolationException(String what) {
            super(what);
        }
    }
}
