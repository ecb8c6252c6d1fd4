package dev.atoll.transport;

import java.net.SocketOption;

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
