package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The callback style, and sends from many threads at once. */
@Timeout(60)
class CallbackTest {

    final Transport<?, ?> transport = Transports.named("nio");
    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
    Server server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        transport.close();
    }

    InetSocketAddress start(WebSocketConfig config, WebSocketEndpoint endpoint) throws IOException {
        server = WebSocketServer.start(ServerConfig.builder(transport).address(new InetSocketAddress("127.0.0.1", 0)).build(),
                config, endpoint);
        return server.address();
    }

    class Recorder implements WebSocketHandler {
        @Override
        public void onOpen(WebSocket socket) throws Exception {
            calls.add("open");
            socket.sendText("welcome");
        }

        @Override
        public void onText(WebSocket socket, String text) throws Exception {
            calls.add("text " + text);
            switch (text) {
                case "crash" -> throw new IllegalStateException("crashed on purpose");
                case "close" -> socket.close(4000, "asked");
                default -> socket.sendText(text);
            }
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            calls.add("binary " + data.remaining());
        }

        @Override
        public void onPing(WebSocket socket, ByteBuffer payload) {
            calls.add("ping " + StandardCharsets.US_ASCII.decode(payload));
        }

        @Override
        public void onPong(WebSocket socket, ByteBuffer payload) {
            calls.add("pong");
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            calls.add("close " + code + " " + reason);
        }

        @Override
        public void terminate(WebSocket socket, CloseReason reason) {
            calls.add("terminate " + reason.kind() + " " + reason.code());
        }
    }

    List<String> take(int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = calls.poll(5, TimeUnit.SECONDS);
            if (s == null) {
                break;
            }
            got.add(s);
        }
        return got;
    }

    @Test
    void callbacksComeInOrderAndTerminateSaysWhy() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), WebSocketHandler.serving(Recorder::new));
        try (RawClient c = new RawClient(address)) {
            assertEquals(101, c.upgrade(""));
            assertEquals("welcome", c.read().text());
            c.sendText("hi");
            assertEquals("hi", c.read().text());
            c.send(0x82, new byte[3]);
            c.send(0x89, "x".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0x8A, c.read().first());
            c.send(0x8A, new byte[0]);
            c.sendClose(1000, "bye");
            assertEquals(1000, c.read().closeCode());
            assertTrue(c.closedByServer());
        }
        assertEquals(List.of("open", "text hi", "binary 3", "ping x", "pong", "close 1000 bye", "terminate REMOTE 1000"), take(7));
    }

    @Test
    void aCallbackThatThrowsClosesWith1011AndALocalCloseIsReported() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), WebSocketHandler.serving(Recorder::new));
        try (RawClient c = new RawClient(address)) {
            assertEquals(101, c.upgrade(""));
            c.read();
            c.sendText("crash");
            assertEquals(1011, c.read().closeCode());
        }
        assertEquals(List.of("open", "text crash", "terminate CRASH 1011"), take(3));
        try (RawClient c = new RawClient(address)) {
            assertEquals(101, c.upgrade(""));
            c.read();
            c.sendText("close");
            assertEquals(4000, c.read().closeCode());
            c.sendClose(4000, "");
            assertTrue(c.closedByServer());
        }
        assertEquals(List.of("open", "text close", "terminate LOCAL 4000"), take(3));
        try (RawClient c = new RawClient(address)) {
            assertEquals(101, c.upgrade(""));
            c.read();
            c.send(0x83, new byte[0]);
            assertEquals(1002, c.read().closeCode());
        }
        assertEquals(List.of("open", "terminate PROTOCOL_ERROR 1002"), take(2));
    }

    @Test
    void sendsFromManyThreadsNeverInterleaveAndPartsHoldOtherMessagesBack() throws Exception {
        int threads = 8;
        int messages = 200;
        InetSocketAddress address = start(WebSocketConfig.defaults(), socket -> {
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                senders.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int m = 0; m < messages; m++) {
                            String body = (id + ":" + m + ";").repeat(1 + m % 50);
                            if (m % 3 == 0) {
                                socket.sendText(body.substring(0, body.length() / 2), false);
                                socket.ping(ByteBuffer.allocate(0));
                                socket.sendText(body.substring(body.length() / 2), true);
                            } else {
                                socket.sendText(body);
                            }
                        }
                    } catch (IOException e) {
                        calls.add("failed " + e);
                    }
                }));
            }
            for (Thread t : senders) {
                t.join();
            }
            socket.receive();
        });
        try (RawClient c = new RawClient(address)) {
            assertEquals(101, c.upgrade(""));
            int[] next = new int[threads];
            StringBuilder message = new StringBuilder();
            int received = 0;
            while (received < threads * messages) {
                RawClient.Frame f = c.read();
                if (f.opcode() == 0x9) {
                    continue;
                }
                assertTrue(f.opcode() == (message.isEmpty() ? 1 : 0), "a new message starts only after the last one ended");
                message.append(f.text());
                if (f.fin()) {
                    String whole = message.toString();
                    int id = Integer.parseInt(whole.substring(0, whole.indexOf(':')));
                    int m = next[id]++;
                    assertEquals((id + ":" + m + ";").repeat(1 + m % 50), whole);
                    message.setLength(0);
                    received++;
                }
            }
            c.sendClose(1000, "");
        }
        assertEquals(null, calls.poll(100, TimeUnit.MILLISECONDS));
    }
}
