package dev.atoll.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Reading a known number of bytes and throwing them away, the clients' side of bulk work. */
final class Streams {

    private Streams() {
    }

    /**
     * Reads exactly {@code length} bytes from a channel into (and over) a scratch buffer.
     *
     * @param in      the channel
     * @param scratch reused for every read
     * @param length  the bytes to read
     * @return {@code length}
     * @throws IOException when the stream ends first
     */
    static int drain(ReadableByteChannel in, ByteBuffer scratch, long length) throws IOException {
        long left = length;
        while (left > 0) {
            scratch.clear();
            if (left < scratch.capacity()) {
                scratch.limit((int) left);
            }
            int n = in.read(scratch);
            if (n < 0) {
                throw new EOFException("the server ended the stream " + left + " bytes short");
            }
            left -= n;
        }
        return (int) Math.min(length, Integer.MAX_VALUE);
    }

    /**
     * Reads exactly {@code length} bytes from a stream into (and over) a scratch array.
     *
     * @param in      the stream
     * @param scratch reused for every read
     * @param length  the bytes to read
     * @return {@code length}
     * @throws IOException when the stream ends first
     */
    static int drain(InputStream in, byte[] scratch, long length) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new EOFException("the server ended the stream " + left + " bytes short");
            }
            left -= n;
        }
        return (int) Math.min(length, Integer.MAX_VALUE);
    }
}
