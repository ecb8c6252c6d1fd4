package dev.atoll.transport;

import java.net.SocketTimeoutException;

/**
 * A send or sendfile that did not finish within its time limit (SEND-3): the peer stopped
 * taking bytes. {@link #bytesTaken()} tells how many bytes of the call were taken before the
 * limit (the buffers' positions have advanced by as much), so the caller may send the rest
 * later or close; with {@link AtollOptions#SEND_TIMEOUT_CLOSE} the connection is closed already.
 */
public class SendTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    /** How many bytes of the call were taken before it timed out. */
    private final long bytesTaken;
    /** Whether the connection was closed because of the timeout. */
    private final boolean closed;

    /**
     * A send timeout.
     *
     * @param message    the operation, the peer and the limit
     * @param bytesTaken how many bytes of the call were taken
     * @param closed     whether the connection was closed because of it ({@link AtollOptions#SEND_TIMEOUT_CLOSE})
     */
    public SendTimeoutException(String message, long bytesTaken, boolean closed) {
        super(message + " (" + bytesTaken + " bytes taken)");
        this.bytesTaken = bytesTaken;
        this.closed = closed;
    }

    /**
     * Whether the connection was closed because of the timeout ({@link AtollOptions#SEND_TIMEOUT_CLOSE}).
     *
     * @return {@code true} when it is closed now
     */
    public boolean connectionClosed() {
        return closed;
    }

    /**
     * How many bytes of the call were taken (handed to the kernel, the TLS engine or the
     * backend's queue of writes) before the time limit.
     *
     * @return the count, 0 or more
     */
    public long bytesTaken() {
        return bytesTaken;
    }
}
