package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client against Atoll's server, against servers that answer wrongly (raw JDK sockets), and through tinyproxy. */
@Timeout(60)
class ClientTest {

    static final TlsConfig TRUST_TEST_CA = TlsConfig.builder().trust(TestPki.get().ca().chain()).alpn("http/1.1").build();

    final List<AutoCloseable> closeLater = new ArrayList<>();
    final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    <T extends AutoCloseable> T later(T c) {
        closeLater.add(c);
        return c;
    }

    InetSocketAddress atollServer(Transport<?, ?> transport, WebSocketConfig config) throws IOException {
        later(transport);
        Server server = WebSocketServer.start(ServerConfig.builder(transport).address(new InetSocketAddress("127.0.0.1", 0))
                .build(), config, ServerSessionTest.ECHO);
        later(() -> server.stop(Duration.ofSeconds(2)));
        return server.address();
    }

    WebSocketClient client(WebSocketClientConfig.Builder config) {
        return later(WebSocketClient.create(config.build()));
    }

    // ----------------------------------------------------------------- against Atoll's server

    @Test
    void wsEchoStreamingAndTheCloseHandshake() throws Exception {
        InetSocketAddress a = atollServer(Transports.named("nio"), WebSocketConfig.defaults());
        WebSocketClient client = client(WebSocketClientConfig.builder());
        WebSocket socket = client.connect(URI.create("ws://127.0.0.1:" + a.getPort() + "/echo?x=1"));
        socket.sendText("hello");
        assertEquals(new Message.Text("hello", true), socket.receive(Duration.ofSeconds(5)));
        byte[] big = new byte[300_000];
        new java.util.Random(2).nextBytes(big);
        socket.sendBinary(ByteBuffer.wrap(big));
        Message.Binary echoed = (Message.Binary) socket.receive(Duration.ofSeconds(5));
        assertEquals(ByteBuffer.wrap(big), echoed.data());
        socket.sendText("part one, ", false);
        socket.sendText("part two", true);
        assertEquals("part one, part two", ((Message.Text) socket.receive(Duration.ofSeconds(5))).text());
        socket.ping(ByteBuffer.wrap(new byte[] {1, 2}));
        assertEquals(new Message.Pong(ByteBuffer.wrap(new byte[] {1, 2})), socket.receive(Duration.ofSeconds(5)));
        assertEquals(a.getPort(), socket.peername().getPort());
        socket.close(1000, "done");
        assertEquals(CloseReason.Kind.LOCAL, socket.closeReason().orElseThrow().kind());
        assertThrows(WebSocketClosedException.class, () -> socket.sendText("late"));
    }

    @Test
    void wssVerifiesTheServerAndDeflateRoundTrips() throws Exception {
        Transport<?, ?> tls = Transports.secure("jsse", TckTls.serverConfig(), Map.of(Transports.PROPERTY, "nio"));
        InetSocketAddress a = atollServer(tls, WebSocketConfig.builder().deflate(true).build());
        WebSocketClient client = client(WebSocketClientConfig.builder().tls(TRUST_TEST_CA)
                .session(WebSocketConfig.builder().deflate(true).build()));
        try (WebSocket socket = client.connect(URI.create("wss://localhost:" + a.getPort() + "/"))) {
            assertEquals(List.of("permessage-deflate"), socket.extensions());
            assertEquals("TLSv1.3", socket.tlsSession().orElseThrow().protocol());
            String text = "squeeze this text ".repeat(500);
            socket.sendText(text);
            assertEquals(text, ((Message.Text) socket.receive(Duration.ofSeconds(5))).text());
        }
        WebSocketClient wrongName = client(WebSocketClientConfig.builder()
                .tls(TRUST_TEST_CA.toBuilder().serverName("other.example").build()));
        IOException refused = assertThrows(IOException.class,
                () -> wrongName.connect(URI.create("wss://localhost:" + a.getPort() + "/")));
        assertFalse(refused instanceof WebSocketException, "the TLS handshake fails, before any upgrade: " + refused);
    }

