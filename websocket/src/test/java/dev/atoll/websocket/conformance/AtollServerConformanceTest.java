package dev.atoll.websocket.conformance;

import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.websocket.Backend;
import dev.atoll.websocket.Message;
import dev.atoll.websocket.WebSocketClosedException;
import dev.atoll.websocket.WebSocketConfig;
import dev.atoll.websocket.WebSocketEndpoint;
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

    /** The server's configuration. */
    static final WebSocketConfig CONFIG = WebSocketConfig.builder().deflate(true).maxMessageSize(16 << 20).maxFrameSize(16 << 20)
            .build();

    /** Echoes every text and binary message until the peer closes or the session fails. */
    static final WebSocketEndpoint ECHO = socket -> {
        try {
            for (;;) {
                switch (socket.receive()) {
                    case Message.Text t -> socket.sendText(t.text());
                    case Message.Binary b -> socket.sendBinary(b.data());
                    case Message.Close c -> {
                        return;
                    }
                    default -> {
                    }
                }
            }
        } catch (WebSocketClosedException ended) {
            // the peer closed or broke the protocol; the session already answered
        }
    };

    /** {@return the backend the server runs over} */
    abstract Backend backend();

    @Override
    EchoServer start(Path dir) throws Exception {
        Backend backend = backend();
        Server server = WebSocketServer.start(ServerConfig.builder(backend.open()).address(new InetSocketAddress("127.0.0.1", 0))
                .build(), CONFIG, ECHO);
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
