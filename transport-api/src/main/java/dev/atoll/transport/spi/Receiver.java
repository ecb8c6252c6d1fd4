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
 * the next receive, so a timeout loses nothing.
 *
 * <p>A receive with {@code length == 0} holds no buffer of the connection's while it waits but a
 * small one of {@value #FIRST_READ} bytes: it waits for the first bytes into that, and only when
 * they fill it asks the source how many more are ready ({@link Source#available()}) and reads
 * those too, into one array of at most {@link AtollOptions#RECV_CHUNK_SIZE} bytes that becomes
 * the result. So an idle connection costs a few hundred bytes, small messages take one read,
 * and what one receive returns (and the memory it takes) is bounded by the chunk size whatever
 * the peer sends.
 */
public final class Receiver {

    /** A backend's primitive read. */
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

        /**
         * Reads at least one byte into {@code dst}, at most {@code dst.remaining()}, waiting no
         * later than {@code deadline}, and advances its position. By default through
         * {@link #read(byte[], int, int, Deadline)}: into the array of a heap buffer, through a
         * small copy for a direct one; a backend that can read into a buffer directly overrides it.
         *
         * @param dst      where to put the bytes, with at least one remaining
         * @param deadline when to give up
         * @return how many bytes were read (at least 1), or -1 at an orderly end of stream
         * @throws SocketTimeoutException when the deadline passes with no byte read
         * @throws IOException            on any other failure
         */
        default int read(ByteBuffer dst, Deadline deadline) throws IOException {
            int n;
            if (dst.hasArray() && !dst.isReadOnly()) {
                n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining(), deadline);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }
            byte[] copy = new byte[Math.min(dst.remaining(), FIRST_READ)];
            n = read(copy, 0, copy.length, deadline);
            if (n > 0) {
                dst.put(copy, 0, n);
            }
            return n;
        }

        /**
         * How many bytes a read could return now without waiting, as far as the source knows
         * cheaply (bytes it holds, or the kernel's count); 0 when none or when it cannot tell.
         *
         * @return the count, 0 or more
         * @throws IOException when the connection has failed
         */
        default int available() throws IOException {
            return 0;
        }

        /**
         * What a receive from this source is called in messages, with the peer: "recv from
         * /127.0.0.1:80". Called only when a message is made.
         *
         * @return the operation and peer
         */
        String operation();
    }

    /** The bytes a receive of what is available waits with; see the class. */
    public static final int FIRST_READ = 512;

    /** The most an exact-length receive allocates before bytes arrive; it grows as they do. */
    static final int FIRST_EXACT = 64 * 1024;

    private static final byte[] NONE = new byte[0];

    private final TrafficCounter counter = new TrafficCounter();
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
    }

    /**
     * Receives per the rules of {@link dev.atoll.transport.Transport#recv}.
     *
     * @param source  the backend's read primitive
     * @param length  0 for what is available, or the exact count
     * @param timeout how long to wait
     * @return the bytes, in a new buffer positioned at 0
     * @throws IOException on timeout, end of stream or failure
     */
    public ByteBuffer receive(Source source, int length, Duration timeout) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException(source.operation() + ": length must be 0 or more, not " + length);
        }
        Deadline deadline = Deadline.after(timeout);
        ByteBuffer received = length == 0 ? receiveAvailable(source, deadline)
                : receiveExactly(source, length, deadline);
        counter.record(received.remaining());
        return received;
    }

    /**
     * Receives into the caller's buffer per RECV-6 of {@link dev.atoll.transport.Transport#recv(Object, ByteBuffer, Duration)}.
     *
     * @param source  the backend's read primitive
     * @param dst     where the bytes go, with at least one remaining
     * @param timeout how long to wait
     * @return how many bytes were put into {@code dst}, at least 1
     * @throws IOException on timeout, end of stream or failure
     */
    public int receive(Source source, ByteBuffer dst, Duration timeout) throws IOException {
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException(source.operation() + ": the buffer to receive into has no room");
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException(source.operation() + ": the buffer to receive into is read-only");
        }
        int n;
        if (kept.length > 0) {
            n = Math.min(kept.length, dst.remaining());
            dst.put(kept, 0, n);
            kept = n == kept.length ? NONE : Arrays.copyOfRange(kept, n, kept.length);
        } else {
            n = source.read(dst, Deadline.after(timeout));
            if (n < 0) {
                throw new EndOfStreamException(source.operation() + ": end of stream", ByteBuffer.allocate(0));
            }
        }
        counter.record(n);
        return n;
    }

    /**
     * Keeps bytes for the next receives, ahead of anything kept already (RECV-7 of
     * {@link dev.atoll.transport.Transport#unrecv}).
     *
     * @param bytes the bytes from position to limit; copied, and the position moved to the limit
     */
    public void unreceive(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (n == 0) {
            return;
        }
        byte[] joined = new byte[n + kept.length];
        bytes.get(joined, 0, n);
        System.arraycopy(kept, 0, joined, n, kept.length);
        kept = joined;
    }

    /**
     * Whether bytes given back or kept from an unfinished receive wait for the next receive.
     *
     * @return {@code true} when a receive can return at once without reading
     */
    public boolean hasKept() {
        return kept.length > 0;
    }

    private ByteBuffer receiveAvailable(Source source, Deadline deadline) throws IOException {
        if (kept.length > 0) {
            byte[] bytes = kept;
            kept = NONE;
            return ByteBuffer.wrap(bytes);
        }
        byte[] first = new byte[Math.min(FIRST_READ, chunkSize)];
        int n = source.read(first, 0, first.length, deadline);
        if (n < 0) {
            throw new EndOfStreamException(source.operation() + ": end of stream", ByteBuffer.allocate(0));
        }
        int more = n < first.length ? 0 : Math.min(source.available(), chunkSize - n);
        if (more <= 0) {
            return ByteBuffer.wrap(first, 0, n).slice();
        }
        byte[] all = Arrays.copyOf(first, n + more);
        try {
            int m = source.read(all, n, more, deadline);   // that many are ready: this does not wait
            if (m > 0) {
                n += m;
            }   // an end of stream right after the first bytes is reported by the next receive
        } catch (SocketTimeoutException late) {
            // the deadline passed in between: return the first bytes now, the rest stay for the next receive
        }
        return ByteBuffer.wrap(all, 0, n).slice();
    }

    private ByteBuffer receiveExactly(Source source, int length, Deadline deadline) throws IOException {
        // RECV-8: the array grows with what arrives (doubling), never to a length only asked for.
        int filled = Math.min(kept.length, length);
        byte[] out = new byte[Math.min(length, Math.max(filled, FIRST_EXACT))];
        System.arraycopy(kept, 0, out, 0, filled);
        kept = filled == kept.length ? NONE : Arrays.copyOfRange(kept, filled, kept.length);
        while (filled < length) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(length, 2L * out.length));
            }
            int n;
            try {
                n = source.read(out, filled, out.length - filled, deadline);
            } catch (SocketTimeoutException timeout) {
                keep(out, filled);
                throw timeout;
            }
            if (n < 0) {
                throw new EndOfStreamException(source.operation() + ": end of stream after " + filled + " of " + length
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
