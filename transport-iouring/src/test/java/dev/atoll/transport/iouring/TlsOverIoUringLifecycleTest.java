package dev.atoll.transport.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.jsse.JsseTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS transport made from configuration builds its plain transport with the same settings and
 * closes it when closed; one handed to it by the application stays the application's.
 */
class TlsOverIoUringLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECTIONS = 4;

    @BeforeAll
    static void onlyWhereIoUringRuns() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
    }

    @Test
    void jsseOverIoUringFromConfigurationRunsOnTheConfiguredThreadsAndStopsThemWhenClosed(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.get();
        Map<String, String> config = Map.of(
                "atoll.tls", "jsse",
                "atoll.transport", "iouring,nio",
                "atoll.iouring.threads", "1",
                "atoll.jsse.identity.cert", TestPki.writeCertificates(pki.server().chain(), dir.resolve("cert.pem")).toString(),
                "atoll.jsse.identity.key", TestPki.writeKey(pki.server().key(), dir.resolve("key.pem")).toString(),
                "atoll.jsse.trust", TestPki.writeCertificates(List.of(pki.ca().certificate()), dir.resolve("ca.pem")).toString());
        Transport<?, ?> tls = Transports.configured(config);
        IoUringTransport iouring = assertInstanceOf(IoUringTransport.class, assertInstanceOf(JsseTransport.class, tls).plain());
        String prefix = iouring.threadNamePrefix() + "-";
        assertTrue(prefix.startsWith("atoll-iouring-"), prefix);

        exchange(tls, CONNECTIONS);
        Set<Thread> loops = loopThreads(prefix);
        assertEquals(1, loops.size(), "event-loop threads serving " + CONNECTIONS + " TLS connections with atoll.iouring.threads=1: "
                + loops.stream().map(Thread::getName).toList());

        tls.close();
        for (Thread loop : loops) {
            loop.join(TimeUnit.SECONDS.toMillis(5));
            assertFalse(loop.isAlive(), loop.getName() + " still runs after the TLS transport that made it was closed");
        }
        tls.close();   // idempotent
    }

    @Test
    void closingATlsTransportLeavesThePlainTransportTheApplicationHandedItRunning() throws Exception {
        try (IoUringTransport iouring = new IoUringTransport(1)) {
            JsseTransport tls = new JsseTransport(TckTls.serverConfig(), iouring);
            exchange(tls, 1);
            Set<Thread> loops = loopThreads(iouring.threadNamePrefix() + "-");
            assertEquals(1, loops.size(), loops.toString());

            tls.close();
            Thread.sleep(200);   // what a shutdown would have had time to do
            for (Thread loop : loops) {
                assertTrue(loop.isAlive(), loop.getName() + " was stopped by closing a TLS transport that does not own it");
            }
            exchange(iouring, 1);
            assertEquals(loops, loopThreads(iouring.threadNamePrefix() + "-"), "the same event loop serves on");
        }
    }

    /** Opens {@code count} connections at once through a listener of the same transport and echoes a line on each. */
    private static void exchange(Transport<?, ?> transport, int count) throws Exception {
        byte[] line = "hello\n".getBytes(StandardCharsets.US_ASCII);
        try (Listener listener = Listener.open(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> servers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                servers.add(threads.submit(() -> {
                    try (Connection c = listener.accept(TIMEOUT).handshake(TIMEOUT)) {
                        c.send(c.recv(line.length, TIMEOUT));
                    }
                    return null;
                }));
            }
            List<Connection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    clients.add(Connection.connect(transport, listener.address(), SocketOptions.none(), TIMEOUT));
                }
                List<CompletableFuture<ByteBuffer>> echoes = new ArrayList<>();
                for (Connection c : clients) {
                    echoes.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            Connection ready = c.handshake(TIMEOUT);
                            ready.send(ByteBuffer.wrap(line));
                            return ready.recv(line.length, TIMEOUT);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, threads));
                }
                for (CompletableFuture<ByteBuffer> echo : echoes) {
                    assertEquals(ByteBuffer.wrap(line), echo.get(20, TimeUnit.SECONDS));
                }
                for (Future<?> server : servers) {
                    server.get(20, TimeUnit.SECONDS);
                }
            } finally {
                for (Connection c : clients) {
                    c.close();
                }
            }
        }
    }

    private static Set<Thread> loopThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .collect(Collectors.toSet());
    }
}
