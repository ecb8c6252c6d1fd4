package dev.atoll.transport;

/**
 * The connection or listener was closed on this side, before or during the operation (rules
 * CLOSE-1 and CLOSE-2). Not to be confused with the peer ending the stream, which is an
 * {@link EndOfStreamException}.
 */
public class ConnectionClosedException extends TransportException {

    /**
     * A close error.
     *
     * @param message what failed, naming the operation and the peer
     */
    public ConnectionClosedException(String message) {
        super(message);
    }

    /**
     * A close error with the error it interrupted.
     *
     * @param message what failed, naming the operation and the peer
     * @param cause   the underlying error
     */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
