package dev.atoll.server;

import java.io.IOException;

/** A PROXY protocol header is missing, malformed, too long, or of a version not accepted. */
public class ProxyProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     *
     * @param message what is wrong, naming the peer
     */
    public ProxyProtocolException(String message) {
        super(message);
    }
}
