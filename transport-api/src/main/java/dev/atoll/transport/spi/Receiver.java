package dev.atoll.transport.spi;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.EndOfStreamException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The receive rules of {@link dev.atoll.transport.Transport#recv} (RECV-1 to RECV-5), written
 * once over a backend's "read some bytes" primitive. A backend keeps one receiver per
 * connection and calls it from its {@code recv}; only one thread receives at a time.
 *
 * <p>Bytes taken for an exact-length receive that then times out are kept and returned first by
 * the next receive, so a timeout loses nothing. A receive with {@code length == 0} reads into a
 * reusable buffer of {@link AtollOptions#RECV_CHUNK_SIZE} bytes and returns a copy of what
 * arrived, so a connection's read memory is bounded by that size whatever the peer sends.
 */
public final class Receiver {

    /** A backend's primitive read. */
    @FunctionalInterface
    public interface Source {
        /**
         * Reads at least one byte, waiting no later than {@code deadline}.
         *
         * @param dst      where to put the bytes
         * @param offset   the first index to fill
         * @param length   the most bytes to read, at least 1
         * @param deadline when to give up; a deadline of zero length must not wait at all
         * @return how many bytes were read (at least 1), or -1 at an orderly end of stream
         * @throws SocketTimeoutException when the deadline passes with no byte read
         * @throws IOException            on any other failure
         */
        int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException;
    }

    private static final byte[] NONE = new byte[0];

    private final TrafficCounter counter = new TrafficCounter();
    private byte[] chunk = NONE;
    private int chunkSize = AtollOptions.DEFAULT_RECV_CHUNK_SIZE;
    private byte[] kept = NONE;

    /** A receiver with the default {@link AtollOptions#RECV_CHUNK_SIZE} and nothing kept. */
    public Receiver() {
    }

    /**
     * The counter of received bytes, for {@code getstat}.
     *
     * @return the counter
     */
    public TrafficCounter counter() {
        return counter;
    }

    /**
     * The current {@link AtollOptions#RECV_CHUNK_SIZE}.
     *
     * @return the size in bytes
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Changes {@link AtollOptions#RECV_CHUNK_SIZE}.
     *
     * @param size the new size
     * @throws IllegalArgumentException when the size is out of range
     */
    public void chunkSize(int size) {
        chunkSize = AtollOptions.checkRecvChunkSize(size);
        if (chunk.length != size) {
            chunk = NONE;
        }
    }

    /**
     * Receives per the rules of {@link dev.atoll.transport.Transport#recv}.
     *
     * @param source    the backend's read primitive
     * @param length    0 for what is available, or the exact count
     * @param timeout   how long to wait
     * @param operation the operation and peer, for error messages ("recv from /127.0.0.1:80")
     * @return the bytes, in a new buffer positioned at 0
     * @throws IOException on timeout, end of stream or failure
     */
    public ByteBuffer receive(Source source, int length, Duration timeout, String operation) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException(operation + ": length must be 0 or more, not " + length);
        }
        Deadline deadline = Deadline.after(timeout);
        ByteBuffer received = length == 0 ? receiveAvailable(source, deadline, operation)
                : receiveExactly(source, length, deadline, operation);
        counter.record(received.remaining());
        return received;
    }

    private ByteBuffer receiveAvailable(Source source, Deadline deadline, String operation) throws IOException {
        if (kept.length > 0) {
            byte[] bytes = kept;
            kept = NONE;
            return ByteBuffer.wrap(bytes);
        }
        if (chunk.length == 0) {
            chunk = new byte[chunkSize];
        }
        int n = source.read(chunk, 0, chunk.length, deadline);
        if (n < 0) {
            throw new EndOfStreamException(operation + ": end of stream", ByteBuffer.allocate(0));
        }
        return ByteBuffer.wrap(Arrays.copyOf(chunk, n));
    }

    private ByteBuffer receiveExactly(Source source, int length, Deadline deadline, String operation) throws IOException {
        byte[] out = new byte[length];
        int filled = Math.min(kept.length, length);
        System.arraycopy(kept, 0, out, 0, filled);
        kept = filled == kept.length ? NONE : Arrays.copyOfRange(kept, filled, kept.length);
        while (filled < length) {
            int n;
            try {
                n = source.read(out, filled, length - filled, deadline);
            } catch (SocketTimeoutException timeout) {
                keep(out, filled);
                throw timeout;
            }
            if (n < 0) {
                throw new EndOfStreamException(operation + ": end of stream after " + filled + " of " + length
                        + " bytes", ByteBuffer.wrap(out, 0, filled).slice());
            }
            filled += n;
        }
        return ByteBuffer.wrap(out);
    }

    private void keep(byte[] bytes, int count) {
        if (count == 0) {
            return;
        }
        byte[] joined = Arrays.copyOf(bytes, count + kept.length);
        System.arraycopy(kept, 0, joined, count, kept.length);
        kept = joined;
    }
}
