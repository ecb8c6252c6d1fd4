package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.tck.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Atoll's WebSocket server with permessage-deflate accepted, echoing every text and binary
 * message on any path but {@code /closing} and {@code /report}, and recording each session: the
 * upgrade request, the extensions negotiated and every message received. On {@code /closing} it
 * closes at once with {@link PeerExchange#SERVER_CLOSE_CODE} and records the peer's answer. On
 * {@code /report} it takes one text, a peer's account of its side, and echoes nothing.
 */
final class RecordingEchoServer implements AutoCloseable {

    /** How long the server waits for a peer's next message. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * One echo session, recorded when it ended.
     *
     * @param request    the upgrade request
     * @param extensions what the session negotiated
     * @param received   each message received, as {@link PeerExchange#describe} writes it, and
     *                   how the session failed if it did
     */
    record Session(HandshakeRequest request, List<String> extensions, List<String> received) {
    }

    private final Backend backend;
    private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closeAnswers = new LinkedBlockingQueue<>();
    private final Server server;

    RecordingEchoServer(Backend backend) throws IOException {
        this.backend = backend;
        ServerConfig config = ServerConfig.builder(backend.open()).address(new InetSocketAddress("127.0.0.1", 0)).build();
        this.server = WebSocketServer.start(config, WebSocketConfig.builder().deflate(true).build(), this::serve);
    }

    private void serve(WebSocket socket) throws Exception {
        HandshakeRequest request = socket.request().orElseThrow();
        if (request.path().equals("/report")) {
            Message report = socket.receive(TIMEOUT);
            reports.add(report instanceof Message.Text t ? t.text() : "not a text: " + PeerExchange.describe(report));
            return;
        }
        if (request.path().equals("/closing")) {
            closeAndRecordTheAnswer(socket);
            return;
        }
        List<String> received = new ArrayList<>();
        try {
            for (;;) {
                Message message = socket.receive(TIMEOUT);
                received.add(PeerExchange.describe(message));
                switch (message) {
                    case Message.Text t -> socket.sendText(t.text());
                    case Message.Binary b -> socket.sendBinary(b.data());
                    case Message.Close c -> {
                        return;
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            received.add("failed: " + e);
            throw e;
        } finally {
            sessions.add(new Session(request, socket.extensions(), received));
        }
    }

    /**
     * Closes from a second thread while this one receives, as {@link WebSocket} allows, so that
     * this one takes the peer's answer: it starts closing once this thread waits in its receive.
     */
    private void closeAndRecordTheAnswer(WebSocket socket) throws Exception {
        Thread receiver = Thread.currentThread();
        Thread closer = Thread.ofVirtual().name("closing " + socket).start(() -> {
            try {
                while (receiver.getState() != Thread.State.WAITING && receiver.getState() != Thread.State.TIMED_WAITING) {
                    Thread.sleep(1);
                }
                socket.close(PeerExchange.SERVER_CLOSE_CODE, PeerExchange.SERVER_CLOSE_REASON);
            } catch (Exception e) {
                closeAnswers.add("the close failed: " + e);
            }
        });
        try {
            closeAnswers.add(PeerExchange.describe(socket.receive(TIMEOUT)));
        } catch (Exception e) {
            closeAnswers.add("no answer to the close: " + e);
            throw e;
        } finally {
            closer.join();
        }
    }

    /**
     * {@return the peer's answer to the server's close on {@code /closing}, as {@link PeerExchange#describe} writes it}
     */
    String closeAnswer() throws InterruptedException {
        String answer = closeAnswers.poll(10, TimeUnit.SECONDS);
        assertNotNull(answer, "no close handshake on /closing over " + backend);
        return answer;
    }

    /**
     * Checks that the peer answered the server's close on {@code /closing} with its code, as
     * RFC 6455 section 5.5.1 has it (the reason of the answer is the peer's to choose).
     */
    void assertCloseAnswered() throws InterruptedException {
        String answer = closeAnswer();
        assertTrue(answer.startsWith("close " + PeerExchange.SERVER_CLOSE_CODE + " "),
                "the peer's answer to the server's close: " + answer);
    }

    /**
     * @param path a path on the server, such as {@code /echo}
     * @return its {@code ws:} or {@code wss:} URL on 127.0.0.1, a name the test certificate holds
     */
    String url(String path) {
        return backend.scheme() + "://127.0.0.1:" + server.address().getPort() + path;
    }

    /** {@return the next echo session to end, within a few seconds} */
    Session session() throws InterruptedException {
        Session session = sessions.poll(10, TimeUnit.SECONDS);
        assertNotNull(session, "no WebSocket session ended on the server over " + backend);
        return session;
    }

    /**
     * @param limit how long to wait
     * @return the next report a peer sent to {@code /report}, or {@code null} if none came in time
     */
    String report(Duration limit) throws InterruptedException {
        return reports.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Checks a session of the common exchange: the server received each message the peer sent,
     * its ping when it has one, and its close with the code and reason; and what it negotiated.
     *
     * @param session   the session
     * @param deflate   whether the peer offered permessage-deflate (and so the server accepted it)
     * @param pinged    whether the peer pinged
     */
    static void assertExchanged(Session session, boolean deflate, boolean pinged) {
        List<String> expected = new ArrayList<>(PeerExchange.sent());
        if (pinged) {
            expected.add(PeerExchange.ping());
        }
        expected.add(PeerExchange.close());
        assertEquals(expected, session.received(), "what the server received");
        List<String> offered = session.request().headers("Sec-WebSocket-Extensions");
        if (deflate) {
            assertTrue(offered.stream().anyMatch(o -> o.startsWith("permessage-deflate")),
                    "the peer offers permessage-deflate: " + offered);
            assertEquals(1, session.extensions().size(), "negotiated: " + session.extensions());
            assertTrue(session.extensions().getFirst().startsWith("permessage-deflate"),
                    "negotiated: " + session.extensions());
        } else {
            assertEquals(List.of(), offered, "offered extensions");
            assertEquals(List.of(), session.extensions(), "negotiated extensions");
        }
    }

    /** {@return the base64 SHA-256 of the server certificate's public key, as Chromium pins it} */
    static String serverKeyPin() {
        try {
            byte[] spki = TestPki.get().server().certificate().getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
