package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What every peer test exchanges, the same in each peer's script ({@code peers/peer.py},
 * {@code peer.js}, {@code peer.html}): a small and a 200 KiB text (compressible, with non-ASCII
 * characters) and binary message (xorshift bytes, not compressible), each echoed; a ping where
 * the peer's API has one; then the peer's close with {@link #CLOSE_CODE} and {@link #CLOSE_REASON};
 * then, on a second connection, the server's close with {@link #SERVER_CLOSE_CODE} and
 * {@link #SERVER_CLOSE_REASON}. Atoll's client does the same against servers written elsewhere
 * ({@link #exchangeAsClient}), each of which reports what it saw ({@link #assertServerSaw}).
 */
final class PeerExchange {

    static final int LARGE = 200 * 1024;
    static final int CLOSE_CODE = 4000;
    static final String CLOSE_REASON = "peer says bye";
    static final int SERVER_CLOSE_CODE = 4001;
    static final String SERVER_CLOSE_REASON = "server says bye";
    static final byte[] PING = "ping from the peer".getBytes(StandardCharsets.US_ASCII);
    /** How long Atoll's client waits for each echo and the pong. */
    static final Duration ECHO_WAIT = Duration.ofSeconds(10);

    static final String SMALL_TEXT = "h\u00e9llo, Atoll \u2713";
    static final String LARGE_TEXT = largeText();
    static final byte[] SMALL_BINARY = smallBinary();
    static final byte[] LARGE_BINARY = largeBinary();

    private PeerExchange() {
    }

    private static String largeText() {
        StringBuilder text = new StringBuilder(LARGE + 80);
        for (int i = 0; text.length() < LARGE; i++) {
            text.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog \u00fc\n");
        }
        return text.substring(0, LARGE);
    }

    private static byte[] smallBinary() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] largeBinary() {
        byte[] b = new byte[LARGE];
        int x = (int) 2463534242L;
        for (int i = 0; i < b.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    /** {@return the lines a peer prints for the echoes, in order} */
    static List<String> echoLines() {
        return List.of("echo text " + SMALL_TEXT.length(), "echo text " + LARGE, "echo binary " + SMALL_BINARY.length,
                "echo binary " + LARGE);
    }

    /**
     * {@return the line a peer writes for the server's answer to its close: the same code, no reason}
     */
    static String answeredClose() {
        return "close " + CLOSE_CODE + " []";
    }

    /**
     * {@return the line a peer writes for the close of the server on the second connection}
     */
    static String serverClose() {
        return "closed by the server " + SERVER_CLOSE_CODE + " [" + SERVER_CLOSE_REASON + "]";
    }

    /**
     * Checks a peer's account of the exchange, a line per step: the extensions the server's
     * response named (permessage-deflate), each echo, the pong when the peer pinged, and the
     * server's answer to its close, and the server's close on the second connection.
     *
     * @param peer        the peer's name, for messages
     * @param account     the peer's lines
     * @param pinged      whether the peer pinged
     * @param closeLines  the lines of the server's answer and of its own close, as the peer writes them
     */
    static void assertPeerSaw(String peer, String account, boolean pinged, String... closeLines) {
        List<String> lines = account.strip().lines().toList();
        assertTrue(!lines.isEmpty() && lines.getFirst().startsWith("extensions permessage-deflate"),
                peer + " negotiated permessage-deflate:\n" + account);
        List<String> expected = new ArrayList<>(echoLines());
        if (pinged) {
            expected.add("pong " + PING.length);
        }
        expected.addAll(List.of(closeLines));
        assertEquals(expected, lines.subList(1, lines.size()), peer + "'s account:\n" + account);
    }

    /**
     * Atoll's client side of the exchange against a server written elsewhere: checks the
     * extensions the session negotiated, sends each message and checks its echo (kind and
     * content), pings and checks the pong's payload, then closes with {@link #CLOSE_CODE} and
     * {@link #CLOSE_REASON} and checks the session ended by that close.
     *
     * @param server  the server's name, for messages
     * @param socket  the open session
     * @param deflate whether the server had permessage-deflate on
     * @return the extensions the session negotiated, as the server's response named them
     */
    static List<String> exchangeAsClient(String server, WebSocket socket, boolean deflate) throws IOException {
        List<String> extensions = socket.extensions();
        if (deflate) {
            assertEquals(1, extensions.size(), "the extensions negotiated with " + server + ": " + extensions);
            assertEquals("permessage-deflate", extensions.getFirst().split(";")[0].strip(),
                    "the extension negotiated with " + server + ": " + extensions);
        } else {
            assertEquals(List.of(), extensions, "the extensions negotiated with " + server);
        }
        List<Message> messages = List.of(new Message.Text(SMALL_TEXT, true), new Message.Text(LARGE_TEXT, true),
                new Message.Binary(ByteBuffer.wrap(SMALL_BINARY), true), new Message.Binary(ByteBuffer.wrap(LARGE_BINARY), true));
        for (Message message : messages) {
            switch (message) {
                case Message.Text t -> socket.sendText(t.text());
                case Message.Binary b -> socket.sendBinary(b.data().duplicate());
                default -> throw new IllegalStateException("not a data message: " + message);
            }
            assertEquals(describe(message), describe(socket.receive(ECHO_WAIT)), server + "'s echo");
        }
        socket.ping(ByteBuffer.wrap(PING));
        assertEquals(describe(new Message.Pong(ByteBuffer.wrap(PING))), describe(socket.receive(ECHO_WAIT)),
                server + "'s answer to the ping");
        socket.close(CLOSE_CODE, CLOSE_REASON);
        assertFalse(socket.isOpen());
        assertEquals(new CloseReason(CloseReason.Kind.LOCAL, CLOSE_CODE, CLOSE_REASON, null),
                socket.closeReason().orElseThrow(), "how the session with " + server + " ended");
        return extensions;
    }

    /**
     * How Atoll's client meets a server written elsewhere: over which client transport, and
     * whether the server has permessage-deflate on (the client always offers it).
     *
     * @param client  the client's transport
     * @param deflate whether the server accepts permessage-deflate
     */
    record ClientCase(Backend client, boolean deflate) {

        /** {@return every client transport, each against the server with permessage-deflate on and off} */
        static List<ClientCase> all() {
            List<ClientCase> cases = new ArrayList<>();
            for (Backend client : Backend.clients()) {
                cases.add(new ClientCase(client, true));
                cases.add(new ClientCase(client, false));
            }
            return cases;
        }

        /** {@return {@code on} or {@code off}, as the servers' scripts take it} */
        String deflateSwitch() {
            return deflate ? "on" : "off";
        }

        /**
         * Connects Atoll's client over this case's transport, offering permessage-deflate, and
         * runs {@link #exchangeAsClient}.
         *
         * @param server the server's name, for messages
         * @param port   where it listens on loopback ({@code localhost} for {@code wss}, which its
         *               certificate names; {@code 127.0.0.1} for {@code ws})
         * @return the extensions the session negotiated, as the server's response named them
         */
        List<String> exchange(String server, int port) throws IOException {
            Transport<?, ?> transport = client.open();
            // wss needs only the secure transport, but a client is always given a plain one
            Transport<?, ?> plain = client.tls() ? Transports.named("nio") : transport;
            try (WebSocketClient atoll = WebSocketClient.create(WebSocketClientConfig.builder()
                    .transports(plain, client.tls() ? transport : null)
                    .session(WebSocketConfig.builder().deflate(true).build()).build())) {
                URI uri = URI.create(client.scheme() + "://" + (client.tls() ? "localhost" : "127.0.0.1") + ":" + port + "/echo");
                return exchangeAsClient(server + " (" + this + ")", atoll.connect(uri, ConnectOptions.none()), deflate);
            } finally {
                transport.close();
                if (plain != transport) {
                    plain.close();
                }
            }
        }

        @Override
        public String toString() {
            return client + ", permessage-deflate " + deflateSwitch();
        }
    }

    /**
     * Checks a server's account of what Atoll's client did, a line per step: the extensions its
     * response named ({@code permessage-deflate} first when it was on, nothing when off), which
     * must be those the client's session reports, each echo ({@link #echoLines}), and the
     * client's close with its code and reason.
     *
     * @param server           the server's name, for messages
     * @param account          the server's lines
     * @param deflate          whether the server had permessage-deflate on
     * @param clientExtensions the extensions the client's session reported
     */
    static void assertServerSaw(String server, String account, boolean deflate, List<String> clientExtensions) {
        List<String> lines = account.strip().lines().toList();
        assertFalse(lines.isEmpty(), server + " reported nothing");
        String extensions = lines.getFirst().strip();
        assertTrue(deflate ? extensions.startsWith("extensions permessage-deflate") : extensions.equals("extensions"),
                server + " answered with " + (deflate ? "" : "no ") + "permessage-deflate:\n" + account);
        assertEquals(("extensions " + String.join(", ", clientExtensions)).strip(), extensions,
                "the client's session reports the extensions " + server + " answered with");
        List<String> expected = new ArrayList<>(echoLines());
        expected.add(clientClose());
        assertEquals(expected, lines.subList(1, lines.size()), server + "'s account:\n" + account);
    }

    /** {@return the line a server writes for the close of Atoll's client} */
    static String clientClose() {
        return "close " + CLOSE_CODE + " [" + CLOSE_REASON + "]";
    }

    /**
     * The server's record of what the peer sent, in order, before its ping and close.
     *
     * @return a description per message, as {@link #describe} makes them
     */
    static List<String> sent() {
        return List.of(describe(new Message.Text(SMALL_TEXT, true)), describe(new Message.Text(LARGE_TEXT, true)),
                describe(new Message.Binary(ByteBuffer.wrap(SMALL_BINARY), true)),
                describe(new Message.Binary(ByteBuffer.wrap(LARGE_BINARY), true)));
    }

    /** {@return the server's record of the peer's ping} */
    static String ping() {
        return describe(new Message.Ping(ByteBuffer.wrap(PING)));
    }

    /** {@return the server's record of the peer's close} */
    static String close() {
        return describe(new Message.Close(CLOSE_CODE, CLOSE_REASON));
    }

    /**
     * A message as the server records it: its kind, length and content's SHA-256 (a text's
     * length in chars, as the peers count it), or a close's code and reason.
     *
     * @param message what the server received
     * @return the description
     */
    static String describe(Message message) {
        return switch (message) {
            case Message.Text t -> "text " + t.text().length() + " " + sha256(t.text().getBytes(StandardCharsets.UTF_8))
                    + (t.last() ? "" : " (part)");
            case Message.Binary b -> "binary " + b.data().remaining() + " " + sha256(bytes(b.data()))
                    + (b.last() ? "" : " (part)");
            case Message.Ping p -> "ping " + new String(bytes(p.payload()), StandardCharsets.UTF_8);
            case Message.Pong p -> "pong " + new String(bytes(p.payload()), StandardCharsets.UTF_8);
            case Message.Close c -> "close " + c.code() + " " + c.reason();
        };
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
