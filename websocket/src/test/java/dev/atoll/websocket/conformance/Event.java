package dev.atoll.websocket.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** What the suite sees from the peer under test, whole messages reassembled and inflated (its pings are answered, not shown). */
public sealed interface Event {

    /** A text or binary message. */
    record Message(boolean binary, ByteBuffer data) implements Event {
        Message(boolean binary, byte[] data) {
            this(binary, ByteBuffer.wrap(data));
        }

        @Override
        public String toString() {
            return (binary ? "binary " : "text ") + Event.describe(data);
        }
    }

    /** A pong. */
    record Pong(ByteBuffer data) implements Event {
        Pong(byte[] data) {
            this(ByteBuffer.wrap(data));
        }

        @Override
        public String toString() {
            return "pong " + Event.describe(data);
        }
    }

    /**
     * A close frame.
     *
     * @param code   its code, or {@code null} when it had no payload
     * @param reason its reason
     */
    record Close(Integer code, String reason) implements Event {
        @Override
        public String toString() {
            return code == null ? "close without a code" : "close " + code + (reason.isEmpty() ? "" : " [" + reason + "]");
        }
    }

    /** The peer closed the TCP connection (or reset it). */
    record TcpClosed(String how) implements Event {
        @Override
        public String toString() {
            return "TCP " + how;
        }
    }

    /** Nothing arrived in time. */
    record TimedOut() implements Event {
        @Override
        public String toString() {
            return "nothing in time";
        }
    }

    /** The peer sent something the RFC forbids it to send; the suite stops reading. */
    record Violation(String what) implements Event {
        @Override
        public String toString() {
            return "violation: " + what;
        }
    }

    /** {@return a payload for a message: short ones in full, long ones by length and head} */
    static String describe(ByteBuffer data) {
        ByteBuffer d = data.duplicate();
        int n = d.remaining();
        byte[] head = new byte[Math.min(n, 24)];
        d.get(head);
        boolean printable = true;
        for (byte b : head) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        String shown = printable ? "\"" + new String(head, StandardCharsets.US_ASCII) + "\"" : "0x" + HexFormat.of().formatHex(head);
        return n <= head.length ? shown : n + " bytes " + shown + "...";
    }
}
