package dev.atoll.websocket.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite as a client against one WebSocket echo server: every case (or those
 * {@value ConformanceRunner#SELECTION} selects), a report in {@code target/websocket-conformance},
 * and a failure on any outcome other than OK that the server's expectations do not list with its
 * reason (FAILED never, for Atoll).
 */
abstract class ServerConformanceTest {

    /** A running echo server. */
    interface EchoServer extends AutoCloseable {
        Target target();
    }

    @TempDir
    Path dir;

    /** {@return the echo server under test, started; or the test aborted, saying why it cannot run here} */
    abstract EchoServer start(Path dir) throws Exception;

    /** {@return the expectation files of the server under test} */
    abstract String[] expectations();

    /** {@return whether the expectations may list FAILED cases: known bugs of a peer written elsewhere, never Atoll's} */
    boolean knownBugs() {
        return false;
    }

    @Test
    @Timeout(240)
    void conformsToTheSuite() throws Exception {
        try (EchoServer server = start(dir)) {
            Target target = server.target();
            long start = System.nanoTime();
            List<CaseResult> results = ConformanceRunner.run(new FuzzingClient(target), Cases.all(), ConformanceRunner.selection());
            long millis = (System.nanoTime() - start) / 1_000_000;
            Path report = ConformanceRunner.report(target.name(), results);
            List<String> problems = Expectations.load(knownBugs(), expectations()).check(results);
            assertTrue(problems.isEmpty(), target + ": " + problems.size() + " of " + results.size() + " cases break the expectations"
                    + " (run of " + millis + " ms, report " + report.toAbsolutePath() + "):\n" + String.join("\n", problems));
        }
    }
}
