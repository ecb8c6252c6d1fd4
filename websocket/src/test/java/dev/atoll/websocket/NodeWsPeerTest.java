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
 * Node's {@code ws} client (Debian's {@code node-ws}, or {@code ws} where Node finds it) against
 * the server over every backend, with {@code perMessageDeflate} on: small and large text and
 * binary echoes, a ping, its close (the server checks the code and reason, the peer the answer's
 * code) and, on a second connection, the server's close (the peer checks the code and reason,
 * the server that the peer answered with the code). Skipped, saying why, where Node or
 * {@code ws} is not installed.
 */
@Timeout(90)
class NodeWsPeerTest {

    /** Where Debian's {@code node-ws} puts the module. */
    private static final Path DEBIAN_WS = Path.of("/usr/share/nodejs/ws");

    @TempDir
    Path dir;

    static List<Backend> backends() {
        return Backend.all();
    }

    static Path node() {
        Path node = ExternalProcess.onPath("node");
        if (node == null) {
            node = ExternalProcess.onPath("nodejs");
        }
        if (node == null) {
            Assumptions.abort("Node is not installed (Debian: apt-get install node-ws, which brings nodejs)");
        }
        return node;
    }

    /** {@return Debian's ws module, or the one Node itself resolves} */
    static String wsModule(Path node, Path dir) throws Exception {
        if (Files.isRegularFile(DEBIAN_WS.resolve("package.json"))) {
            return DEBIAN_WS.toString();
        }
        try (ExternalProcess resolve = ExternalProcess.start("node-resolve-ws", dir,
                List.of(node.toString(), "-p", "require.resolve('ws')"))) {
            if (resolve.await(Duration.ofSeconds(20)) != 0) {
                Assumptions.abort("Node's ws is not installed (Debian: apt-get install node-ws; or npm install ws)\n"
                        + resolve.output());
            }
            return resolve.stdout().strip();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void echoesPingsAndCloses(Backend backend) throws Exception {
        Path node = node();
        String ws = wsModule(node, dir);
        try (RecordingEchoServer server = new RecordingEchoServer(backend)) {
            List<String> command = new ArrayList<>(List.of(node.toString(), ExternalProcess.script("peer.js").toString(), ws,
                    server.url("/echo"), server.url("/closing")));
            if (backend.tls()) {
                command.add(TestPki.writeCertificates(List.of(TestPki.get().ca().certificate()), dir.resolve("ca.pem"))
                        .toString());
            }
            try (ExternalProcess peer = ExternalProcess.start("node-ws", dir, command)) {
                assertEquals(0, peer.await(Duration.ofSeconds(60)), peer.output());
                PeerExchange.assertPeerSaw("Node's ws", peer.stdout(), true,
                        PeerExchange.answeredClose(),
                        PeerExchange.serverClose());
            }
            RecordingEchoServer.assertExchanged(server.session(), true, true);
            server.assertCloseAnswered();
        }
    }
}
