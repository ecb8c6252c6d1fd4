package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server records in JFR, and that thousands of connections, good and failed, leave
 * descriptors, threads and heap where they were.
 */
@Timeout(180)
class TelemetryAndChurnTest {

    @TempDir
    Path dir;

    @Test
    void jfrRecordsEachConnectionHandshakeRefusalAndListenSocketOnce() throws Exception {
        Path file = dir.resolve("server.jfr");
        try (Recording recording = new Recording()) {
            for (String event : List.of("Connection", "Handshake", "ConnectionRefused", "Listener", "AcceptError")) {
                recording.enable("dev.atoll.server." + event);
            }
            recording.start();
            try (Transport<?, ?> nio = Backend.plain("nio").open();
                 Server server = Server.start(ServerConfig.builder(nio).address(new InetSocketAddress("127.0.0.1", 0))
                         .maxConnections(1).limitPolicy(LimitPolicy.CLOSE_AFTER_WAIT).limitWait(Duration.ofMillis(100))
                         .build(), ServerSuite.ECHO)) {
                try (Socket a = new Socket("127.0.0.1", server.address().getPort())) {
                    a.setSoTimeout(10_000);
                    assertEquals("abc", ServerSuite.echo(a, "abc"));
                    try (Socket refused = new Socket("127.0.0.1", server.address().getPort())) {
                        refused.setSoTimeout(10_000);
                        ServerSuite.assertEnds(refused);
                    }
                }
                try (Socket b = new Socket("127.0.0.1", server.address().getPort())) {
                    b.setSoTimeout(10_000);
                    assertEquals("de", ServerSuite.echo(b, "de"));
                }
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> connections = of(events, "Connection");
        assertEquals(2, connections.size(), "one event per connection served: " + connections);
        assertEquals(3, connections.get(0).getLong("bytesReceived"));
        assertEquals(3, connections.get(0).getLong("bytesSent"));
        assertEquals(2, connections.get(1).getLong("bytesSent"));
        assertEquals(null, connections.get(0).getString("failure"));
        assertTrue(connections.get(0).getDuration().toNanos() > 0);
        assertEquals(2, of(events, "Handshake").size());
        assertEquals(1, of(events, "ConnectionRefused").size());
        assertEquals(2, of(events, "Listener").size(), "opened, then closed by the stop");
        assertEquals(0, of(events, "AcceptError").size());
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals("dev.atoll.server." + name))
                .sorted((x, y) -> x.hasField("id") ? Long.compare(x.getLong("id"), y.getLong("id")) : 0).toList();
    }

    @Test
    void tenThousandConnectionsAndAThousandFailedHandshakesLeaveNothingBehind() throws Exception {
        churn(Backend.plain("nio"), 10_000, false);
        churn(Backend.secure("jsse", "iouring"), 1_000, true);
    }

    private static void churn(Backend backend, int cycles, boolean failHandshakes) throws Exception {
        RecordingTelemetry telemetry = new RecordingTelemetry();
        try (Transport<?, ?> transport = backend.open();
             Server server = Server.start(ServerConfig.builder(transport).address(new InetSocketAddress("127.0.0.1", 0))
                     .telemetry(telemetry).handshakeTimeout(Duration.ofSeconds(5)).build(), ServerSuite.ECHO)) {
            int port = server.address().getPort();
            Runnable round = () -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    if (failHandshakes) {
                        s.getOutputStream().write("not TLS\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        try {
                            s.getInputStream().readAllBytes();   // an alert, then the end
                        } catch (java.net.SocketException reset) {
                            // also an end
                        }
                    } else {
                        s.getOutputStream().write('x');
                        assertEquals('x', s.getInputStream().read());
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            };
            for (int i = 0; i < 200; i++) {
                round.run();
            }
            ServerSuite.await("the warm-up's connections are gone", () -> server.connectionCount() == 0);
            long descriptors = descriptors();
            long threads = Thread.activeCount();
            long heap = usedHeapAfterGc();
            for (int i = 0; i < cycles; i++) {
                round.run();
            }
            ServerSuite.await("every connection is gone", () -> server.connectionCount() == 0);
            telemetry.awaitStopped(cycles + 200);
            assertEquals(cycles + 200, telemetry.started.size());
            assertEquals(failHandshakes ? cycles + 200 : 0, telemetry.handshakeFailures.size());
            ServerSuite.await("descriptors back to " + descriptors + " (now " + descriptors() + ")",
                    () -> descriptors() <= descriptors + 2);
            assertTrue(Thread.activeCount() <= threads + 2, "platform threads: " + threads + " before, " + Thread.activeCount() + " after");
            long grown = usedHeapAfterGc() - heap;
            assertTrue(grown < 16 << 20, backend + ": the live heap grew by " + (grown >> 10) + " KiB over " + cycles + " connections");
            System.out.printf("%s: %d connections, descriptors %d -> %d, live heap %+d KiB%n", backend, cycles, descriptors,
                    descriptors(), grown >> 10);
        }
    }

    private static long descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }
}
