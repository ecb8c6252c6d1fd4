package dev.atoll.websocket.conformance;

import dev.atoll.websocket.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The suite against Python's {@code websockets} echo server (Debian's {@code python3-websockets}
 * on Debian's own {@code /usr/bin/python3}), with its default permessage-deflate: proves the
 * suite judges an independent implementation as its known behaviour says. Skipped, saying why,
 * where it is not installed.
 */
class PythonServerConformanceTest extends ServerConformanceTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Override
    EchoServer start(Path dir) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            Assumptions.abort(PYTHON + " is not installed (Debian: apt-get install python3-websockets)");
        }
        try (ExternalProcess probe = ExternalProcess.start("python-probe", dir, List.of(PYTHON.toString(), "-c", "import websockets"))) {
            if (probe.await(Duration.ofSeconds(20)) != 0) {
                Assumptions.abort("Python's websockets is not installed for " + PYTHON
                        + " (Debian: apt-get install python3-websockets)\n" + probe.output());
            }
        }
        return ExternalEchoServer.start("python-websockets", dir,
                List.of(PYTHON.toString(), ExternalProcess.script("echo-server.py").toString()));
    }

    @Override
    String[] expectations() {
        return new String[] {"conformance-expectations-python-websockets.properties"};
    }

    @Override
    boolean knownBugs() {
        return true;
    }
}
