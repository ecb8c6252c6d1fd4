package dev.atoll.websocket.conformance;

import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.websocket.Backend;
import dev.atoll.websocket.WebSocketServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The suite against Atoll's WebSocket server, an echo endpoint with permessage-deflate accepted
 * and messages and frames up to 16 MiB (the size cases send 4 MiB in one frame), over one
 * backend. Every outcome but OK must be in {@code conformance-expectations.properties} with its
 * reason; FAILED never is.
 */
abstract class AtollServerConformanceTest extends ServerConformanceTest {

    /** {@return the backend the server runs over} */
    abstract Backend backend();

    @Override
    EchoServer start(Path dir) throws Exception {
        Backend backend = backend();
        Server server = WebSocketServer.start(ServerConfig.builder(backend.open()).address(new InetSocketAddress("127.0.0.1", 0))
                .build(), AtollEcho.CONFIG, AtollEcho::serve);
        Target target = new Target("atoll-" + backend.name().replace(' ', '-'), "127.0.0.1", server.address().getPort(),
                backend.tls(), "/");
        return new EchoServer() {
            @Override
            public Target target() {
                return target;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Override
    String[] expectations() {
        return new String[] {"conformance-expectations.properties"};
    }
}
