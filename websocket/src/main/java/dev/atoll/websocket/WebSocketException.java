package dev.atoll.websocket;

import java.io.IOException;

/**
 * The WebSocket protocol failed: the peer broke a rule of RFC 6455 or a limit of
 * {@link WebSocketConfig}, or an opening handshake was refused. {@link #closeCode()} says with
 * which code the session was (or would be) closed.
 */
public class WebSocketException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The close code that goes with the failure. */
    private final int closeCode;

    /**
     * A protocol failure with the close code that goes with it.
     * @param closeCode the close code that goes with the failure
     * @param message   what went wrong, naming the peer
     */
    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /**
     * A protocol failure with the close code that goes with it.
     * @param closeCode the close code that goes with the failure
     * @param message   what went wrong, naming the peer
     * @param cause     the failure behind it
     */
    public WebSocketException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** {@return the close code that goes with the failure, such as 1002 for a protocol error} */
    public int closeCode() {
        return closeCode;
    }
}
