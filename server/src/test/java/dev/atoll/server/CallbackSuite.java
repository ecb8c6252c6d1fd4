package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atoll.server.Handler.Action;
import dev.atoll.tck.TckTls;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The callback {@link Handler}, over one backend: every callback when Thousand Island calls it. */
abstract class CallbackSuite extends ServerSuite {

    /** Records its callbacks; echoes, and acts on a few commands. */
    static final class Recording implements Handler {
        final List<String> calls;
        final Transport<?, ?> secure;

        Recording(List<String> calls, Transport<?, ?> secure) {
            this.calls = calls;
            this.secure = secure;
        }

        @Override
        public Action handleConnection(Connection connection, ConnectionContext context) {
            calls.add("connection");
            return Action.continueReading();
        }

        @Override
        public Action handleData(ByteBuffer data, Connection connection) throws Exception {
            String text = StandardCharsets.US_ASCII.decode(data.duplicate()).toString();
            calls.add("data " + text.strip());
            switch (text.strip()) {
                case "quit" -> {
                    connection.send("bye\n".getBytes(StandardCharsets.US_ASCII));
                    return Action.close();
                }
                case "wait" -> {
                    connection.send("waiting\n".getBytes(StandardCharsets.US_ASCII));
                    return Action.continueReading(Duration.ofMillis(200));
                }
                case "fail" -> {
                    return Action.error(new IllegalArgumentException("refused"));
                }
                case "throw" -> throw new IllegalStateException("a bug");
                case "STARTTLS" -> {
                    connection.send("OK\n".getBytes(StandardCharsets.US_ASCII));
                    return Action.switchTransport(secure);
                }
                default -> {
                    connection.send(data);
                    return Action.continueReading();
                }
            }
        }

        @Override
        public void handleClose(Connection connection) {
            calls.add("close");
        }

        @Override
        public void handleTimeout(Connection connection) throws IOException {
            calls.add("timeout");
            connection.send("idle\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void handleShutdown(Connection connection) throws IOException {
            calls.add("shutdown");
            connection.send("421 stopping\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void handleError(Throwable error, Connection connection) {
            calls.add("error " + error.getClass().getSimpleName());
        }
    }

    final List<String> calls = new CopyOnWriteArrayList<>();

    Server startCallbacks(ServerConfig.Builder config) throws IOException {
        return startCallbacks(config, null);
    }

    Server startCallbacks(ServerConfig.Builder config, Transport<?, ?> secure) throws IOException {
        return start(config, Handler.serving(() -> new Recording(calls, secure)));
    }

    static void say(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    @Test
    void dataGoesToHandleDataAndThePeersCloseToHandleClose() throws Exception {
        startCallbacks(config());
        Server server = lastServer();
        try (Socket s = client(server)) {
            assertEquals("hello", echo(s, "hello"));
            say(s, "quit");
            assertEquals("bye", readLine(s));
            assertEnds(s);
        }
        try (Socket s = client(server)) {
            assertEquals("x", echo(s, "x"));
        }
        telemetry.awaitStopped(2);
        assertEquals(List.of("connection", "data hello", "data quit", "connection", "data x", "close"), calls);
    }

    @Test
    void theReadTimeoutPassesOnlyWithoutBytesFromThePeer() throws Exception {
        Server server = startCallbacks(config().readTimeout(Duration.ofMillis(500)));
        try (Socket s = client(server)) {
            for (int i = 0; i < 4; i++) {     // 1.2 s in all, but never 500 ms without a byte
                Thread.sleep(300);
                assertEquals("k" + i, echo(s, "k" + i));
            }
            long t0 = System.nanoTime();
            assertEquals("idle", readLine(s));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= 400 && waited < 3_000, "handleTimeout after " + waited + " ms of silence; the limit is 500 ms");
            assertEnds(s);
        }
        telemetry.awaitStopped(1);
        assertEquals("timeout", calls.get(calls.size() - 1));
    }

    @Test
    void aContinueWithATimeoutSetsTheNextWaitOnly() throws Exception {
        Server server = startCallbacks(config().readTimeout(Duration.ofSeconds(30)));
        try (Socket s = client(server)) {
            say(s, "wait");
            assertEquals("waiting", readLine(s));
            long t0 = System.nanoTime();
            assertEquals("idle", readLine(s));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited < 3_000, "the 200 ms wait asked for ended after " + waited + " ms");
        }
    }

