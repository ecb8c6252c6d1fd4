package dev.atoll.websocket.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The permessage-deflate parameters a case asks for (RFC 7692 section 7.1): as a client, the
 * offer the suite makes; as a server, the answer it makes when the client's offer allows it
 * ({@link #answer}).
 *
 * @param serverNoContextTakeover asks the server to reset its compressor after each message
 * @param clientNoContextTakeover says the suite resets its compressor after each message
 * @param serverMaxWindowBits     asks the server for at most this window (8 to 15), or 0 for no limit
 * @param clientMaxWindowBits     the suite's window if limited (8 to 15), -1 to offer the parameter
 *                                without a value (the server may then limit the suite), 0 not to offer it
 */
public record DeflateOffer(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
        int clientMaxWindowBits) {

    /** The offer browsers make: {@code permessage-deflate; client_max_window_bits}. */
    public static final DeflateOffer DEFAULT = new DeflateOffer(false, false, 0, -1);

    /** {@return the offer as an element of {@code Sec-WebSocket-Extensions}} */
    public String header() {
        StringBuilder s = new StringBuilder("permessage-deflate");
        if (serverNoContextTakeover) {
            s.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            s.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits > 0) {
            s.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        if (clientMaxWindowBits < 0) {
            s.append("; client_max_window_bits");
        } else if (clientMaxWindowBits > 0) {
            s.append("; client_max_window_bits=").append(clientMaxWindowBits);
        }
        return s.toString();
    }

    /**
     * Reads the server's answer to this offer (RFC 7692 section 7.1): every parameter known, at
     * most once, with a valid value, and consistent with what was offered.
     *
     * @param response the element of the response's {@code Sec-WebSocket-Extensions}
     * @return what was agreed
     * @throws IllegalArgumentException naming what in the answer breaks the RFC or this offer
     */
    public Deflate.Agreement agree(String response) {
        String[] parts = response.split(";");
        if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) {
            throw new IllegalArgumentException("an extension that was not offered: " + response);
        }
        boolean snct = false;
        boolean cnct = false;
        int smwb = 15;
        int cmwb = 15;
        List<String> seen = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            String name = kv[0].trim().toLowerCase(Locale.ROOT);
            String value = kv.length == 2 ? kv[1].trim().replace("\"", "") : null;
            if (seen.contains(name)) {
                throw new IllegalArgumentException("the parameter " + name + " twice in " + response);
            }
            seen.add(name);
            switch (name) {
                case "server_no_context_takeover" -> snct = noValue(name, value);
                case "client_no_context_takeover" -> cnct = noValue(name, value);
                case "server_max_window_bits" -> smwb = bits(name, value);
                case "client_max_window_bits" -> {
                    if (clientMaxWindowBits == 0) {
                        throw new IllegalArgumentException("client_max_window_bits in the answer to an offer without it: " + response);
                    }
                    cmwb = bits(name, value);
                    if (clientMaxWindowBits > 0 && cmwb > clientMaxWindowBits) {
                        throw new IllegalArgumentException("client_max_window_bits=" + cmwb + " above the offered "
                                + clientMaxWindowBits + ": " + response);
                    }
                }
                default -> throw new IllegalArgumentException("the unknown parameter " + name + " in " + response);
            }
        }
        if (serverNoContextTakeover && !snct) {
            throw new IllegalArgumentException("accepted without the offered server_no_context_takeover: " + response);
        }
        if (serverMaxWindowBits > 0 && (!seen.contains("server_max_window_bits") || smwb > serverMaxWindowBits)) {
            throw new IllegalArgumentException("accepted without server_max_window_bits of at most the offered "
                    + serverMaxWindowBits + ": " + response);
        }
        if (clientMaxWindowBits > 0 && !seen.contains("client_max_window_bits")) {
            cmwb = clientMaxWindowBits;
        }
        return new Deflate.Agreement(snct, cnct || clientNoContextTakeover, smwb, cmwb);
    }

    /**
     * A client's permessage-deflate offer as the suite reads it as a server.
     *
     * @param serverNoContextTakeover the client asks the server to reset its compressor
     * @param clientNoContextTakeover the client hints it resets its own
     * @param serverMaxWindowBits     the window the client allows the server, or 0 for no limit
     * @param clientMaxWindowBits     whether the client offered {@code client_max_window_bits}
     * @param clientWindowBits        its value, or 15 without one
     */
    public record Received(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
            boolean clientMaxWindowBits, int clientWindowBits) {

        /**
         * Reads one element of a request's {@code Sec-WebSocket-Extensions} (RFC 7692 section 7.1).
         *
         * @param element the element, {@code permessage-deflate} and its parameters
         * @return the offer
         * @throws IllegalArgumentException naming what breaks the RFC: an unknown or repeated
         *                                  parameter, or a malformed value
         */
        public static Received parse(String element) {
            String[] parts = element.split(";");
            if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) {
                throw new IllegalArgumentException("not a permessage-deflate offer: " + element);
            }
            boolean snct = false;
            boolean cnct = false;
            int smwb = 0;
            boolean cmwb = false;
            int cbits = 15;
            List<String> seen = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String name = kv[0].trim().toLowerCase(Locale.ROOT);
                String value = kv.length == 2 ? kv[1].trim().replace("\"", "") : null;
                if (seen.contains(name)) {
                    throw new IllegalArgumentException("the parameter " + name + " twice in " + element);
                }
                seen.add(name);
                switch (name) {
                    case "server_no_context_takeover" -> snct = noValue(name, value);
                    case "client_no_context_takeover" -> cnct = noValue(name, value);
                    case "server_max_window_bits" -> smwb = bits(name, value);
                    case "client_max_window_bits" -> {
                        cmwb = true;
                        cbits = value == null ? 15 : bits(name, value);
                    }
                    default -> throw new IllegalArgumentException("the unknown parameter " + name + " in " + element);
                }
            }
            return new Received(snct, cnct, smwb, cmwb, cbits);
        }
    }

    /**
     * The suite's answer as a server, with this record's parameters, to a client's offer: it
     * answers {@code server_no_context_takeover} when either asks for it, this record's
     * {@code server_max_window_bits} (or the client's limit), and the client's
     * {@code client_no_context_takeover} and {@code client_max_window_bits} when this record has
     * them. An offer without {@code client_max_window_bits} allows no client window, and a
     * server window over the client's limit is not within the offer (RFC 7692 section 7.1.2).
     *
     * @param offer the client's offer
     * @return the response's element and what it agrees, or empty when the offer does not allow these parameters
     */
    public Optional<Answer> answer(Received offer) {
        if (clientMaxWindowBits > 0 && (!offer.clientMaxWindowBits() || clientMaxWindowBits > offer.clientWindowBits())) {
            return Optional.empty();
        }
        int serverBits = serverMaxWindowBits > 0 ? serverMaxWindowBits : offer.serverMaxWindowBits();
        if (offer.serverMaxWindowBits() > 0 && serverBits > offer.serverMaxWindowBits()) {
            return Optional.empty();
        }
        boolean snct = serverNoContextTakeover || offer.serverNoContextTakeover();
        StringBuilder s = new StringBuilder("permessage-deflate");
        if (snct) {
            s.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            s.append("; client_no_context_takeover");
        }
        if (serverBits > 0) {
            s.append("; server_max_window_bits=").append(serverBits);
        }
        if (clientMaxWindowBits > 0) {
            s.append("; client_max_window_bits=").append(clientMaxWindowBits);
        }
        return Optional.of(new Answer(s.toString(), new Deflate.Agreement(snct, clientNoContextTakeover,
                serverBits > 0 ? serverBits : 15, clientMaxWindowBits > 0 ? clientMaxWindowBits : offer.clientWindowBits())));
    }

    /**
     * The suite's answer to a client's offer.
     *
     * @param header    the element of the response's {@code Sec-WebSocket-Extensions}
     * @param agreement what it agrees
     */
    public record Answer(String header, Deflate.Agreement agreement) {
    }

    private static boolean noValue(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException(name + " with a value: " + value);
        }
        return true;
    }

    private static int bits(String name, String value) {
        if (value == null || !value.matches("[0-9]{1,2}") || Integer.parseInt(value) < 8 || Integer.parseInt(value) > 15) {
            throw new IllegalArgumentException(name + " needs a value from 8 to 15, not " + value);
        }
        return Integer.parseInt(value);
    }
}
