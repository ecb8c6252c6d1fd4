package dev.atoll.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one client connection asks of the server beyond its URI: subprotocols in order of
 * preference and extra request headers (an {@code Origin}, an {@code Authorization}, cookies).
 *
 * @param subprotocols offered in {@code Sec-WebSocket-Protocol}; the server may choose one
 * @param headers      extra request headers; names are tokens, values have no CR, LF or NUL,
 *                     and none may be one the handshake writes itself
 */
public record ConnectOptions(List<String> subprotocols, List<Map.Entry<String, String>> headers) {

    private static final Set<String> SET_BY_HANDSHAKE = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "content-length",
            "transfer-encoding");

    private static final ConnectOptions NONE = new ConnectOptions(List.of(), List.of());

    /** Checks and copies the components: tokens for subprotocols, fields a request may carry. */
    public ConnectOptions {
        subprotocols = List.copyOf(subprotocols);
        for (String p : subprotocols) {
            Headers.checkToken("subprotocol", p);
        }
        headers = List.copyOf(headers);
        for (Map.Entry<String, String> h : headers) {
            Headers.checkField(h.getKey(), h.getValue());
            if (SET_BY_HANDSHAKE.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + h.getKey() + ": the handshake writes it; use the option that sets it");
            }
        }
    }

    /** {@return no subprotocols, no extra headers} */
    public static ConnectOptions none() {
        return NONE;
    }

    /**
     * Offers these subprotocols instead.
     * @param protocols subprotocols in order of preference
     * @return these options offering them instead
     */
    public ConnectOptions withSubprotocols(String... protocols) {
        return new ConnectOptions(List.of(protocols), headers);
    }

    /**
     * Adds a request header.
     * @param name  a header name
     * @param value its value
     * @return these options with one more header
     */
    public ConnectOptions withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
        return new ConnectOptions(subprotocols, more);
    }
}
