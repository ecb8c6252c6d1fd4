package dev.atoll.transport;

import java.net.SocketOption;
import java.time.Duration;

/**
 * Socket options Atoll defines where the JDK has none. Every backend supports them.
 */
public final class AtollOptions {

    private AtollOptions() {
    }

    /**
     * Listener option: the maximum number of pending connections the kernel queues before
     * {@code accept} takes them. Default 1024; the kernel may cap it.
     */
    public static final SocketOption<Integer> BACKLOG = new AtollOption<>("ATOLL_BACKLOG", Integer.class);

    /**
     * Connection option: the most bytes a {@code recv(socket, 0, timeout)} returns at once, and
     * so the most memory one receive takes, whatever the peer sends. Between 1 and 16 MiB;
     * default 64 KiB. A connection waiting to receive holds far less: the result is sized to
     * what has arrived.
     */
    public static final SocketOption<Integer> RECV_CHUNK_SIZE = new AtollOption<>("ATOLL_RECV_CHUNK_SIZE", Integer.class);

    /**
     * Connection option: how long a {@code send} or {@code sendfile} may wait for the peer to
     * take bytes before it fails with {@link SendTimeoutException}, which tells how many bytes
     * were taken (SEND-3). Default {@link Transport#INFINITE}: a peer that never reads blocks a
     * sender until the connection is closed. {@link Connection#send(Duration, java.nio.ByteBuffer...)}
     * gives a limit for one call instead.
     */
    public static final SocketOption<Duration> SEND_TIMEOUT = new AtollOption<>("ATOLL_SEND_TIMEOUT", Duration.class);

    /**
     * Connection option: whether a send that times out also closes the connection (SEND-4), as
     * Ranch's {@code send_timeout_close}: after a timeout the peer has received a part of a
     * message, which most protocols cannot recover from. Default {@code false}: the connection
     * stays usable and the caller decides.
     */
    public static final SocketOption<Boolean> SEND_TIMEOUT_CLOSE = new AtollOption<>("ATOLL_SEND_TIMEOUT_CLOSE",
            Boolean.class);

    /**
     * Connection option: how long a connection, once {@code close} has returned, goes on in the
     * background delivering the bytes this side sent and reading and dropping what the peer still
     * sends, so that the peer receives every byte followed by the end of the stream rather than a
     * reset (CLOSE-4). When the peer ends its side or the time is up, the socket is closed. Default
     * {@value #DEFAULT_CLOSE_LINGER_SECONDS} seconds; {@link Duration#ZERO} closes at once
     * (bytes the peer sent and this side did not read then make the kernel reset the
     * connection). {@link java.net.StandardSocketOptions#SO_LINGER} 0 makes a close abortive: a
     * reset at once, and queued bytes are dropped.
     */
    public static final SocketOption<Duration> CLOSE_LINGER = new AtollOption<>("ATOLL_CLOSE_LINGER", Duration.class);

    /** The default of {@link #CLOSE_LINGER}, in seconds. */
    public static final int DEFAULT_CLOSE_LINGER_SECONDS = 5;

    /**
     * Checks a value of {@link #SEND_TIMEOUT} or {@link #CLOSE_LINGER}.
     *
     * @param option the option
     * @param value  the value
     * @return the value
     * @throws IllegalArgumentException when it is negative
     */
    public static Duration checkDuration(SocketOption<Duration> option, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(option.name() + " cannot be negative: " + value);
        }
        return value;
    }

    /** The largest value {@link #RECV_CHUNK_SIZE} accepts. */
    public static final int MAX_RECV_CHUNK_SIZE = 16 * 1024 * 1024;

    /** The default of {@link #RECV_CHUNK_SIZE}. */
    public static final int DEFAULT_RECV_CHUNK_SIZE = 64 * 1024;

    /** The default of {@link #BACKLOG}. */
    public static final int DEFAULT_BACKLOG = 1024;

    /**
     * Checks a value of {@link #RECV_CHUNK_SIZE}.
     *
     * @param size the value
     * @return the value
     * @throws IllegalArgumentException when it is out of range
     */
    public static int checkRecvChunkSize(int size) {
        if (size < 1 || size > MAX_RECV_CHUNK_SIZE) {
            throw new IllegalArgumentException(RECV_CHUNK_SIZE.name() + " must be between 1 and "
                    + MAX_RECV_CHUNK_SIZE + ", not " + size);
        }
        return size;
    }

    private record AtollOption<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
