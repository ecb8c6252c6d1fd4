package dev.atoll.websocket;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.LimitExceededException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The client's opening handshake (RFC 6455 section 4.1), and the proxy's CONNECT before it. */
final class ClientHandshake {

    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};
    private static final SecureRandom NONCES = new SecureRandom();

    private ClientHandshake() {
    }

    /**
     * Sends the upgrade request and checks the response.
     *
     * @param hostHeader the {@code Host} header's value
     * @param target     the request target: path and query
     * @param deadline   when the response must have arrived ({@link System#nanoTime()})
     */
    static WebSocket upgrade(Connection connection, String hostHeader, String target, ConnectOptions options,
            WebSocketClientConfig config, long deadline) throws IOException {
        byte[] nonce = new byte[16];
        NONCES.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        WebSocketConfig session = config.session();
        StringBuilder request = new StringBuilder(256).append("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                .append(hostHeader).append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
                .append(key).append("\r\nSec-WebSocket-Version: 13\r\n");
        if (!options.subprotocols().isEmpty()) {
            request.append("Sec-WebSocket-Protocol: ").append(String.join(", ", options.subprotocols())).append("\r\n");
        }
        if (session.deflate()) {
            request.append("Sec-WebSocket-Extensions: ").append(PerMessageDeflate.clientOffer(session)).append("\r\n");
        }
        for (Map.Entry<String, String> h : options.headers()) {
            request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        request.append("\r\n");
        connection.send(session.sendTimeout(), ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.ISO_8859_1)));

        Headers.Head head = readHead(connection, config, deadline, "the upgrade response");
        int status = status(head, connection, false);
        if (status != 101) {
            byte[] body = body(connection, head, deadline);
            throw new WebSocketHandshakeException("the server " + connection.peername() + " answered the upgrade with "
                    + status + " instead of 101", status, head.fields(), body);
        }
        if (!Headers.hasToken(head.values("Upgrade"), "websocket")) {
            throw refused(connection, "no 'Upgrade: websocket' in its 101 response");
        }
        if (!Headers.hasToken(head.values("Connection"), "upgrade")) {
            throw refused(connection, "no 'upgrade' in the Connection header of its 101 response");
        }
        List<String> accept = head.values("Sec-WebSocket-Accept");
        if (accept.size() != 1 || !accept.get(0).equals(ServerHandshake.acceptKey(key))) {
            throw refused(connection, "a Sec-WebSocket-Accept that does not match the key sent");
        }
        List<String> protocols = Headers.elements(head.values("Sec-WebSocket-Protocol"));
        Optional<String> subprotocol = Optional.empty();
        if (!protocols.isEmpty()) {
            if (protocols.size() != 1 || !options.subprotocols().contains(protocols.get(0))) {
                throw refused(connection, "the subprotocol " + protocols + ", which was not offered (offered: "
                        + options.subprotocols() + ")");
            }
            subprotocol = Optional.of(protocols.get(0));
        }
        PerMessageDeflate deflate = PerMessageDeflate.negotiateClient(head.values("Sec-WebSocket-Extensions"),
                session.deflate(), session).orElse(null);
        return new WebSocket(connection, session, true, deflate, subprotocol, Optional.empty(), ByteBuffer.allocate(0));
    }

    /**
     * Opens a tunnel through an HTTP proxy: {@code CONNECT host:port}, with basic
     * authentication when given; any status but 2xx is a {@link WebSocketHandshakeException}.
     */
    static void tunnel(Connection connection, String authority, String basicCredentials, WebSocketClientConfig config,
            long deadline) throws IOException {
        StringBuilder request = new StringBuilder(128).append("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        if (basicCredentials != null) {
            request.append("Proxy-Authorization: Basic ").append(Base64.getEncoder()
                    .encodeToString(basicCredentials.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        request.append("\r\n");
        connection.send(config.session().sendTimeout(), ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.ISO_8859_1)));
        Headers.Head head = readHead(connection, config, deadline, "the proxy's answer to CONNECT");
        int status = status(head, connection, true);
        if (status < 200 || status > 299) {
            byte[] body = body(connection, head, deadline);
            throw new WebSocketHandshakeException("the proxy " + connection.peername() + " answered CONNECT " + authority
                    + " with " + status, status, head.fields(), body);
        }
    }

    private static Headers.Head readHead(Connection connection, WebSocketClientConfig config, long deadline, String what)
            throws IOException {
        ByteBuffer bytes;
        try {
            bytes = connection.recvUntil(END_OF_HEAD, config.maxResponseHead(), remaining(deadline));
        } catch (LimitExceededException e) {
            throw refused(connection, what + " with a head over " + config.maxResponseHead() + " bytes");
        } catch (SocketTimeoutException e) {
            SocketTimeoutException late = new SocketTimeoutException(what + " from " + connection.peername()
                    + " did not arrive within the handshake timeout of " + config.handshakeTimeout());
            late.initCause(e);
            throw late;
        } catch (EndOfStreamException e) {
            throw refused(connection, "the connection closed before " + what);
        }
        try {
            return Headers.Head.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw refused(connection, what + " that is malformed: " + e.getMessage());
        }
    }

    /** The status of a response; an upgrade's must be HTTP/1.1, a proxy may answer in 1.0 as many do. */
    private static int status(Headers.Head head, Connection connection, boolean orHttp10) throws IOException {
        String line = head.startLine();
        boolean version = line.startsWith("HTTP/1.1 ") || (orHttp10 && line.startsWith("HTTP/1.0 "));
        if (line.length() < 12 || !version || line.length() > 12 && line.charAt(12) != ' ') {
            throw refused(connection, "a malformed status line");
        }
        try {
            return Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            throw refused(connection, "a malformed status line");
        }
    }

    /** The start of an error response's body: by its Content-Length, or up to the end of the stream, within the deadline. */
    private static byte[] body(Connection connection, Headers.Head head, long deadline) {
        List<String> lengths = head.values("Content-Length");
        long expected = Long.MAX_VALUE;
        if (lengths.size() == 1 && lengths.get(0).matches("[0-9]{1,18}")) {
            expected = Long.parseLong(lengths.get(0));
        }
        int want = (int) Math.min(expected, WebSocketClientConfig.MAX_ERROR_BODY);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (body.size() < want) {
                ByteBuffer got = connection.recv(0, remaining(deadline));
                byte[] piece = new byte[Math.min(got.remaining(), want - body.size())];
                got.get(piece);
                body.writeBytes(piece);
            }
        } catch (IOException e) {
            // what arrived is what the exception carries
        }
        return body.toByteArray();
    }

    private static WebSocketException refused(Connection connection, String what) {
        Object peer;
        try {
            peer = connection.peername();
        } catch (IOException e) {
            peer = connection;
        }
        return new WebSocketException(CloseReason.PROTOCOL_ERROR, "the upgrade to " + peer + " failed: " + what);
    }

    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
