package dev.atoll.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** RFC 6455 section 5.2: opcodes, frame headers and masking, for both sides. */
final class Frames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    static final int RSV2 = 0x20;
    static final int RSV3 = 0x10;
    static final int MASKED = 0x80;

    /** The largest control frame payload. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    /** The longest header: two bytes, an eight-byte length and a four-byte mask key. */
    static final int MAX_HEADER = 14;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Frames() {
    }

    static boolean control(int opcode) {
        return (opcode & 0x8) != 0;
    }

    static boolean known(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }

    static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "opcode " + opcode;
        };
    }

    /**
     * Writes a frame header into {@code header} (at least {@link #MAX_HEADER} bytes).
     *
     * @param first   the first byte: FIN, RSV bits and opcode
     * @param length  the payload's length
     * @param maskKey the mask key when masked (a client's frame)
     * @param masked  whether to set the mask bit and write the key
     * @return the header's length
     */
    static int header(byte[] header, int first, long length, int maskKey, boolean masked) {
        header[0] = (byte) first;
        int maskBit = masked ? MASKED : 0;
        int n;
        if (length <= 125) {
            header[1] = (byte) (maskBit | length);
            n = 2;
        } else if (length <= 0xFFFF) {
            header[1] = (byte) (maskBit | 126);
            header[2] = (byte) (length >>> 8);
            header[3] = (byte) length;
            n = 4;
        } else {
            header[1] = (byte) (maskBit | 127);
            for (int i = 0; i < 8; i++) {
                header[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
            n = 10;
        }
        if (masked) {
            header[n] = (byte) (maskKey >>> 24);
            header[n + 1] = (byte) (maskKey >>> 16);
            header[n + 2] = (byte) (maskKey >>> 8);
            header[n + 3] = (byte) maskKey;
            n += 4;
        }
        return n;
    }

    /**
     * XORs {@code length} bytes with the mask key, the first of them being byte
     * {@code maskOffset} of the payload (so a payload can be unmasked piece by piece).
     */
    static void mask(byte[] bytes, int offset, int length, int maskKey, long maskOffset) {
        int key = Integer.rotateLeft(maskKey, (int) (maskOffset & 3) * 8);
        int i = offset;
        int end = offset + length;
        if (length >= 16) {
            long wide = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
            for (; i + 8 <= end; i += 8) {
                LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ wide);
            }
        }
        for (int k = 0; i < end; i++, k++) {
            bytes[i] ^= (byte) (key >>> (24 - 8 * (k & 3)));
        }
    }
}
