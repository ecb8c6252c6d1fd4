package dev.atoll.websocket.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One permessage-deflate offer the suite makes as a client (RFC 7692 section 7.1).
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
