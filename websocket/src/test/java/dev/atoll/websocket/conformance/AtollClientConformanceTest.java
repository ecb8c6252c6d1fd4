package dev.atoll.websocket.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.TestPki;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.websocket.WebSocket;
import dev.atoll.websocket.WebSocketClient;
import dev.atoll.websocket.WebSocketClientConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suite as a server ({@link FuzzingServer}) against Atoll's WebSocket client over one
 * backend: for each connection a case opens, the client connects, offering permessage-deflate,
 * and echoes every message until the suite closes (the same echo and session settings as the
 * server's run). Every case but the server's handshake (group 0's first cases) runs, with the
 * roles swapped, plus the client's handshake; a report goes to {@code target/websocket-conformance},
 * and every outcome other than OK must be in {@code conformance-expectations-client.properties}
 * with its reason (FAILED never is).
 */
abstract class AtollClientConformanceTest {

    /** The TLS configuration of the client's secure transport: trusting the TCK's test CA. */
    static final TlsConfig TRUST_TEST_CA = TlsConfig.builder().trust(TestPki.get().ca().chain()).alpn("http/1.1").build();

    /** How long the client's sessions may take to end once the run is over. */
    static final long SESSIONS_END_SECONDS = 10;

    /** {@return the plain transport's name} */
    abstract String plain();

    /** {@return the secure transport's name (over nio), or {@code null} for {@code ws}} */
    String secure() {
        return null;
    }

    private static Transport<?, ?> open(String name, Supplier<Transport<?, ?>> transport) {
        try {
            return transport.get();
        } catch (IllegalStateException unavailable) {
            Assumptions.abort(name + " cannot run here: " + unavailable.getMessage());
            throw unavailable;
        }
    }

    @Test
    @Timeout(240)
    void conformsToTheSuite() throws Exception {
        String secureName = secure();
        String name = "atoll-client-" + (secureName == null ? plain() : secureName + "-over-nio");
        try (Transport<?, ?> plain = open(plain(), () -> Transports.named(plain()));
                Transport<?, ?> secure = secureName == null ? null : open(secureName, () -> Transports.secure(secureName,
                        TRUST_TEST_CA, Map.of(Transports.PROPERTY, "nio")));
                WebSocketClient client = WebSocketClient.create(WebSocketClientConfig.builder().transports(plain, secure)
                        .session(AtollEcho.CONFIG).build())) {
            ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor();
            List<CaseResult> results;
            long millis;
            try (FuzzingServer server = new FuzzingServer(secureName != null, uri -> sessions.submit(() -> {
                try (WebSocket socket = client.connect(uri)) {
                    AtollEcho.serve(socket);
                }
                return null;
            }))) {
                long start = System.nanoTime();
                results = ConformanceRunner.run(server, Cases.all(), ConformanceRunner.selection());
                millis = (System.nanoTime() - start) / 1_000_000;
            } finally {
                sessions.shutdown();
            }
            Path report = ConformanceRunner.report(name, results);
            List<String> problems = Expectations.load(false, "conformance-expectations-client.properties").check(results);
            assertTrue(problems.isEmpty(), name + ": " + problems.size() + " of " + results.size() + " cases break the expectations"
                    + " (run of " + millis + " ms, report " + report.toAbsolutePath() + "):\n" + String.join("\n", problems));
            assertTrue(sessions.awaitTermination(SESSIONS_END_SECONDS, TimeUnit.SECONDS), name + ": the client's sessions did not"
                    + " end within " + SESSIONS_END_SECONDS + " s of the run, after the suite closed every connection");
        }
    }
}
