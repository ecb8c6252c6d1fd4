package dev.atoll.websocket;

import dev.atoll.tck.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Atoll's client against Node's {@code ws} server (Debian's {@code node-ws}, or {@code ws} where
 * Node finds it; {@code peers/reporting-server.js}) over every client transport, {@code ws} and
 * {@code wss} (an {@code https} server on the TCK's test certificate), with
 * {@code perMessageDeflate} on and off: small and large text and binary echoes, a ping, and the
 * client's close, whose code and reason the server reports. Skipped, saying why, where Node or
 * {@code ws} is not installed.
 */
@Timeout(60)
class ClientNodeWsPeerTest {

    @TempDir
    Path dir;

    static List<PeerExchange.ClientCase> cases() {
        return PeerExchange.ClientCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void echoesPingsAndCloses(PeerExchange.ClientCase c) throws Exception {
        Path node = NodeWsPeerTest.node();
        List<String> command = new ArrayList<>(List.of(node.toString(), ExternalProcess.script("reporting-server.js").toString(),
                NodeWsPeerTest.wsModule(node, dir), c.deflateSwitch()));
        if (c.client().tls()) {
            command.add(TestPki.writeCertificates(TestPki.get().server().chain(), dir.resolve("server.pem")).toString());
            command.add(TestPki.writeKey(TestPki.get().server().key(), dir.resolve("server.key")).toString());
        }
        try (ExternalProcess server = ExternalProcess.start("node-ws-server", dir, command)) {
            List<String> extensions = c.exchange("Node's ws server", server.awaitPort(Duration.ofSeconds(20)));
            String out = server.awaitLine("close ", Duration.ofSeconds(10));
            PeerExchange.assertServerSaw("Node's ws server", out.substring(out.indexOf('\n') + 1), c.deflate(),
                    extensions);
        }
    }
}
