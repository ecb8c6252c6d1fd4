package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.atoll.tck.TckTls;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK's own client ({@link java.net.http.WebSocket}, which offers no extension) against the
 * server over every backend, trusting the TCK's test CA for {@code wss:}: small and large text
 * and binary echoes, a ping, its close (the server checks the code and reason, the client the
 * answer's code) and, on a second connection, the server's close (the client checks the code and
 * reason, the server that the client answered with the code).
 */
@Timeout(60)
class JdkClientPeerTest {

    private static final long WAIT_SECONDS = 10;

    static List<Backend> backends() {
        return Backend.all();
    }

    /** Whole messages, pongs and the close, as the JDK's listener hears them. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                events.add(binary.toByteArray());
                binary.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
            events.add(new Message.Pong(ByteBuffer.wrap(bytes(message))));
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            events.add(new Message.Close(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            events.add(error);
        }

        Object next(String what) throws InterruptedException {
            Object event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(event, "no " + what + " within " + WAIT_SECONDS + " s");
            if (event instanceof Throwable error) {
                throw new AssertionError("the JDK's WebSocket failed while waiting for " + what, error);
            }
            return event;
        }

        private static byte[] bytes(ByteBuffer buffer) {
            byte[] b = new byte[buffer.remaining()];
            buffer.get(b);
            return b;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void echoesPingsAndCloses(Backend backend) throws Exception {
        try (RecordingEchoServer server = new RecordingEchoServer(backend);
                HttpClient client = HttpClient.newBuilder().sslContext(TckTls.jdkContext(null))
                        .connectTimeout(Duration.ofSeconds(5)).build()) {
            Recorder recorder = new Recorder();
            WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(server.url("/echo")), recorder).get(WAIT_SECONDS, TimeUnit.SECONDS);

            for (String text : List.of(PeerExchange.SMALL_TEXT, PeerExchange.LARGE_TEXT)) {
                socket.sendText(text, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertEquals(text, recorder.next("the echo of a text of " + text.length()), "the echo");
            }
            for (byte[] data : List.of(PeerExchange.SMALL_BINARY, PeerExchange.LARGE_BINARY)) {
                socket.sendBinary(ByteBuffer.wrap(data), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertEquals(ByteBuffer.wrap(data),
                        ByteBuffer.wrap((byte[]) recorder.next("the echo of a binary of " + data.length)), "the echo");
            }
            socket.sendPing(ByteBuffer.wrap(PeerExchange.PING)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(PeerExchange.describe(new Message.Pong(ByteBuffer.wrap(PeerExchange.PING))),
                    PeerExchange.describe((Message) recorder.next("the pong")));
            socket.sendClose(PeerExchange.CLOSE_CODE, PeerExchange.CLOSE_REASON).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(new Message.Close(PeerExchange.CLOSE_CODE, ""), recorder.next("the server's close"),
                    "the server answers a close with its code and no reason");

            RecordingEchoServer.assertExchanged(server.session(), false, true);

            Recorder closing = new Recorder();
            client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(server.url("/closing")), closing).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(new Message.Close(PeerExchange.SERVER_CLOSE_CODE, PeerExchange.SERVER_CLOSE_REASON),
                    closing.next("the server's close"));
            server.assertCloseAnswered();
        }
    }
}
