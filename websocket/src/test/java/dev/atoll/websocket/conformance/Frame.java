package dev.atoll.websocket.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame as the suite writes or reads it (RFC 6455 section 5.2), any field value
 * allowed: the suite sends frames the RFC forbids on purpose.
 *
 * @param fin     the FIN bit
 * @param rsv     the three RSV bits, 0 to 7 (RSV1 is 4)
 * @param opcode  0 to 15
 * @param payload the unmasked payload
 */
public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** RSV1, the bit permessage-deflate gives to compressed messages. */
    public static final int RSV1 = 4;

    /** {@return a final frame without reserved bits} */
    public static Frame of(int opcode, byte[] payload) {
        return new Frame(true, 0, opcode, payload);
    }

    /** {@return a final frame without reserved bits carrying text in UTF-8} */
    public static Frame of(int opcode, String payload) {
        return of(opcode, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** {@return whether the opcode is a control frame's (8 to 15)} */
    public boolean control() {
        return (opcode & 8) != 0;
    }

    /**
     * Encodes the frame with the shortest length form.
     *
     * @param maskKey the four bytes masking the payload, or {@code null} for an unmasked frame
     * @return the frame's bytes
     */
    public byte[] encode(byte[] maskKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 15));
        int maskBit = maskKey == null ? 0 : 0x80;
        long length = payload.length;
        if (length < 126) {
            out.write(maskBit | (int) length);
        } else if (length < 65536) {
            out.write(maskBit | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift));
            }
        }
        if (maskKey == null) {
            out.writeBytes(payload);
        } else {
            out.writeBytes(maskKey);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= maskKey[i & 3];
            }
            out.writeBytes(masked);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "frame(fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", " + payload.length + " bytes)";
    }
}
