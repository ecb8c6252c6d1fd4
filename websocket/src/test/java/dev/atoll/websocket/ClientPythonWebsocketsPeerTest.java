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
 * Atoll's client against Python's {@code websockets} server (Debian's {@code python3-websockets}
 * on Debian's own {@code /usr/bin/python3}, {@code peers/reporting-server.py}) over every client
 * transport, {@code ws} and {@code wss} (the server on the TCK's test certificate), with the
 * server's permessage-deflate on (its default) and off: small and large text and binary echoes,
 * a ping, and the client's close, whose code and reason the server reports. Skipped, saying why,
 * where it is not installed.
 */
@Timeout(60)
class ClientPythonWebsocketsPeerTest {

    @TempDir
    Path dir;

    static List<PeerExchange.ClientCase> cases() {
        return PeerExchange.ClientCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void echoesPingsAndCloses(PeerExchange.ClientCase c) throws Exception {
        PythonWebsocketsPeerTest.assumeInstalled(dir);
        List<String> command = new ArrayList<>(List.of(PythonWebsocketsPeerTest.PYTHON.toString(),
                ExternalProcess.script("reporting-server.py").toString(), c.deflateSwitch()));
        if (c.client().tls()) {
            command.add(TestPki.writeCertificates(TestPki.get().server().chain(), dir.resolve("server.pem")).toString());
            command.add(TestPki.writeKey(TestPki.get().server().key(), dir.resolve("server.key")).toString());
        }
        try (ExternalProcess server = ExternalProcess.start("python-websockets-server", dir, command)) {
            List<String> extensions = c.exchange("Python's websockets server", server.awaitPort(Duration.ofSeconds(20)));
            String out = server.awaitLine("close ", Duration.ofSeconds(10));
            PeerExchange.assertServerSaw("Python's websockets server", out.substring(out.indexOf('\n') + 1), c.deflate(),
                    extensions);
        }
    }
}
