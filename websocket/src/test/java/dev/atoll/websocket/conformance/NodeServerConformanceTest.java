package dev.atoll.websocket.conformance;

import dev.atoll.websocket.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The suite against Node's {@code ws} echo server (Debian's {@code node-ws}) with
 * permessage-deflate on: proves the suite judges a second independent implementation as its
 * known behaviour says. Skipped, saying why, where Node or {@code ws} is missing.
 */
class NodeServerConformanceTest extends ServerConformanceTest {

    private static final Path WS_MODULE = Path.of("/usr/share/nodejs/ws");

    @Override
    EchoServer start(Path dir) throws Exception {
        Path node = ExternalProcess.onPath("node");
        if (node == null) {
            Assumptions.abort("node is not on the PATH (Debian: apt-get install nodejs node-ws)");
        }
        if (!Files.isDirectory(WS_MODULE)) {
            Assumptions.abort("Node's ws is not installed at " + WS_MODULE + " (Debian: apt-get install node-ws)");
        }
        return ExternalEchoServer.start("node-ws", dir,
                List.of(node.toString(), ExternalProcess.script("echo-server.js").toString(), WS_MODULE.toString()));
    }

    @Override
    String[] expectations() {
        return new String[] {"conformance-expectations-node-ws.properties"};
    }

    @Override
    boolean knownBugs() {
        return true;
    }
}
