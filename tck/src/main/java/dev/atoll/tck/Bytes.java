package dev.atoll.tck;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Small conversions the rules share. */
final class Bytes {

    private Bytes() {
    }

    /** The remaining bytes of a buffer, consumed. */
    static byte[] of(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** A range of an array. */
    static byte[] range(byte[] data, int from, int to) {
        return Arrays.copyOfRange(data, from, to);
    }
}
