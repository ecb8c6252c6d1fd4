package dev.atoll.transport;

/**
 * A bounded receive found no end of its message within its limit, such as
 * {@link Connection#recvUntil} reading a line longer than allowed. The bytes it read are handed
 * back to the connection (they are what the next receive returns), so the caller may answer the
 * peer or close.
 */
public class LimitExceededException extends TransportException {

    private static final long serialVersionUID = 1L;

    /**
     * A limit passed.
     *
     * @param message the operation, the peer and the limit
     */
    public LimitExceededException(String message) {
        super(message);
    }
}
