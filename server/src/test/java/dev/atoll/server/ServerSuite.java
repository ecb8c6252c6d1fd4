package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's behaviour, over one backend (each subclass names one), checked with independent
 * JDK clients.
 */
@Timeout(60)
abstract class ServerSuite {

    /** Echoes until the client closes. */
    static final ConnectionHandler ECHO = (c, context) -> {
        while (true) {
            c.send(c.recv(0, Duration.ofSeconds(30)));
        }
    };

    final RecordingTelemetry telemetry = new RecordingTelemetry();
    private final List<Server> servers = new ArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    Transport<?, ?> transport;

    abstract Backend backend();

    @BeforeEach
    void openTransport() {
        transport = backend().open();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        for (Server s : servers) {
            s.stop(Duration.ZERO);
        }
        if (transport != null) {
            transport.close();
        }
    }

    ServerConfig.Builder config() {
        return ServerConfig.builder(transport).address(new InetSocketAddress("127.0.0.1", 0)).telemetry(telemetry)
                .handshakeTimeout(Duration.ofSeconds(5));
    }

    Server start(ServerConfig.Builder config, ConnectionHandler handler) throws IOException {
        Server server = Server.start(config.build(), handler);
        servers.add(server);
        return server;
    }

    Server lastServer() {
        return servers.get(servers.size() - 1);
    }

    Socket client(Server server) throws IOException {
        Socket s = backend().connect(server.address());
        clients.add(s);
        return s;
    }