    @Test
    void transportsGivenInCodeServeTheirSchemeOnly() throws Exception {
        Transport<?, ?> tls = later(Transports.secure("jsse", TlsConfig.builder().trust(TestPki.get().ca().chain()).build(),
                Map.of(Transports.PROPERTY, "nio")));
        InetSocketAddress a = atollServer(Transports.named("nio"), WebSocketConfig.defaults());
        WebSocketClient secureOnly = client(WebSocketClientConfig.builder().transports(null, tls));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> secureOnly.connect(URI.create("ws://127.0.0.1:" + a.getPort() + "/")));
        assertTrue(refused.getMessage().contains("ws:// needs a plain transport"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebSocketClientConfig.builder().transports(null, null));
        assertThrows(IllegalArgumentException.class, () -> WebSocketClientConfig.builder().transports(tls, null));
    }

    @Test
    void theListenerStyleDeliversOnItsOwnThreadAndPausesAndResumes() throws Exception {
        InetSocketAddress a = atollServer(Transports.named("nio"), WebSocketConfig.defaults());
        WebSocketClient client = client(WebSocketClientConfig.builder());
        WebSocket socket = client.connect(URI.create("ws://127.0.0.1:" + a.getPort() + "/"), ConnectOptions.none(),
                new WebSocketHandler() {
                    @Override
                    public void onText(WebSocket s, String text) {
                        seen.add(text + " on " + (Thread.currentThread().isVirtual() ? "a virtual thread" : "?"));
                    }

                    @Override
                    public void terminate(WebSocket s, CloseReason reason) {
                        seen.add(reason.kind());
                    }
                });
        socket.sendText("one");
        assertEquals("one on a virtual thread", seen.poll(5, TimeUnit.SECONDS));
        socket.pauseDelivery();
        socket.sendText("two");
        socket.sendText("nudge"); // the delivery thread may have been waiting for "two" already
        Object early = seen.poll(500, TimeUnit.MILLISECONDS);
        if (early != null) {
            assertEquals("two on a virtual thread", early, "at most the message under way is delivered");
        }
        assertEquals(null, seen.poll(500, TimeUnit.MILLISECONDS), "nothing is delivered while paused");
        socket.resumeDelivery();
        if (early == null) {
            assertEquals("two on a virtual thread", seen.poll(5, TimeUnit.SECONDS));
        }
        assertEquals("nudge on a virtual thread", seen.poll(5, TimeUnit.SECONDS));
        socket.close();
        assertEquals(CloseReason.Kind.LOCAL, seen.poll(5, TimeUnit.SECONDS));
    }

    // ----------------------------------------------------------------- servers that answer wrongly

