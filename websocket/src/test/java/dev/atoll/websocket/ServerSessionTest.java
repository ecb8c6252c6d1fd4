package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The session and the handshake over {@code nio}, checked byte for byte with a raw JDK socket. */
@Timeout(60)
class ServerSessionTest {

    static final WebSocketEndpoint ECHO = socket -> {
        while (true) {
            switch (socket.receive()) {
                case Message.Text t -> socket.sendText(t.text());
                case Message.Binary b -> socket.sendBinary(b.data());
                case Message.Close c -> {
                    return;
                }
                default -> { }
            }
        }
    };

    Transport<?, ?> transport;
    Server server;
    final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        transport = Transports.named("nio");
    }

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

    RawClient upgraded(InetSocketAddress address) throws IOException {
        RawClient c = new RawClient(address);
        assertEquals(101, c.upgrade(""), c.responseHead);
        return c;
    }

    static void assertClosedWith(RawClient c, int code) throws IOException {
        RawClient.Frame f = c.read();
        assertEquals(0x88, f.first(), "a close frame");
        assertEquals(code, f.closeCode(), "close code, reason: " + new String(f.payload(), 2, Math.max(0, f.payload().length - 2), StandardCharsets.UTF_8));
        assertTrue(c.closedByServer(), "the server closes the connection after its close frame");
    }

    // ----------------------------------------------------------------- echo and framing

    @Test
    void echoesTextBinaryAndReassembledFragments() throws IOException {
        try (RawClient c = upgraded(start(WebSocketConfig.defaults(), ECHO))) {
            assertTrue(c.responseHead.contains("Sec-WebSocket-Accept: "), c.responseHead);
            c.sendText("héllo");
            assertEquals("héllo", c.read().text());
            byte[] big = new byte[200_000];
            new java.util.Random(1).nextBytes(big);
            c.send(0x82, big);
            RawClient.Frame f = c.read();
            assertEquals(0x82, f.first());
            assertArrayEquals(big, f.payload());
            // "€" split across fragments, a ping between them
            byte[] euro = "a€b".getBytes(StandardCharsets.UTF_8);
            c.send(0x01, java.util.Arrays.copyOfRange(euro, 0, 2));
            c.send(0x89, "p".getBytes(StandardCharsets.US_ASCII));
            c.send(0x80, java.util.Arrays.copyOfRange(euro, 2, euro.length));
            RawClient.Frame pong = c.read();
            assertEquals(0x8A, pong.first(), "the ping is answered at once");
            assertEquals("p", pong.text());
            assertEquals("a€b", c.read().text());
        }
    }

    @Test
    void framesSentRightBehindTheRequestHeadAreRead() throws IOException {
        try (RawClient c = new RawClient(start(WebSocketConfig.defaults(), ECHO))) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(RawClient.request("").getBytes(StandardCharsets.ISO_8859_1));
            both.writeBytes(RawClient.frame(0x81, "early".getBytes(StandardCharsets.US_ASCII), true));
            c.out.write(both.toByteArray());
            assertEquals(101, c.readHead());
            assertEquals("early", c.read().text());
        }
    }

    @Test
    void receivePartDeliversEachFrameAndNeverSplitsACodePoint() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), socket -> {
            while (true) {
                Message m = socket.receivePart(Duration.ofSeconds(10));
                seen.add(m instanceof Message.Text t ? t.text() + (t.last() ? "|" : "") : m);
                if (m instanceof Message.Close) {
                    return;
                }
            }
        });
        try (RawClient c = upgraded(address)) {
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            c.send(0x01, new byte[] {'x', euro[0]});
            c.send(0x00, new byte[] {euro[1], euro[2], 'y'});
            c.send(0x80, new byte[] {'z'});
            assertEquals("x", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("€y", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("z|", seen.poll(5, TimeUnit.SECONDS));
            c.sendClose(1000, "");
            assertEquals(1000, c.read().closeCode());
        }
    }

    // ----------------------------------------------------------------- closing

    @Test
    void aPeersCloseIsEchoedWithItsCodeAndTheConnectionClosed() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), socket -> seen.add(socket.receive()));
        try (RawClient c = upgraded(address)) {
            c.sendClose(4001, "bye");
            RawClient.Frame f = c.read();
            assertEquals(0x88, f.first());
            assertEquals(4001, f.closeCode());
            assertTrue(c.closedByServer());
            assertEquals(new Message.Close(4001, "bye"), seen.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLocalCloseWaitsForThePeersCloseThenClosesTheConnection() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), socket -> {
            socket.close(4002, "done");
            seen.add(socket.closeReason().orElseThrow());
        });
        try (RawClient c = upgraded(address)) {
            RawClient.Frame f = c.read();
            assertEquals(4002, f.closeCode());
            assertEquals("done", new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8));
            assertEquals(null, seen.poll(300, TimeUnit.MILLISECONDS), "close waits for the peer's close frame");
            c.sendClose(4002, "");
            assertTrue(c.closedByServer());
            CloseReason r = (CloseReason) seen.poll(5, TimeUnit.SECONDS);
            assertEquals(CloseReason.Kind.LOCAL, r.kind());
            assertEquals(4002, r.code());
        }
    }

    @Test
    void aLocalCloseGivesUpOnASilentPeerAfterTheCloseTimeout() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().closeTimeout(Duration.ofMillis(500)).build();
        InetSocketAddress address = start(config, socket -> {
            long t0 = System.nanoTime();
            socket.close();
            seen.add(Duration.ofNanos(System.nanoTime() - t0));
        });
        try (RawClient c = upgraded(address)) {
            assertEquals(1000, c.read().closeCode());
            assertTrue(c.closedByServer());
            Duration took = (Duration) seen.poll(5, TimeUnit.SECONDS);
            assertTrue(took.toMillis() >= 450 && took.toMillis() < 3000, "close took " + took);
        }
    }

    @Test
    void closeFromAnotherThreadIsAnsweredToTheReceivingThread() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), socket -> {
            Thread closer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                    socket.close(1000, "from elsewhere");
                } catch (Exception e) {
                    seen.add(e);
                }
            });
            seen.add(socket.receive());
            closer.join();
            seen.add(socket.closeReason().orElseThrow().kind());
        });
        try (RawClient c = upgraded(address)) {
            assertEquals(1000, c.read().closeCode());
            c.sendClose(1000, "ok");
            assertEquals(new Message.Close(1000, "ok"), seen.poll(5, TimeUnit.SECONDS));
            assertEquals(CloseReason.Kind.LOCAL, seen.poll(5, TimeUnit.SECONDS));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void anEndpointThatThrowsClosesWith1011AndOneThatReturnsWith1000() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), socket -> {
            Message m = socket.receive();
            if (m instanceof Message.Text t && t.text().equals("crash")) {
                throw new IllegalStateException("the endpoint failed");
            }
        });
        try (RawClient c = upgraded(address)) {
            c.sendText("crash");
            RawClient.Frame f = c.read();
            assertEquals(1011, f.closeCode());
        }
        try (RawClient c = upgraded(address)) {
            c.sendText("fine");
            assertEquals(1000, c.read().closeCode());
        }
    }

    @Test
    void serverStopClosesOpenSessionsWith1001() throws Exception {
        InetSocketAddress address = start(WebSocketConfig.defaults(), ECHO);
        try (RawClient c = upgraded(address)) {
            c.sendText("x");
            assertEquals("x", c.read().text());
            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(5)));
            RawClient.Frame f = c.read();
            assertEquals(0x88, f.first());
            assertEquals(1001, f.closeCode());
            c.sendClose(1001, "");
            assertTrue(c.closedByServer());
            stopper.join(10_000);
            assertFalse(stopper.isAlive(), "the stop ended once the session closed");
        }
    }

    @Test
    void idleSessionsAreClosedWith1001AndPingedFirstWhenAsked() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().idleTimeout(Duration.ofMillis(900))
                .pingInterval(Duration.ofMillis(300)).closeTimeout(Duration.ofMillis(500)).build();
        InetSocketAddress address = start(config, socket -> {
            try {
                seen.add(socket.receive());
            } catch (WebSocketClosedException e) {
                seen.add(e.reason().kind());
            }
        });
        try (RawClient c = upgraded(address)) {
            RawClient.Frame ping = c.read();
            assertEquals(0x89, ping.first(), "a keep-alive ping after the ping interval");
            // not answered: the idle timeout still runs
            RawClient.Frame next = c.read();
            while (next.opcode() == 0x9) {
                next = c.read();
            }
            assertEquals(0x88, next.first());
            assertEquals(1001, next.closeCode());
            assertTrue(c.closedByServer());
        }
        assertEquals(CloseReason.Kind.TIMEOUT, seen.poll(5, TimeUnit.SECONDS));
    }

    // ----------------------------------------------------------------- protocol errors

    void assertRefused(WebSocketConfig config, int code, byte[]... frames) throws Exception {
        InetSocketAddress address = server == null ? start(config, socket -> {
            try {
                while (true) {
                    socket.receive();
                }
            } catch (WebSocketClosedException e) {
                seen.add(e.reason());
            }
        }) : server.address();
        try (RawClient c = upgraded(address)) {
            for (byte[] f : frames) {
                c.out.write(f);
            }
            c.out.flush();
            assertClosedWith(c, code);
        }
        CloseReason r = (CloseReason) seen.poll(5, TimeUnit.SECONDS);
        assertEquals(CloseReason.Kind.PROTOCOL_ERROR, r.kind(), String.valueOf(r));
        assertEquals(code, r.code());
    }

    static byte[] masked(int first, byte[] payload) {
        return RawClient.frame(first, payload, true);
    }

    @Test
    void framingErrorsAre1002() throws Exception {
        WebSocketConfig config = WebSocketConfig.defaults();
        assertRefused(config, 1002, RawClient.frame(0x81, "x".getBytes(), false));               // unmasked
        assertRefused(config, 1002, masked(0xC1, "x".getBytes()));                                // RSV1, no extension
        assertRefused(config, 1002, masked(0xA1, "x".getBytes()));                                // RSV2
        assertRefused(config, 1002, masked(0x83, new byte[0]));                                   // reserved data opcode
        assertRefused(config, 1002, masked(0x8B, new byte[0]));                                   // reserved control opcode
        assertRefused(config, 1002, masked(0x09, new byte[0]));                                   // fragmented ping
        assertRefused(config, 1002, masked(0x89, new byte[126]));                                 // ping over 125
        assertRefused(config, 1002, masked(0x80, "x".getBytes()));                                // continuation, no message
        assertRefused(config, 1002, masked(0x01, "x".getBytes()), masked(0x81, "y".getBytes()));  // data inside a message
        assertRefused(config, 1002, masked(0x88, new byte[] {3}));                                // one-byte close
        assertRefused(config, 1002, masked(0x88, new byte[] {0x03, (byte) 0xED}));                // close 1005
        assertRefused(config, 1002, masked(0x88, new byte[] {0x03, (byte) 0xF7}));                // close 1015
        assertRefused(config, 1002, masked(0x88, new byte[] {0x03, (byte) 0xE7}));                // close 999
        assertRefused(config, 1002, new byte[] {(byte) 0x82, (byte) 0xFE, 0, 5, 1, 2, 3, 4});     // 16-bit length of 5
        assertRefused(config, 1002, new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 3, 4}); // 64-bit length of 256
        assertRefused(config, 1002, new byte[] {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}); // top bit
    }

    @Test
    void invalidUtf8Is1007AndFailsOnTheFragmentThatBreaksIt() throws Exception {
        WebSocketConfig config = WebSocketConfig.defaults();
        assertRefused(config, 1007, masked(0x81, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));   // a surrogate
        assertRefused(config, 1007, masked(0x81, new byte[] {(byte) 0xC0, (byte) 0xAF}));                // overlong
        assertRefused(config, 1007, masked(0x81, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})); // past U+10FFFF
        assertRefused(config, 1007, masked(0x81, new byte[] {'a', (byte) 0xE2, (byte) 0x82}));           // ends inside a code point
        assertRefused(config, 1007, masked(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}));          // close reason
        // fast fail: the first fragment is invalid, the message never ends
        assertRefused(config, 1007, masked(0x01, new byte[] {'o', 'k', (byte) 0xFF}));
    }

    @Test
    void limitsAre1009FromTheFrameHeaderBeforeThePayloadArrives() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().maxFrameSize(1000).maxMessageSize(1500).build();
        // only the header of a 2 GB frame: refused without waiting for (or buffering) its payload
        assertRefused(config, 1009, new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, (byte) 0x80, 0, 0, 0, 1, 2, 3, 4});
        assertRefused(config, 1009, masked(0x82, new byte[1001]));
        assertRefused(config, 1009, masked(0x02, new byte[1000]), new byte[] {(byte) 0x80, (byte) 0xFE, 0x03, (byte) 0xE8, 1, 2, 3, 4});
    }

    // ----------------------------------------------------------------- handshake

    String exchange(InetSocketAddress address, String request) throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            c.readHead();
            return c.responseHead + c.readToEnd();
        }
    }

    @Test
    void badUpgradeRequestsGetTheRightStatus() throws Exception {
        InetSocketAddress a = start(WebSocketConfig.defaults(), ECHO);
        String ok = RawClient.request("");
        assertTrue(exchange(a, ok.replace("GET", "POST")).startsWith("HTTP/1.1 400 "));
        assertTrue(exchange(a, ok.replace("Host: localhost\r\n", "")).startsWith("HTTP/1.1 400 "));
        assertTrue(exchange(a, ok.replace("Connection: Upgrade", "Connection: keep-alive")).startsWith("HTTP/1.1 400 "));
        assertTrue(exchange(a, ok.replaceAll("Sec-WebSocket-Key: [^\r]*", "Sec-WebSocket-Key: c2hvcnQ=")).startsWith("HTTP/1.1 400 "));
        assertTrue(exchange(a, ok.replace("HTTP/1.1\r\n", "HTTP/1.0\r\n")).startsWith("HTTP/1.1 505 "));
        assertTrue(exchange(a, ok.replace("Host: localhost\r\n", "Host: localhost\r\n folded\r\n")).startsWith("HTTP/1.1 400 "));
        assertTrue(exchange(a, ok.replace("Host: localhost", "Host : localhost")).startsWith("HTTP/1.1 400 "));
        String v8 = exchange(a, ok.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
        assertTrue(v8.startsWith("HTTP/1.1 426 ") && v8.contains("Sec-WebSocket-Version: 13\r\n"), v8);
        String plain = exchange(a, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(plain.startsWith("HTTP/1.1 426 ") && plain.contains("Upgrade: websocket\r\n"), plain);
    }

    @Test
    void theRequestHeadIsBoundedInSizeAndTime() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().maxRequestHead(1024).handshakeTimeout(Duration.ofMillis(500)).build();
        InetSocketAddress a = start(config, ECHO);
        String big = RawClient.request("X-Filler: " + "a".repeat(2000) + "\r\n");
        assertTrue(exchange(a, big).startsWith("HTTP/1.1 431 "));
        try (RawClient c = new RawClient(a)) {
            c.out.write("GET / HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.ISO_8859_1));
            long t0 = System.nanoTime();
            assertEquals(408, c.readHead());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void theEndpointDecidesSubprotocolsRefusalsAndPlainRequests() throws Exception {
        List<HandshakeRequest> requests = new CopyOnWriteArrayList<>();
        InetSocketAddress a = start(WebSocketConfig.defaults(), new WebSocketEndpoint() {
            @Override
            public UpgradeDecision upgrade(HandshakeRequest request) {
                requests.add(request);
                if (!request.origin().orElse("").equals("https://good.example")) {
                    return UpgradeDecision.refuse(HttpReply.text(403, "bad origin").withHeader("X-Why", "origin"));
                }
                return request.subprotocols().contains("chat.v2") ? UpgradeDecision.accept("chat.v2") : UpgradeDecision.accept();
            }

            @Override
            public HttpReply notUpgrade(HandshakeRequest request) {
                return HttpReply.text(200, "hello " + request.path() + " " + request.query().orElse(""));
            }

            @Override
            public void serve(WebSocket socket) throws Exception {
                socket.sendText(socket.subprotocol().orElse("none") + " " + socket.request().orElseThrow().path());
                ECHO.serve(socket);
            }
        });
        String refused = exchange(a, RawClient.request("Origin: https://evil.example\r\n"));
        assertTrue(refused.startsWith("HTTP/1.1 403 ") && refused.contains("X-Why: origin") && refused.endsWith("bad origin"), refused);
        try (RawClient c = new RawClient(a)) {
            assertEquals(101, c.upgrade("Origin: https://good.example\r\nSec-WebSocket-Protocol: chat.v1, chat.v2\r\n"));
            assertTrue(c.responseHead.contains("Sec-WebSocket-Protocol: chat.v2\r\n"), c.responseHead);
            assertEquals("chat.v2 /echo", c.read().text());
        }
        assertEquals(List.of("chat.v1", "chat.v2"), requests.get(1).subprotocols());
        assertTrue(exchange(a, "GET /hi?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n").endsWith("hello /hi x=1"));
    }

    // ----------------------------------------------------------------- permessage-deflate

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] out = new byte[data.length + 1024];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return java.util.Arrays.copyOf(out, n - 4);
    }

    static byte[] inflate(byte[] data) throws Exception {
        Inflater i = new Inflater(true);
        byte[] in = java.util.Arrays.copyOf(data, data.length + 4);
        in[data.length + 2] = (byte) 0xFF;
        in[data.length + 3] = (byte) 0xFF;
        i.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = i.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        i.end();
        return out.toByteArray();
    }

    @Test
    void deflateIsNegotiatedAsTheJdkCanHonourIt() throws Exception {
        InetSocketAddress a = start(WebSocketConfig.builder().deflate(true).build(), ECHO);
        try (RawClient c = new RawClient(a)) {
            assertEquals(101, c.upgrade("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10, "
                    + "permessage-deflate; client_max_window_bits\r\n"));
            assertTrue(c.responseHead.contains("Sec-WebSocket-Extensions: permessage-deflate\r\n"),
                    "the offer with a 10-bit server window is declined, the next taken: " + c.responseHead);
            byte[] text = "compress me ".repeat(100).getBytes(StandardCharsets.UTF_8);
            c.send(0xC1, deflate(text));
            RawClient.Frame f = c.read();
            assertEquals(0xC1, f.first(), "the echo is compressed");
            assertArrayEquals(text, inflate(f.payload()));
            c.sendText("tiny");
            assertEquals(0x81, c.read().first(), "under the threshold: not compressed");
        }
        try (RawClient c = new RawClient(a)) {
            assertEquals(101, c.upgrade("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9; x=1\r\n"));
            assertFalse(c.responseHead.contains("Sec-WebSocket-Extensions"), c.responseHead);
        }
        try (RawClient c = new RawClient(a)) {
            assertEquals(101, c.upgrade("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"));
            assertTrue(c.responseHead.contains("permessage-deflate; server_no_context_takeover"), c.responseHead);
            byte[] text = "again and again ".repeat(50).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 2; i++) {
                c.send(0xC1, deflate(text));
                assertArrayEquals(text, inflate(c.read().payload()), "each message inflates on its own");
            }
        }
    }

    @Test
    void aDeflateBombIs1009() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().deflate(true).maxMessageSize(4 << 20).build();
        InetSocketAddress address = start(config, socket -> {
            try {
                while (true) {
                    socket.receive();
                }
            } catch (WebSocketClosedException e) {
                seen.add(e.reason());
            }
        });
        try (RawClient c = new RawClient(address)) {
            assertEquals(101, c.upgrade("Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            byte[] bomb = deflate(new byte[3 << 20]); // 3 MiB of zeros: about 3 KiB compressed
            c.send(0xC2, bomb);
            assertClosedWith(c, 1009);
        }
        assertInstanceOf(CloseReason.class, seen.poll(5, TimeUnit.SECONDS));
    }

    // ----------------------------------------------------------------- back-pressure

    @Test
    void aSessionThatDoesNotReceiveReadsNothingAndASendToAPeerThatDoesNotReadTimesOut() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().sendTimeout(Duration.ofMillis(700)).build();
        InetSocketAddress address = start(config, socket -> {
            Thread.sleep(1500); // not receiving
            try {
                byte[] chunk = new byte[1 << 20];
                while (true) {
                    socket.sendBinary(ByteBuffer.wrap(chunk));
                }
            } catch (WebSocketClosedException e) {
                seen.add(e.reason());
            }
        });
        try (RawClient c = upgraded(address)) {
            c.socket.setSoTimeout(0);
            java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] frame = RawClient.frame(0x82, new byte[64 * 1024], true);
                try {
                    while (true) {
                        c.out.write(frame);
                        taken.addAndGet(frame.length);
                    }
                } catch (IOException closed) {
                    // the test ends the connection
                }
            });
            Thread.sleep(1200);
            long written = taken.get();
            assertTrue(written < 32 << 20, "the kernel's buffers hold what a session that does not receive leaves, no more: "
                    + written + " bytes taken");
            CloseReason r = (CloseReason) seen.poll(10, TimeUnit.SECONDS);
            assertEquals(CloseReason.Kind.TRANSPORT, r.kind(), String.valueOf(r));
            c.socket.close();
            writer.join(5_000);
        }
    }
}
