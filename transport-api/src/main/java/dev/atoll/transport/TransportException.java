package dev.atoll.transport;

import java.io.IOException;

/**
 * The base of Atoll's own I/O errors. Its message names the operation and, where there is one,
 * the peer, such as {@code "recv from /127.0.0.1:5000: connection closed"}.
 */
public class TransportException extends IOException {

    /**
     * An error with a message.
     *
     * @param message what failed, naming the operation and the peer
     */
    public TransportException(String message) {
        super(message);
    }

    /**
     * An error with a message and a cause.
     *
     * @param message what failed, naming the operation and the peer
     * @param cause   the underlying error
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
