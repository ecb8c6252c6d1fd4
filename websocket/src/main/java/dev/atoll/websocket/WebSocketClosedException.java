package dev.atoll.websocket;

/**
 * An operation on a session that has ended; {@link #reason()} says how it ended.
 */
public final class WebSocketClosedException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final transient CloseReason reason;

    /**
     * An operation refused because the session has ended.
     * @param operation what was attempted
     * @param peer      the peer, for the message
     * @param reason    how the session ended
     */
    public WebSocketClosedException(String operation, Object peer, CloseReason reason) {
        super(reason.code(), operation + " on the WebSocket session with " + peer + ": the session is closed ("
                + reason.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", " + reason.code()
                + (reason.reason().isEmpty() ? "" : " " + reason.reason()) + ")", reason.cause());
        this.reason = reason;
    }

    /** {@return how the session ended} */
    public CloseReason reason() {
        return reason;
    }
}
