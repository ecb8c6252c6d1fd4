package dev.atoll.websocket.conformance;

import dev.atoll.websocket.Message;
import dev.atoll.websocket.WebSocket;
import dev.atoll.websocket.WebSocketClosedException;
import dev.atoll.websocket.WebSocketConfig;
import java.io.IOException;

/**
 * The echo Atoll's side runs under the suite, as a server or as a client: the same session
 * settings and the same loop.
 */
final class AtollEcho {

    private AtollEcho() {
    }

    /** The session's configuration: permessage-deflate accepted (offered, as a client), messages and frames up to 16 MiB. */
    static final WebSocketConfig CONFIG = WebSocketConfig.builder().deflate(true).maxMessageSize(16 << 20).maxFrameSize(16 << 20)
            .build();

    /**
     * Echoes every text message as text and every binary one as binary until the peer closes or
     * the session fails (pings are answered by the session).
     *
     * @param socket the open session
     * @throws IOException when the connection fails without a close
     */
    static void serve(WebSocket socket) throws IOException {
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
    }
}
