package dev.atoll.websocket;

import dev.atoll.transport.tls.TlsSession;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 request as a {@link WebSocketEndpoint} sees it: an upgrade request that passed
 * every check of RFC 6455 section 4.2.1, or (for {@link WebSocketEndpoint#notUpgrade}) any
 * well-formed request.
 */
public final class HandshakeRequest {

    private final String method;
    private final String target;
    private final List<Map.Entry<String, String>> headers;
    private final InetSocketAddress peer;
    private final InetSocketAddress local;
    private final Optional<TlsSession> tls;

    HandshakeRequest(String method, String target, List<Map.Entry<String, String>> headers, InetSocketAddress peer,
            InetSocketAddress local, Optional<TlsSession> tls) {
        this.method = method;
        this.target = target;
        this.headers = List.copyOf(headers);
        this.peer = peer;
        this.local = local;
        this.tls = tls;
    }

    /** {@return the request method, such as {@code GET}} */
    public String method() {
        return method;
    }

    /** {@return the request target as sent, such as {@code /chat?room=1}} */
    public String target() {
        return target;
    }

    /** {@return the target's path, without the query} */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** {@return the target's query, without the {@code ?}, if it has one} */
    public Optional<String> query() {
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }

    /** {@return every header in the order received, names as sent} */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * The values of a header.
     * @param name a header name, in any case
     * @return the values of every header of that name, in order
     */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                values.add(h.getValue());
            }
        }
        return values;
    }

    /**
     * The first value of a header.
     * @param name a header name, in any case
     * @return the value of the first header of that name
     */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@return the subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of preference} */
    public List<String> subprotocols() {
        return Headers.elements(headers("Sec-WebSocket-Protocol"));
    }

    /** {@return the {@code Origin} header, which browsers send and an endpoint should check} */
    public Optional<String> origin() {
        return header("Origin");
    }

    /** {@return the client's address (the PROXY protocol's source when the server reads one)} */
    public InetSocketAddress peer() {
        return peer;
    }

    /** {@return the server's address the client connected to} */
    public InetSocketAddress local() {
        return local;
    }

    /** {@return what TLS negotiated, or empty over a plain transport} */
    public Optional<TlsSession> tlsSession() {
        return tls;
    }

    @Override
    public String toString() {
        return method + " " + target + " from " + peer + (tls.isPresent() ? " (TLS)" : "") + " "
                + headers.stream().map(h -> h.getKey().toLowerCase(Locale.ROOT)).toList();
    }
}
