package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atoll.tck.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Python's {@code websockets} client (Debian's {@code python3-websockets} on Debian's own
 * {@code /usr/bin/python3}) against the server over every backend, with the permessage-deflate it
 * offers by default: small and large text and binary echoes, a ping, its close (the server checks
 * the code and reason, the peer the answer's code) and, on a second connection, the server's
 * close (the peer checks the code and reason, the server that the peer answered with the code).
 * Skipped, saying why, where it is not installed.
 */
@Timeout(90)
class PythonWebsocketsPeerTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    static List<Backend> backends() {
        return Backend.all();
    }

    static void assumeInstalled(Path dir) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            Assumptions.abort(PYTHON + " is not installed (Debian: apt-get install python3-websockets)");
        }
        try (ExternalProcess probe = ExternalProcess.start("python-probe", dir,
                List.of(PYTHON.toString(), "-c", "import websockets"))) {
            if (probe.await(Duration.ofSeconds(20)) != 0) {
                Assumptions.abort("Python's websockets is not installed for " + PYTHON
                        + " (Debian: apt-get install python3-websockets)\n" + probe.output());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void echoesPingsAndCloses(Backend backend) throws Exception {
        assumeInstalled(dir);
        try (RecordingEchoServer server = new RecordingEchoServer(backend)) {
            List<String> command = new ArrayList<>(List.of(PYTHON.toString(), ExternalProcess.script("peer.py").toString(),
                    server.url("/echo"), server.url("/closing")));
            if (backend.tls()) {
                command.add(TestPki.writeCertificates(List.of(TestPki.get().ca().certificate()), dir.resolve("ca.pem"))
                        .toString());
            }
            try (ExternalProcess peer = ExternalProcess.start("python-websockets", dir, command)) {
                assertEquals(0, peer.await(Duration.ofSeconds(60)), peer.output());
                PeerExchange.assertPeerSaw("Python's websockets", peer.stdout(), true,
                        PeerExchange.answeredClose(),
                        PeerExchange.serverClose());
            }
            RecordingEchoServer.assertExchanged(server.session(), true, true);
            server.assertCloseAnswered();
        }
    }
}
