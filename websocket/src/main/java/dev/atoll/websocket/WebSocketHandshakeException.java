package dev.atoll.websocket;

import java.util.List;
import java.util.Map;

/**
 * A server answered a client's upgrade request with another status than 101: its status, its
 * headers and the start of its body, for the application to act on (a 401 asking for
 * credentials, a 3xx naming another URI).
 */
public final class WebSocketHandshakeException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    /** The response status. */
    private final int status;
    private final transient List<Map.Entry<String, String>> headers;
    /** The start of the response body. */
    private final byte[] body;

    WebSocketHandshakeException(String message, int status, List<Map.Entry<String, String>> headers, byte[] body) {
        super(CloseReason.PROTOCOL_ERROR, message);
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
    }

    /** {@return the response's status} */
    public int status() {
        return status;
    }

    /** {@return the response's headers, in order} */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** {@return the response's body, at most {@link WebSocketClientConfig#MAX_ERROR_BODY} bytes of it} */
    public byte[] body() {
        return body.clone();
    }
}
