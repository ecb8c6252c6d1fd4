package dev.atoll.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP/1.1 response that ends the connection instead of a WebSocket session: a refused
 * upgrade, or the answer to a request that did not ask for one. Atoll adds
 * {@code Content-Length} and {@code Connection: close}.
 *
 * @param status  100-599 but not 101
 * @param headers extra headers, in order; names and values without CR, LF or NUL
 * @param body    the body, possibly empty
 */
public record HttpReply(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    /** Checks and copies the components: a status other than 101, headers Atoll does not set itself. */
    public HttpReply {
        if (status < 100 || status > 599 || status == 101) {
            throw new IllegalArgumentException("status: must be 100-599 and not 101 (which only an accepted upgrade sends), not " + status);
        }
        headers = List.copyOf(headers);
        for (Map.Entry<String, String> h : headers) {
            Headers.checkField(h.getKey(), h.getValue());
            String name = h.getKey();
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("connection")
                    || name.equalsIgnoreCase("transfer-encoding")) {
                throw new IllegalArgumentException("header " + name + ": Atoll sets it");
            }
        }
        body = body.clone();
    }

    /**
     * A reply with a plain-text body.
     *
     * @param status the status
     * @param text   the body, sent as UTF-8 {@code text/plain}
     * @return the reply
     */
    public static HttpReply text(int status, String text) {
        return new HttpReply(status, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8")),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of this reply with one more header.
     *
     * @param name  the header's name
     * @param value its value
     * @return the new reply
     */
    public HttpReply withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
        return new HttpReply(status, more, body);
    }

    /** {@return a copy of the body} */
    @Override
    public byte[] body() {
        return body.clone();
    }

    byte[] encode() {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ')
                .append(Headers.reasonPhrase(status)).append("\r\n");
        for (Map.Entry<String, String> h : headers) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
