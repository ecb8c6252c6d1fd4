package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.faults.DelegatingTransport;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acceptors outlive every failure of {@code accept}: a transport that fails on purpose throws
 * what the kernel would, before a client waiting in the backlog is accepted.
 */
@Timeout(30)
class AcceptorRobustnessTest {

    private final Transport<?, ?> nio = Transports.named("nio");
    private final RecordingTelemetry telemetry = new RecordingTelemetry();
    private Server server;

    /** nio, with failures thrown by {@code accept} in turn before it accepts. */
    static final class FailingAccepts<S, L> extends DelegatingTransport<S, L> {
        final Queue<Exception> failures = new ConcurrentLinkedQueue<>();

        FailingAccepts(Transport<S, L> delegate) {
            super(delegate, "failing-accepts");
        }

        @Override
        public S accept(L listener, Duration timeout) throws IOException {
            Exception next = failures.poll();
            if (next instanceof IOException io) {
                throw io;
            }
            if (next instanceof RuntimeException bug) {
                throw bug;
            }
            return super.accept(listener, timeout);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        nio.close();
    }

    private FailingAccepts<?, ?> start() throws IOException {
        FailingAccepts<?, ?> failing = new FailingAccepts<>(nio);
        server = Server.start(ServerConfig.builder(failing).address(new InetSocketAddress("127.0.0.1", 0))
                .telemetry(telemetry).acceptors(1).build(), ServerSuite.ECHO);
        return failing;
    }

    private String echoThroughANewClient(String text) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            return ServerSuite.echo(s, text);
        }
    }

    @Test
    void outOfFileDescriptorsTheAcceptorBacksOffAHundredMillisecondsEachTimeAndGoesOn() throws Exception {
        FailingAccepts<?, ?> failing = start();
        // The acceptor may already wait in accept: one connection to take the first turn.
        assertEquals("first", echoThroughANewClient("first"));
        failing.failures.addAll(List.of(new IOException("Too many open files"), new IOException("Too many open files"),
                new IOException("Too many open files in system")));
        long t0 = System.nanoTime();
        assertEquals("after", echoThroughANewClient("after"));
        assertEquals("later", echoThroughANewClient("later"));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(3, telemetry.acceptFailures.size(), telemetry.events.toString());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)), telemetry.acceptBackoffs);
        assertTrue(took >= 250, "three back-offs of 100 ms, yet served after " + took + " ms");
    }

    @Test
    void aClientThatGaveUpInTheBacklogIsIgnoredAndOtherFailuresAreReportedAndRetried() throws Exception {
        FailingAccepts<?, ?> failing = start();
        assertEquals("first", echoThroughANewClient("first"));
        failing.failures.addAll(List.of(new IOException("Software caused connection abort"),
                new IOException("No buffer space available"), new IllegalStateException("a bug in the transport")));
        assertEquals("after", echoThroughANewClient("after"));
        assertEquals("again", echoThroughANewClient("again"));
        assertEquals(2, telemetry.acceptFailures.size(), "the aborted one is not reported: " + telemetry.events);
        assertTrue(telemetry.acceptFailures.get(1).getMessage().contains("a bug in the transport"),
                telemetry.acceptFailures.get(1).getMessage());
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(10)), telemetry.acceptBackoffs);
        assertEquals(ServerStatus.RUNNING, server.status());
    }

    @Test
    void aStopEndsAcceptorsBlockedInAcceptAtOnce() throws Exception {
        start();
        assertEquals("x", echoThroughANewClient("x"));
        long t0 = System.nanoTime();
        server.stop(Duration.ofSeconds(5));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(took < 2_000, "stop took " + took + " ms with nothing to drain");
        assertEquals(List.of(), telemetry.acceptFailures, "closing the listen socket is not an accept failure");
    }
}