    /** A one-connection server on a JDK socket that reads the request head and answers what it is told. */
    InetSocketAddress rawServer(Function<String, byte[]> answer) throws IOException {
        ServerSocket listener = later(new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept()) {
                InputStream in = s.getInputStream();
                String head = readHead(in);
                seen.add(head);
                OutputStream out = s.getOutputStream();
                out.write(answer.apply(head));
                out.flush();
                // then report what the client sends, frame by frame
                DataInputStream frames = new DataInputStream(in);
                while (true) {
                    int first = frames.readUnsignedByte();
                    int second = frames.readUnsignedByte();
                    long len = second & 0x7F;
                    if (len == 126) {
                        len = frames.readUnsignedShort();
                    } else if (len == 127) {
                        len = frames.readLong();
                    }
                    byte[] key = new byte[4];
                    if ((second & 0x80) != 0) {
                        frames.readFully(key);
                    }
                    byte[] payload = new byte[(int) len];
                    frames.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= key[i & 3];
                    }
                    seen.add(new Object[] {first, (second & 0x80) != 0, ByteBuffer.wrap(key).getInt(), payload});
                }
            } catch (IOException e) {
                seen.add("closed");
            }
        });
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static String key(String requestHead) {
        return requestHead.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow().substring(19);
    }

    static byte[] switching(String requestHead, String extra) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + ServerHandshake.acceptKey(key(requestHead)) + "\r\n" + extra + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    WebSocket connectTo(InetSocketAddress a, WebSocketClientConfig.Builder config, ConnectOptions options) throws IOException {
        return client(config).connect(URI.create("ws://127.0.0.1:" + a.getPort() + "/"), options);
    }

    @Test
    void theRequestIsWellFormedAndEveryFrameMaskedWithAFreshKey() throws Exception {
        InetSocketAddress a = rawServer(head -> switching(head, ""));
        WebSocket socket = connectTo(a, WebSocketClientConfig.builder(), ConnectOptions.none().withSubprotocols("a", "b")
                .withHeader("Origin", "https://app.example"));
        String head = (String) seen.poll(5, TimeUnit.SECONDS);
        assertTrue(head.startsWith("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + a.getPort() + "\r\n"), head);
        assertTrue(head.contains("Sec-WebSocket-Version: 13\r\n") && head.contains("Sec-WebSocket-Protocol: a, b\r\n")
                && head.contains("Origin: https://app.example\r\n"), head);
        assertEquals(16, java.util.Base64.getDecoder().decode(key(head)).length);
        Set<Integer> keys = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            socket.sendText("m" + i);
            Object[] frame = (Object[]) seen.poll(5, TimeUnit.SECONDS);
            assertEquals(0x81, frame[0]);
            assertEquals(true, frame[1], "masked");
            keys.add((Integer) frame[2]);
            assertEquals("m" + i, new String((byte[]) frame[3], StandardCharsets.UTF_8));
        }
        assertTrue(keys.size() >= 19, "fresh mask keys: " + keys.size() + " distinct of 20");
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.none().withHeader("X-Evil", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.none().withHeader("X-Evil", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.none().withHeader("Sec-WebSocket-Key", "x"));
    }

    @Test
    void responsesThatBreakTheProtocolFailTheConnect() throws Exception {
        String[] extras = {
            "Sec-WebSocket-Protocol: never-offered\r\n",
            "Sec-WebSocket-Extensions: permessage-deflate\r\n",           // not offered
            "Sec-WebSocket-Extensions: x-unknown\r\n",
        };
        for (String extra : extras) {
            InetSocketAddress a = rawServer(head -> switching(head, extra));
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> connectTo(a, WebSocketClientConfig.builder(), ConnectOptions.none()), extra);
            assertNotEquals(null, e.getMessage());
        }
        InetSocketAddress wrongKey = rawServer(head -> switching(head.replace(key(head), "dGhlIHNhbXBsZSBub25jZQ=="), ""));
        assertTrue(assertThrows(WebSocketException.class, () -> connectTo(wrongKey, WebSocketClientConfig.builder(),
                ConnectOptions.none())).getMessage().contains("Sec-WebSocket-Accept"));
        InetSocketAddress noUpgrade = rawServer(head -> new String(switching(head, ""), StandardCharsets.ISO_8859_1)
                .replace("Upgrade: websocket\r\n", "").getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(WebSocketException.class, () -> connectTo(noUpgrade, WebSocketClientConfig.builder(), ConnectOptions.none()));
        InetSocketAddress huge = rawServer(head -> ("HTTP/1.1 101 Switching Protocols\r\nX-Filler: " + "a".repeat(70_000)
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(WebSocketException.class, () -> connectTo(huge, WebSocketClientConfig.builder(),
                ConnectOptions.none())).getMessage().contains("65536"));
    }

    @Test
    void anotherStatusCarriesItsHeadersAndBody() throws Exception {
        InetSocketAddress a = rawServer(head -> "HTTP/1.1 403 Forbidden\r\nX-Reason: origin\r\nContent-Length: 9\r\n\r\nforbidden"
                .getBytes(StandardCharsets.ISO_8859_1));
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> connectTo(a, WebSocketClientConfig.builder(), ConnectOptions.none()));
        assertEquals(403, e.status());
        assertTrue(e.headers().contains(Map.entry("X-Reason", "origin")));
        assertEquals("forbidden", new String(e.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aSlowResponseTimesOutAndFramesRightBehindTheHeadAreRead() throws Exception {
        InetSocketAddress slow = rawServer(head -> "HTTP/1.1 101 Switching".getBytes(StandardCharsets.ISO_8859_1));
        long t0 = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> connectTo(slow,
                WebSocketClientConfig.builder().handshakeTimeout(Duration.ofMillis(500)), ConnectOptions.none()));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(4));
        InetSocketAddress eager = rawServer(head -> {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(switching(head, ""));
            both.writeBytes(RawClient.frame(0x81, "first".getBytes(StandardCharsets.US_ASCII), false));
            return both.toByteArray();
        });
        WebSocket socket = connectTo(eager, WebSocketClientConfig.builder(), ConnectOptions.none());
        assertEquals(new Message.Text("first", true), socket.receive(Duration.ofSeconds(5)));
    }

    @Test
    void aMaskedFrameFromTheServerIs1002() throws Exception {
        InetSocketAddress a = rawServer(head -> {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(switching(head, ""));
            both.writeBytes(RawClient.frame(0x81, "masked".getBytes(StandardCharsets.US_ASCII), true));
            return both.toByteArray();
        });
        WebSocket socket = connectTo(a, WebSocketClientConfig.builder().session(WebSocketConfig.builder()
                .closeTimeout(Duration.ofMillis(500)).build()), ConnectOptions.none());
        WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> socket.receive(Duration.ofSeconds(5)));
        assertEquals(CloseReason.Kind.PROTOCOL_ERROR, e.reason().kind());
        seen.poll(5, TimeUnit.SECONDS); // the request head
        Object[] close = (Object[]) seen.poll(5, TimeUnit.SECONDS);
        assertEquals(0x88, close[0]);
        assertEquals(1002, ByteBuffer.wrap((byte[]) close[3]).getShort() & 0xFFFF);
    }

    // ----------------------------------------------------------------- through a proxy

    @Test
    void aProxyThatRefusesGivesItsStatus() throws Exception {
        InetSocketAddress proxy = rawServer(head -> {
            seen.add(head.startsWith("CONNECT 127.0.0.1:9 HTTP/1.1\r\n") && head.contains("Proxy-Authorization: Basic dTpw\r\n"));
            return "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        });
        WebSocketClient client = client(WebSocketClientConfig.builder().proxy(URI.create("http://u:p@127.0.0.1:" + proxy.getPort())));
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> client.connect(URI.create("ws://127.0.0.1:9/")));
        assertEquals(407, e.status());
        seen.poll(5, TimeUnit.SECONDS);
        assertEquals(true, seen.poll(5, TimeUnit.SECONDS), "CONNECT names the server and carries the credentials");
    }

    @Test
    void throughTinyproxyOverWsAndWss(@TempDir Path dir) throws Exception {
        Path tinyproxy = Path.of("/usr/bin/tinyproxy");
        Assumptions.assumeTrue(Files.isExecutable(tinyproxy) || Files.isExecutable(Path.of("/usr/sbin/tinyproxy")),
                "tinyproxy is not installed (Debian's tinyproxy package): the real-proxy test cannot run");
        if (!Files.isExecutable(tinyproxy)) {
            tinyproxy = Path.of("/usr/sbin/tinyproxy");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, "Port " + port + "\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\nBasicAuth user secret\n"
                + "LogLevel Info\nMaxClients 10\n");
        Process proxy = new ProcessBuilder(tinyproxy.toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.log").toFile()).start();
        later(proxy::destroyForcibly);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < until, "tinyproxy did not start: " + Files.readString(dir.resolve("tinyproxy.log")));
                Thread.sleep(50);
            }
        }
        InetSocketAddress plain = atollServer(Transports.named("nio"), WebSocketConfig.defaults());
        InetSocketAddress secure = atollServer(Transports.secure("jsse", TckTls.serverConfig(),
                Map.of(Transports.PROPERTY, "nio")), WebSocketConfig.defaults());
        WebSocketClient client = client(WebSocketClientConfig.builder().tls(TRUST_TEST_CA)
                .proxy(URI.create("http://user:secret@127.0.0.1:" + port)));
        for (String uri : List.of("ws://127.0.0.1:" + plain.getPort() + "/", "wss://localhost:" + secure.getPort() + "/")) {
            try (WebSocket socket = client.connect(URI.create(uri))) {
                socket.sendText("through the proxy");
                assertEquals("through the proxy", ((Message.Text) socket.receive(Duration.ofSeconds(5))).text(), uri);
                assertEquals(port, socket.peername().getPort(), "the connection is to the proxy");
            }
        }
        WebSocketClient noCredentials = client(WebSocketClientConfig.builder().proxy(URI.create("http://127.0.0.1:" + port)));
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> noCredentials.connect(URI.create("ws://127.0.0.1:" + plain.getPort() + "/")));
        assertEquals(407, e.status());
        assertInstanceOf(Process.class, proxy);
    }
}
