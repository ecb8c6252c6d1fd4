package dev.atoll.websocket;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link WebSocketEndpoint} answers to an upgrade request: accept it (choosing a
 * subprotocol and extra response headers) or refuse it with an HTTP response.
 */
public sealed interface UpgradeDecision {

    /** {@return an acceptance with no subprotocol and no extra headers} */
    static UpgradeDecision accept() {
        return new Accept(Optional.empty(), List.of());
    }

    /**
     * Accepts, choosing a subprotocol the client offered.
     * @param subprotocol one of {@link HandshakeRequest#subprotocols()}
     * @return an acceptance choosing that subprotocol
     */
    static UpgradeDecision accept(String subprotocol) {
        return new Accept(Optional.of(subprotocol), List.of());
    }

    /**
     * Refuses with an HTTP response.
     * @param reply the response, such as 403 for a bad {@code Origin} or 401 for a missing token
     * @return a refusal
     */
    static UpgradeDecision refuse(HttpReply reply) {
        return new Refuse(reply);
    }

    /**
     * The upgrade is accepted.
     *
     * @param subprotocol the chosen subprotocol, which must be one the client offered
     * @param headers     extra headers for the 101 response (such as {@code Set-Cookie})
     */
    record Accept(Optional<String> subprotocol, List<Map.Entry<String, String>> headers) implements UpgradeDecision {
        /** Checks the components: a subprotocol that is a token, headers the upgrade does not set itself. */
        public Accept {
            Objects.requireNonNull(subprotocol, "subprotocol");
            subprotocol.ifPresent(p -> Headers.checkToken("subprotocol", p));
            headers = List.copyOf(headers);
            for (Map.Entry<String, String> h : headers) {
                Headers.checkField(h.getKey(), h.getValue());
                if (Headers.SET_BY_UPGRADE.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException("header " + h.getKey() + ": the upgrade sets it");
                }
            }
        }

        /**
         * Adds a header to the 101 response.
         * @param name  the header's name
         * @param value its value
         * @return this acceptance with one more response header
         */
        public Accept withHeader(String name, String value) {
            List<Map.Entry<String, String>> more = new java.util.ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Accept(subprotocol, more);
        }
    }

    /**
     * The upgrade is refused with this response, and the connection closed.
     *
     * @param reply the response
     */
    record Refuse(HttpReply reply) implements UpgradeDecision {
        /** Checks the components: none may be null. */
        public Refuse {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
