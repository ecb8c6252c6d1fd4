package dev.atoll.websocket;

import dev.atoll.server.ConnectionContext;
import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.LimitExceededException;
import dev.atoll.transport.NotSecureException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.tls.TlsSession;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server's opening handshake (RFC 6455 section 4.2): read, check, decide, answer. */
final class ServerHandshake {

    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private ServerHandshake() {
    }

    /**
     * Reads the request and answers it.
     *
     * @return the session, or null when the request was answered over HTTP (and the connection closed)
     */
    static WebSocket answer(Connection connection, ConnectionContext context, WebSocketConfig config,
            WebSocketEndpoint endpoint) throws Exception {
        ByteBuffer head;
        try {
            head = connection.recvUntil(END_OF_HEAD, config.maxRequestHead(), config.handshakeTimeout());
        } catch (LimitExceededException e) {
            reply(connection, config, HttpReply.text(431, "The request head is larger than " + config.maxRequestHead() + " bytes.\n"));
            return null;
        } catch (SocketTimeoutException e) {
            reply(connection, config, HttpReply.text(408, "The request did not arrive in time.\n"));
            return null;
        } catch (EndOfStreamException e) {
            return null;
        }
        HandshakeRequest request;
        try {
            request = parse(head, connection, context);
        } catch (BadRequest e) {
            reply(connection, config, HttpReply.text(e.status, e.getMessage() + "\n"));
            return null;
        }
        if (!Headers.hasToken(request.headers("Upgrade"), "websocket")) {
            reply(connection, config, decide(() -> endpoint.notUpgrade(request), connection, config));
            return null;
        }
        String key;
        try {
            key = check(request);
        } catch (BadRequest e) {
            HttpReply r = HttpReply.text(e.status, e.getMessage() + "\n");
            reply(connection, config, e.status == 426 ? r.withHeader("Sec-WebSocket-Version", "13") : r);
            return null;
        }
        UpgradeDecision decision = decide(() -> endpoint.upgrade(request), connection, config);
        if (decision instanceof UpgradeDecision.Refuse refuse) {
            reply(connection, config, refuse.reply());
            return null;
        }
        UpgradeDecision.Accept accept = (UpgradeDecision.Accept) decision;
        if (accept.subprotocol().isPresent() && !request.subprotocols().contains(accept.subprotocol().get())) {
            IllegalStateException wrong = new IllegalStateException("the endpoint chose the subprotocol '"
                    + accept.subprotocol().get() + "', which the client did not offer (it offered " + request.subprotocols() + ")");
            reply(connection, config, HttpReply.text(500, "The server could not accept the upgrade.\n"));
            throw wrong;
        }
        Optional<PerMessageDeflate> deflate = PerMessageDeflate.negotiateServer(request.headers("Sec-WebSocket-Extensions"), config);
        StringBuilder response = new StringBuilder(256).append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ").append(acceptKey(key)).append("\r\n");
        accept.subprotocol().ifPresent(p -> response.append("Sec-WebSocket-Protocol: ").append(p).append("\r\n"));
        deflate.ifPresent(d -> response.append("Sec-WebSocket-Extensions: ").append(d.responseHeader()).append("\r\n"));
        for (Map.Entry<String, String> h : accept.headers()) {
            response.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        response.append("\r\n");
        connection.send(config.sendTimeout(), ByteBuffer.wrap(response.toString().getBytes(StandardCharsets.ISO_8859_1)));
        return new WebSocket(connection, config, false, deflate.orElse(null), accept.subprotocol(), Optional.of(request),
                ByteBuffer.allocate(0));
    }

    /** The checks of section 4.2.1 past {@code Upgrade}; returns the key. */
    private static String check(HandshakeRequest request) throws BadRequest {
        if (!request.method().equals("GET")) {
            throw new BadRequest(400, "A WebSocket upgrade must be a GET request, not " + request.method() + ".");
        }
        if (request.headers("Host").size() != 1) {
            throw new BadRequest(400, "A WebSocket upgrade needs exactly one Host header.");
        }
        if (!Headers.hasToken(request.headers("Connection"), "upgrade")) {
            throw new BadRequest(400, "A WebSocket upgrade needs 'upgrade' in its Connection header.");
        }
        List<String> versions = request.headers("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).equals("13")) {
            throw new BadRequest(426, "This server speaks WebSocket version 13 (RFC 6455).");
        }
        List<String> keys = request.headers("Sec-WebSocket-Key");
        if (keys.size() != 1) {
            throw new BadRequest(400, "A WebSocket upgrade needs exactly one Sec-WebSocket-Key header.");
        }
        String key = keys.get(0);
        byte[] nonce;
        try {
            nonce = key.length() == 24 ? Base64.getDecoder().decode(key) : null;
        } catch (IllegalArgumentException e) {
            nonce = null;
        }
        if (nonce == null || nonce.length != 16) {
            throw new BadRequest(400, "Sec-WebSocket-Key must be 16 bytes in base64.");
        }
        return key;
    }

    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1, which every JDK has, is missing", e);
        }
    }

    /** Parses the request head (RFC 9112 section 2-5), strictly: anything doubtful is 400. */
    private static HandshakeRequest parse(ByteBuffer head, Connection connection, ConnectionContext context) throws BadRequest {
        byte[] bytes = new byte[head.remaining()];
        head.get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (text.startsWith("\r\n", start)) {
            start += 2; // empty lines before the request line are allowed (RFC 9112 section 2.2)
        }
        String[] lines = text.substring(start, text.length() - 4).split("\r\n", -1);
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
                throw new BadRequest(400, "The request has a bare CR, LF or a NUL.");
            }
        }
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !Headers.token(requestLine[0]) || requestLine[1].isEmpty()) {
            throw new BadRequest(400, "The request line is malformed.");
        }
        String target = requestLine[1];
        if (target.charAt(0) != '/') {
            throw new BadRequest(400, "The request target must be a path (origin form).");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new BadRequest(400, "The request target has a character that is not allowed.");
            }
        }
        String version = requestLine[2];
        if (!version.equals("HTTP/1.1")) {
            throw version.matches("HTTP/[0-9]\\.[0-9]") ? new BadRequest(505, "This server speaks HTTP/1.1.")
                    : new BadRequest(400, "The request line is malformed.");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequest(400, "The request has a folded or empty header line.");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !Headers.token(line.substring(0, colon))) {
                throw new BadRequest(400, "The request has a malformed header line.");
            }
            String value = line.substring(colon + 1).strip();
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    throw new BadRequest(400, "A header value has a control character.");
                }
            }
            headers.add(Map.entry(line.substring(0, colon), value));
        }
        Optional<TlsSession> tls = Optional.empty();
        if (connection.secure()) {
            try {
                tls = Optional.of(connection.tlsSession());
            } catch (NotSecureException e) {
                tls = Optional.empty();
            } catch (IOException e) {
                throw new BadRequest(400, "The connection's TLS session cannot be read.");
            }
        }
        return new HandshakeRequest(requestLine[0], target, headers, context.peer(), context.local(), tls);
    }

    /** Calls the endpoint; what it throws gets 500 and is thrown on for the server to report. */
    private static <T> T decide(Decision<T> decision, Connection connection, WebSocketConfig config) throws Exception {
        try {
            return decision.call();
        } catch (Exception | Error e) {
            try {
                reply(connection, config, HttpReply.text(500, "The server could not answer the request.\n"));
            } catch (IOException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }

    /** Sends an HTTP reply and closes the connection after it. */
    static void reply(Connection connection, WebSocketConfig config, HttpReply reply) throws IOException {
        try {
            connection.send(config.sendTimeout(), ByteBuffer.wrap(reply.encode()));
            connection.shutdown(ShutdownHow.WRITE);
        } finally {
            connection.close();
        }
    }

    @FunctionalInterface
    private interface Decision<T> {
        T call() throws Exception;
    }

    /** A request answered with an error status. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