    /** A TCP connection without TLS, whatever the backend: for clients the server refuses before any handshake. */
    Socket rawClient(Server server) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 5_000);
        s.setSoTimeout(10_000);
        clients.add(s);
        return s;
    }

    CompletableFuture<Socket> clientLater(Server server) {
        CompletableFuture<Socket> future = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                future.complete(client(server));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    static String echo(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    /** The client sees the end of the connection: an end of stream, or a reset. */
    static void assertEnds(Socket s) throws IOException {
        try {
            assertEquals(-1, s.getInputStream().read(), "the server should have closed the connection");
        } catch (SocketException reset) {
            // a reset ends it too
        }
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    // ---- the rules

    @Test
    void echoesOnTheActualPortOnAVirtualThreadPerConnection() throws Exception {
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        List<String> threadNames = new CopyOnWriteArrayList<>();
        Server server = start(config(), (c, context) -> {
            virtual.add(Thread.currentThread().isVirtual());
            threadNames.add(Thread.currentThread().getName());
            ECHO.handle(c, context);
        });
        assertNotEquals(0, server.address().getPort(), "address() tells the port that was picked");
        try (Socket a = client(server); Socket b = client(server)) {
            assertEquals("hello", echo(a, "hello"));
            assertEquals("world", echo(b, "world"));
        }
        telemetry.awaitStopped(2);
        assertEquals(List.of(true, true), virtual);
        for (var tls : telemetry.tlsSessions) {
            assertEquals(backend().tls(), tls.isPresent(), "a TLS handshake reports its session, a plain one none");
            tls.ifPresent(session -> assertTrue(session.protocol().startsWith("TLSv1."), session.toString()));
            tls.ifPresent(session -> assertEquals(java.util.Optional.of("localhost"), session.serverName()));
        }
        assertEquals(2, new HashSet<>(threadNames).size(), "each connection has a thread of its own: " + threadNames);
    }

    @Test
    void aSilentClientsHandshakeTimesOutOnceAndNeverHoldsAnAcceptor() throws Exception {
        assumeTrue(backend().tls(), "a plain transport's handshake does nothing");
        Server server = start(config().acceptors(1).handshakeTimeout(Duration.ofMillis(500)), ECHO);
        Socket silent = rawClient(server);
        try (Socket served = client(server)) {    // accepted and served while the silent one is in its handshake
            assertEquals("ok", echo(served, "ok"));
        }
        long t0 = System.nanoTime();
        assertEnds(silent);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited < 4_000, "the silent client was closed after " + waited + " ms; the handshake limit is 500 ms");
        telemetry.awaitStopped(2);
        assertEquals(1, telemetry.handshakeFailures.size(), "one handshake failure for one silent client: " + telemetry.events);
        assertEquals(2, telemetry.started.size(), telemetry.events.toString());
        assertEquals(1, telemetry.stopped.stream().filter(s -> s.failure() != null).count(), telemetry.events.toString());
    }

    @Test
    void aFailedHandshakeIsReportedOnceAndTheServerGoesOn() throws Exception {
        assumeTrue(backend().tls(), "a plain transport has no handshake to fail");
        Server server = start(config(), ECHO);
        Socket garbage = rawClient(server);
        garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try {
            while (garbage.getInputStream().read() >= 0) {
                // the alert, then the end
            }
        } catch (SocketException reset) {
            // also an end
        }
        try (Socket served = client(server)) {
            assertEquals("after", echo(served, "after"));
        }
        telemetry.awaitStopped(2);
        assertEquals(1, telemetry.handshakeFailures.size(), telemetry.events.toString());
        assertEquals(2, telemetry.started.size());
    }

    @Test
    void atTheLimitPausingLeavesNewClientsInTheBacklogUntilAPlaceFrees() throws Exception {
        Server server = start(config().maxConnections(2), ECHO);
        Socket a = client(server);
        Socket b = client(server);
        assertEquals("a", echo(a, "a"));
        assertEquals("b", echo(b, "b"));
        CompletableFuture<Socket> third = clientLater(server);
        Thread.sleep(300);
        assertEquals(2, server.connectionCount(), "no third connection is taken at the limit of two");
        assertEquals(2, telemetry.started.size(), telemetry.events.toString());
        assertTrue(telemetry.refused.isEmpty(), "pausing refuses nobody: " + telemetry.refused);
        a.close();
        Socket c = third.get(10, TimeUnit.SECONDS);
        assertEquals("c", echo(c, "c"), "the waiting client is served once a place is free");
        assertEquals(3, telemetry.started.size(), telemetry.events.toString());
    }

    @Test
    void atTheLimitClosingRefusesAfterTheWaitWithAnEvent() throws Exception {
        Server server = start(config().maxConnections(1).limitPolicy(LimitPolicy.CLOSE_AFTER_WAIT)
                .limitWait(Duration.ofMillis(200)), ECHO);
        Socket a = client(server);
        assertEquals("a", echo(a, "a"));
        Socket refused = rawClient(server);
        long t0 = System.nanoTime();
        assertEnds(refused);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= 150 && waited < 4_000, "refused after " + waited + " ms; the wait is 200 ms");
        await("the refusal is reported", () -> telemetry.refused.size() == 1);
        assertTrue(telemetry.refused.get(0).contains("limit of 1"), telemetry.refused.get(0));
        assertEquals(1, telemetry.started.size(), "a refused connection is not started: " + telemetry.events);
        assertEquals("still", echo(a, "still"));
    }

    @Test
    void raisingTheLimitAtRunTimeLetsAWaitingClientIn() throws Exception {
        Server server = start(config().maxConnections(1), ECHO);
        Socket a = client(server);
        assertEquals("a", echo(a, "a"));
        CompletableFuture<Socket> second = clientLater(server);
        Thread.sleep(200);
        assertEquals(1, server.connectionCount());
        server.maxConnections(2);
        assertEquals(2, server.maxConnections());
        assertEquals("b", echo(second.get(10, TimeUnit.SECONDS), "b"));
        assertEquals("a", echo(a, "a"));
    }

    @Test
    void aConnectionTakenOutOfTheCountFreesItsPlace() throws Exception {
        Server server = start(config().maxConnections(1), (c, context) -> {
            ByteBuffer first = c.recv(1, Duration.ofSeconds(10));
            if (first.get(0) == 'L') {
                context.removeFromCount();
                context.removeFromCount();   // idempotent
            }
            c.send(first);
            ECHO.handle(c, context);
        });
        Socket longLived = client(server);
        assertEquals("L", echo(longLived, "L"));
        Socket next = client(server);
        assertEquals("x", echo(next, "x"));
        assertEquals(2, server.connectionCount());
        assertEquals(1, server.countedConnections());
        assertEquals(List.of(1L, 2L), server.connections().stream().map(ConnectionInfo::id).toList());
    }

    @Test
    void stopLetsHandlersThatWatchTheSignalFinishInOrder() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        Server server = start(config(), (c, context) -> {
            inHandler.countDown();
            while (!context.stopping()) {
                try {
                    c.send(c.recv(0, Duration.ofMillis(50)));
                } catch (SocketTimeoutException idle) {
                    // look at the signal again
                }
            }
            c.send("bye".getBytes(StandardCharsets.US_ASCII));
        });
        Socket a = client(server);
        assertEquals("hi", echo(a, "hi"));
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        server.stop(Duration.ofSeconds(20));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(took < 5_000, "the handler finished by itself, yet stop took " + took + " ms");
        assertEquals("bye", new String(a.getInputStream().readNBytes(3), StandardCharsets.US_ASCII));
        assertEnds(a);
        assertEquals(ServerStatus.STOPPED, server.status());
        telemetry.awaitStopped(1);
        assertNull(telemetry.stopped.get(0).failure());
        assertThrows(ConnectException.class, () -> rawClient(server), "nothing listens after stop");
    }

    @Test
    void stopClosesWhatOutlivesTheDrainTime() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        Server server = start(config(), (c, context) -> {
            inHandler.countDown();
            c.recv(0, Duration.ofSeconds(50));    // ignores the signal
        });
        Socket a = client(server);
        a.getOutputStream().write(new byte[0]);
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        server.stop(Duration.ofMillis(300));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(took >= 250 && took < 5_000, "stop with a 300 ms drain took " + took + " ms");
        assertEnds(a);
        assertEquals(0, server.connectionCount());
        telemetry.awaitStopped(1);
        assertNull(telemetry.stopped.get(0).failure(), "a connection closed by the stop ended in order");
        server.stop(Duration.ZERO);   // idempotent
    }

    @Test
    void suspendClosesTheListenSocketsAndResumeReopensThemWhileConnectionsGoOn() throws Exception {
        Server server = start(config(), ECHO);
        int port = server.address().getPort();
        Socket a = client(server);
        assertEquals("1", echo(a, "1"));
        server.suspend();
        assertEquals(ServerStatus.SUSPENDED, server.status());
        assertThrows(ConnectException.class, () -> rawClient(server), "suspended, nothing listens");
        assertEquals("2", echo(a, "2"), "connections survive a suspend");
        server.resume();
        assertEquals(ServerStatus.RUNNING, server.status());
        assertEquals(port, server.address().getPort(), "resume listens on the same port");
        assertEquals("3", echo(client(server), "3"));
        assertEquals(List.of("listener started " + port, "listener stopped " + port, "listener started " + port),
                telemetry.events.stream().filter(e -> e.startsWith("listener")).toList());
    }

    @Test
    void severalListenSocketsShareOnePortAlsoWhenPortZeroWasAsked() throws Exception {
        Server server = start(config().listenSockets(3).acceptors(3), ECHO);
        int port = server.address().getPort();
        assertEquals(3, listeningSocketsOn(port), "three listen sockets on port " + port);
        for (int i = 0; i < 12; i++) {
            try (Socket s = client(server)) {
                assertEquals("n" + i, echo(s, "n" + i));
            }
        }
    }

    /** Counts the sockets in the LISTEN state on a port, from the kernel's own tables. */
    static long listeningSocketsOn(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        long count = 0;
        boolean readable = false;
        for (String name : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path table = Path.of(name);
            if (!Files.isReadable(table)) {
                continue;
            }
            readable = true;
            count += Files.readAllLines(table).stream().skip(1).map(l -> l.strip().split("\\s+"))
                    .filter(f -> f[1].endsWith(hexPort) && f[3].equals("0A")).count();
        }
        assumeTrue(readable, "no /proc/net/tcp here to count listen sockets");
        return count;
    }

    @Test
    void aHandlerThatThrowsClosesItsConnectionAndIsReportedOnce() throws Exception {
        Server server = start(config(), (c, context) -> {
            c.recv(1, Duration.ofSeconds(10));
            throw new IllegalStateException("a bug in the handler");
        });
        Socket a = client(server);
        a.getOutputStream().write('x');
        assertEnds(a);
        telemetry.awaitStopped(1);
        Throwable failure = telemetry.stopped.get(0).failure();
        assertInstanceOf(IllegalStateException.class, failure);
        Socket b = client(server);
        b.getOutputStream().write('y');
        assertEnds(b);
        telemetry.awaitStopped(2);
        assertEquals(2, telemetry.stopped.size(), telemetry.events.toString());
        assertEquals(ServerStatus.RUNNING, server.status());
    }

    @Test
    void everyConnectionStartsAndStopsExactlyOnceWhateverHappens() throws Exception {
        Server server = start(config().maxConnections(8), (c, context) -> {
            ByteBuffer b = c.recv(1, Duration.ofSeconds(10));
            switch (b.get(0)) {
                case 't' -> throw new IOException("the handler gives up");
                case 'e' -> c.send(b);
                default -> { }
            }
        });
        int n = 30;
        for (int i = 0; i < n; i++) {
            Socket s = i % 5 == 4 ? rawClient(server) : client(server);
            switch (i % 5) {
                case 0 -> s.getOutputStream().write('t');
                case 1 -> assertEquals("e", echo(s, "e"));
                case 2 -> s.getOutputStream().write('q');
                case 3 -> { }                        // closes without a word
                default -> s.getOutputStream().write(new byte[] {22, 3, 1, 0, 1, 0});   // a broken handshake, or one byte of data
            }
            s.close();
        }
        telemetry.awaitStopped(n);
        assertEquals(n, telemetry.started.size(), telemetry.events.toString());
        assertEquals(n, telemetry.stopped.size(), telemetry.events.toString());
        assertEquals(n, new HashSet<>(telemetry.started).size());
        await("every connection gone", () -> server.connectionCount() == 0);
        assertEquals(0, server.countedConnections());
    }

    @Test
    void stopWaitsForTheHandshakesInFlightAndTellsTheirHandlers() throws Exception {
        List<Boolean> sawStopping = new CopyOnWriteArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        Server server = start(config(), (c, context) -> {
            List<String> order = new CopyOnWriteArrayList<>();
            context.onStop(() -> order.add("stop action"));
            holding.countDown();
            while (!context.stopping()) {
                Thread.sleep(10);
            }
            sawStopping.add(true);
            context.onStop(() -> order.add("late action"));   // runs at once once stopping
            c.send(String.join(",", order).getBytes(StandardCharsets.US_ASCII));
        });
        Socket a = client(server);
        a.getOutputStream().write('x');
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        server.stop(Duration.ofSeconds(10));
        InputStream in = a.getInputStream();
        assertEquals("stop action,late action", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(List.of(true), sawStopping);
        assertFalse(server.connections().iterator().hasNext());
    }

    // ---- the PROXY protocol

    static final java.net.InetSocketAddress PROXIED_CLIENT = new java.net.InetSocketAddress("192.0.2.10", 51_000);

    /** Says who the client is, by the connection's context, then echoes. */
    static final ConnectionHandler WHO = (c, context) -> {
        ProxyHeader header = context.proxyHeader().orElseThrow();
        c.send((context.peer() + " via " + context.socketPeer().getAddress().getHostAddress() + " v" + header.version()
                + header.authority().map(a -> " " + a).orElse("") + "\n").getBytes(StandardCharsets.US_ASCII));
        ECHO.handle(c, context);
    };

    /** The client's socket after the header: itself, or TLS over it. */
    Socket afterHeader(Socket raw) throws IOException {
        if (!backend().tls()) {
            return raw;
        }
        javax.net.ssl.SSLSocket tls = dev.atoll.tck.TckTls.layer(raw, true, dev.atoll.tck.TckTls.jdkContext(null));
        tls.startHandshake();
        clients.add(tls);
        return tls;
    }

    static String readLine(Socket s) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = s.getInputStream().read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("end of stream after '" + b + "'");
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void aProxyHeaderSplitAnywhereNamesTheClientAndWhatFollowsItStaysReadable() throws Exception {
        Server server = start(config().proxyProtocol(ProxyProtocol.ANY), WHO);
        java.net.InetSocketAddress to = new java.net.InetSocketAddress("127.0.0.1", server.address().getPort());
        ProxyHeader header = ProxyHeader.proxy(PROXIED_CLIENT, to).withTlv(ProxyHeader.TLV_AUTHORITY, "example.org");
        for (ByteBuffer encoded : List.of(header.toV1(), header.toV2(true))) {
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            int version = bytes[0] == 'P' ? 1 : 2;
            String expected = PROXIED_CLIENT + " via 127.0.0.1 v" + version + (version == 2 ? " example.org" : "");
            for (int k = 1; k < bytes.length; k++) {
                Socket raw = rawClient(server);
                raw.setTcpNoDelay(true);
                raw.getOutputStream().write(bytes, 0, k);
                raw.getOutputStream().flush();
                Thread.sleep(2);
                raw.getOutputStream().write(bytes, k, bytes.length - k);
                Socket s = afterHeader(raw);
                assertEquals(expected, readLine(s), "the header split after " + k + " of " + bytes.length + " bytes");
                s.close();
            }
        }
        if (!backend().tls()) {   // the application's first bytes in the same write as the header
            Socket raw = rawClient(server);
            ByteBuffer v1 = header.toV1();
            byte[] both = new byte[v1.remaining() + 5];
            v1.get(both, 0, v1.remaining());
            System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, both, both.length - 5, 5);
            raw.getOutputStream().write(both);
            assertEquals(PROXIED_CLIENT + " via 127.0.0.1 v1", readLine(raw));
            assertEquals("hello", new String(raw.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
        }
        assertEquals(0, telemetry.handshakeFailures.size(), telemetry.handshakeFailures.toString());
    }

    @Test
    void aMissingMalformedOrSlowProxyHeaderClosesTheConnectionAndIsReportedOnce() throws Exception {
        Server server = start(config().proxyProtocol(ProxyProtocol.V2).handshakeTimeout(Duration.ofMillis(600)), WHO);
        Socket plainHttp = rawClient(server);
        plainHttp.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEnds(plainHttp);
        Socket v1 = rawClient(server);
        v1.getOutputStream().write("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEnds(v1);
        Socket slow = rawClient(server);
        slow.getOutputStream().write(ProxyHeader.V2_SIGNATURE, 0, 8);
        long t0 = System.nanoTime();
        assertEnds(slow);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited < 4_000, "half a header held the connection " + waited + " ms; the limit is 600 ms");
        telemetry.awaitStopped(3);
        assertEquals(3, telemetry.handshakeFailures.size(), telemetry.events.toString());
        assertInstanceOf(ProxyProtocolException.class, telemetry.handshakeFailures.get(0));
        assertTrue(telemetry.handshakeFailures.get(0).getMessage().contains("127.0.0.1"),
                "the message names the peer: " + telemetry.handshakeFailures.get(0).getMessage());
        assertInstanceOf(SocketTimeoutException.class, telemetry.handshakeFailures.get(2));
    }
}