    @Test
    void aStopTellsAnIdleHandlerAtOnceAndItCanStillSend() throws Exception {
        Server server = startCallbacks(config());
        Socket s = client(server);
        assertEquals("hi", echo(s, "hi"));
        long t0 = System.nanoTime();
        server.stop(Duration.ofSeconds(20));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("421 stopping", readLine(s));
        assertEnds(s);
        assertTrue(took < 5_000, "an idle callback handler should be told at once, yet stop took " + took + " ms");
        assertEquals(List.of("connection", "data hi", "shutdown"), calls);
    }

    @Test
    void anErrorActionOrAThrowingCallbackGoesToHandleErrorAndIsTheFailureReported() throws Exception {
        Server server = startCallbacks(config());
        try (Socket s = client(server)) {
            say(s, "fail");
            assertEnds(s);
        }
        try (Socket s = client(server)) {
            say(s, "throw");
            assertEnds(s);
        }
        telemetry.awaitStopped(2);
        assertEquals(List.of("connection", "data fail", "error IllegalArgumentException", "connection", "data throw",
                "error IllegalStateException"), calls);
        assertInstanceOf(IllegalArgumentException.class, telemetry.stoppedInOrder().get(0).failure());
        assertInstanceOf(IllegalStateException.class, telemetry.stoppedInOrder().get(1).failure());
    }

    @Test
    void aFailedHandshakeGoesToHandleError() throws Exception {
        assumeTrue(backend().tls(), "a plain transport has no handshake to fail");
        Server server = startCallbacks(config());
        try (Socket s = rawClient(server)) {
            say(s, "not a ClientHello at all\r\n\r\n");
            try {
                s.getInputStream().readAllBytes();
            } catch (IOException reset) {
                // ended either way
            }
        }
        telemetry.awaitStopped(1);
        assertEquals(1, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("error "), calls.toString());
    }

    @Test
    void switchingTransportUpgradesInPlaceToTls() throws Exception {
        assumeFalse(backend().tls(), "STARTTLS starts on a plain connection");
        try (Transport<?, ?> jsse = Transports.secure("jsse", TckTls.serverConfig(), Map.of())) {
            Server server = startCallbacks(config(), jsse);
            Socket plain = rawClient(server);
            assertEquals("before", echo(plain, "before"));
            say(plain, "STARTTLS");
            assertEquals("OK", readLine(plain));
            SSLSocket tls = TckTls.layer(plain, true, TckTls.jdkContext(null));
            tls.startHandshake();
            assertEquals("secret", echo(tls, "secret"));
            tls.close();
            telemetry.awaitStopped(1);
            assertEquals(List.of("connection", "data before", "data STARTTLS", "data secret", "close"), calls);
        }
    }

    @Test
    void aFailedSwitchOfTransportGoesToHandleError() throws Exception {
        assumeFalse(backend().tls(), "STARTTLS starts on a plain connection");
        try (Transport<?, ?> jsse = Transports.secure("jsse", TckTls.serverConfig(), Map.of())) {
            Server server = startCallbacks(config(), jsse);
            Socket plain = rawClient(server);
            say(plain, "STARTTLS");
            assertEquals("OK", readLine(plain));
            say(plain, "this is no ClientHello\r\n\r\n");
            try {
                plain.getInputStream().readAllBytes();
            } catch (IOException reset) {
                // ended either way
            }
            telemetry.awaitStopped(1);
            assertEquals("error", calls.get(calls.size() - 1).split(" ")[0], calls.toString());
            assertTrue(telemetry.stopped.get(0).failure() != null);
        }
    }
}
