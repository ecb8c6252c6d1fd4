package dev.atoll.websocket;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) for one session: the negotiated parameters, the compressor of
 * what this side sends and the decompressor of what it receives, with the inflate limits of
 * {@link WebSocketConfig}. Not thread-safe: the session compresses under its message lock and
 * decompresses on its receiving thread.
 */
final class PerMessageDeflate {

    static final String NAME = "permessage-deflate";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final boolean resetCompressor;
    private final boolean resetDecompressor;
    private final String responseHeader;
    private final Deflater deflater;
    private final Inflater inflater = new Inflater(true);
    private final byte[] chunk = new byte[8192];

    private PerMessageDeflate(boolean resetCompressor, boolean resetDecompressor, int level, String responseHeader) {
        this.resetCompressor = resetCompressor;
        this.resetDecompressor = resetDecompressor;
        this.responseHeader = responseHeader;
        this.deflater = new Deflater(level, true);
    }

    /**
     * The server's side of the negotiation (RFC 7692 section 5): takes the first
     * permessage-deflate offer in {@code Sec-WebSocket-Extensions} that is valid and that this
     * side can honour. An offer asking for a server window under 15 bits is declined, since the
     * JDK's {@link Deflater} always uses 15.
     *
     * @param offers the request's {@code Sec-WebSocket-Extensions} values
     * @param config this side's settings
     * @return the negotiated extension, or empty when none is accepted (or deflate is off)
     */
    static Optional<PerMessageDeflate> negotiateServer(List<String> offers, WebSocketConfig config) {
        if (!config.deflate()) {
            return Optional.empty();
        }
        for (Map<String, String> offer : parse(offers)) {
            if (!NAME.equals(offer.get(""))) {
                continue;
            }
            Optional<PerMessageDeflate> accepted = acceptServer(offer, config);
            if (accepted.isPresent()) {
                return accepted;
            }
        }
        return Optional.empty();
    }

    private static Optional<PerMessageDeflate> acceptServer(Map<String, String> offer, WebSocketConfig config) {
        boolean serverNoContext = config.serverNoContextTakeover();
        boolean clientNoContext = config.clientNoContextTakeover();
        boolean windowAsked = false;
        for (Map.Entry<String, String> p : offer.entrySet()) {
            String name = p.getKey();
            String value = p.getValue();
            switch (name) {
                case "" -> { }
                case "server_no_context_takeover" -> {
                    if (value != null) {
                        return Optional.empty();
                    }
                    serverNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (value != null) {
                        return Optional.empty();
                    }
                }
                case "server_max_window_bits" -> {
                    // a valid value under 15 cannot be honoured: the offer is declined
                    if (windowBits(value) != 15) {
                        return Optional.empty();
                    }
                    windowAsked = true;
                }
                case "client_max_window_bits" -> {
                    // the client's window is at most what it says: any window inflates with 15 bits
                    if (value != null && windowBits(value) < 0) {
                        return Optional.empty();
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        StringBuilder response = new StringBuilder(NAME);
        if (serverNoContext) {
            response.append("; server_no_context_takeover");
        }
        if (clientNoContext) {
            response.append("; client_no_context_takeover");
        }
        if (windowAsked) {
            // an accepted window parameter is answered (RFC 7692 section 7.1.2.1)
            response.append("; server_max_window_bits=15");
        }
        return Optional.of(new PerMessageDeflate(serverNoContext, clientNoContext, config.deflateLevel(), response.toString()));
    }

    /**
     * The offer a client makes: no window parameters (the JDK's {@link Deflater} always uses a
     * 15-bit window, so this side never offers {@code client_max_window_bits}), and the
     * no-context-takeover parameters its configuration asks for.
     */
    static String clientOffer(WebSocketConfig config) {
        StringBuilder offer = new StringBuilder(NAME);
        if (config.clientNoContextTakeover()) {
            offer.append("; client_no_context_takeover");
        }
        if (config.serverNoContextTakeover()) {
            offer.append("; server_no_context_takeover");
        }
        return offer.toString();
    }

    /**
     * The client's side of the negotiation: checks the server's {@code Sec-WebSocket-Extensions}
     * against what {@link #clientOffer} offered (RFC 7692 section 5).
     *
     * @param response the response's {@code Sec-WebSocket-Extensions} values
     * @param offered  whether permessage-deflate was offered
     * @param config   this side's settings
     * @return the agreed extension, or empty when the server accepted none
     * @throws WebSocketException when the server answered with an extension or parameter not
     *         offered, twice, or malformed: the connection must fail
     */
    static Optional<PerMessageDeflate> negotiateClient(List<String> response, boolean offered, WebSocketConfig config)
            throws WebSocketException {
        List<Map<String, String>> accepted = parse(response);
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        if (!offered || accepted.size() > 1 || !NAME.equals(accepted.get(0).get(""))) {
            throw new WebSocketException(CloseReason.MANDATORY_EXTENSION, "the server accepted extensions that were not offered: "
                    + response);
        }
        boolean resetCompressor = config.clientNoContextTakeover();
        boolean resetDecompressor = false;
        for (Map.Entry<String, String> p : accepted.get(0).entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "" -> { }
                case "client_no_context_takeover" -> {
                    if (value != null) {
                        throw badParameter(response);
                    }
                    resetCompressor = true;
                }
                case "server_no_context_takeover" -> {
                    if (value != null) {
                        throw badParameter(response);
                    }
                    resetDecompressor = true;
                }
                case "server_max_window_bits" -> {
                    // any window the server uses inflates with 15 bits
                    if (windowBits(value) < 0) {
                        throw badParameter(response);
                    }
                }
                default -> throw badParameter(response); // client_max_window_bits was never offered
            }
        }
        return Optional.of(new PerMessageDeflate(resetCompressor, resetDecompressor, config.deflateLevel(),
                String.join(", ", response)));
    }

    private static WebSocketException badParameter(List<String> response) {
        return new WebSocketException(CloseReason.PROTOCOL_ERROR, "the server's permessage-deflate parameters were not"
                + " offered or are malformed: " + response);
    }

    private static int windowBits(String value) {
        if (value == null || value.length() > 2) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 && !value.startsWith("0") ? bits : -1;
    }

    /**
     * Parses {@code Sec-WebSocket-Extensions} values into offers: each a map from parameter name
     * to value (null for a parameter without one), the extension's name under {@code ""}. An
     * offer with a parameter given twice, or malformed, comes out with the name {@code "!"} so it
     * is declined.
     */
    static List<Map<String, String>> parse(List<String> values) {
        List<Map<String, String>> offers = new ArrayList<>();
        for (String element : Headers.elements(values)) {
            Map<String, String> offer = new HashMap<>();
            String[] parts = element.split(";", -1);
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            offer.put("", Headers.token(name) ? name : "!");
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i].strip();
                int eq = part.indexOf('=');
                String key = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : unquote(part.substring(eq + 1).strip());
                if (!Headers.token(key) || offer.containsKey(key) || (eq >= 0 && value == null)) {
                    offer.put("", "!");
                }
                offer.put(key, value);
            }
            offers.add(offer);
        }
        return offers;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        }
        return Headers.token(v) ? v : null;
    }

    /** {@return the {@code Sec-WebSocket-Extensions} value that accepts this negotiation} */
    String responseHeader() {
        return responseHeader;
    }

    /**
     * Compresses one message: the deflate stream flushed to a byte boundary, without its
     * trailing {@code 00 00 FF FF}.
     */
    byte[] compress(byte[] data, int offset, int length) {
        deflater.setInput(data, offset, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2 + 16));
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput());
        byte[] compressed = out.toByteArray();
        if (resetCompressor) {
            deflater.reset();
        }
        int end = compressed.length;
        if (end >= 4 && compressed[end - 4] == 0 && compressed[end - 3] == 0 && compressed[end - 2] == (byte) 0xFF
                && compressed[end - 1] == (byte) 0xFF) {
            end -= 4;
        }
        return end == compressed.length ? compressed : java.util.Arrays.copyOf(compressed, end);
    }

    /**
     * Decompresses the next frame of a compressed message into {@code sink}.
     *
     * @param last    whether the frame ends the message (the stream's tail is added)
     * @param sink    where the inflated bytes go
     * @throws WebSocketException 1009 past the message or ratio limit, 1007 for a corrupt stream
     */
    void decompress(byte[] data, int offset, int length, boolean last, Inflation sink) throws WebSocketException {
        sink.compressed += length;
        inflater.setInput(data, offset, length);
        drain(sink);
        if (last) {
            inflater.setInput(TAIL);
            drain(sink);
            if (resetDecompressor) {
                inflater.reset();
            }
        }
    }

    private void drain(Inflation sink) throws WebSocketException {
        try {
            while (true) {
                int room = (int) Math.min(chunk.length, (long) sink.limit - sink.inflated + 1);
                int n = inflater.inflate(chunk, 0, Math.max(1, room));
                if (n > 0) {
                    sink.inflated += n;
                    if (sink.inflated > sink.limit) {
                        throw new WebSocketException(CloseReason.MESSAGE_TOO_BIG, "a compressed message inflates past "
                                + sink.limit + " bytes");
                    }
                    if (sink.inflated > WebSocketConfig.INFLATE_RATIO_FLOOR
                            && sink.inflated > (long) sink.ratio * Math.max(1, sink.compressed)) {
                        throw new WebSocketException(CloseReason.MESSAGE_TOO_BIG, "a compressed message of "
                                + sink.compressed + " bytes inflates more than " + sink.ratio + " times");
                    }
                    sink.accept(chunk, 0, n);
                } else if (inflater.needsInput() || inflater.finished()) {
                    if (inflater.finished()) {
                        // a final block ends the stream: the next message needs a fresh one
                        inflater.reset();
                    }
                    return;
                } else if (inflater.needsDictionary()) {
                    throw new WebSocketException(CloseReason.INVALID_PAYLOAD, "a compressed message asks for a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new WebSocketException(CloseReason.INVALID_PAYLOAD, "a compressed message is not valid deflate data: "
                    + e.getMessage(), e);
        }
    }

    /** Frees the compressor's zlib state now rather than when collected; called under the session's message lock. */
    void endCompressor() {
        deflater.end();
    }

    /** Frees the decompressor's zlib state now rather than when collected; called by the receiving thread. */
    void endDecompressor() {
        inflater.end();
    }

    /** Where a message's inflated bytes go, and the counts its limits are checked on. */
    abstract static class Inflation {
        final int limit;
        final int ratio;
        long compressed;
        long inflated;

        Inflation(int limit, int ratio) {
            this.limit = limit;
            this.ratio = ratio;
        }

        abstract void accept(byte[] bytes, int offset, int length) throws WebSocketException;
    }
}
