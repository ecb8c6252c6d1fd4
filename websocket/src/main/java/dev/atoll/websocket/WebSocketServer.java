package dev.atoll.websocket;

import dev.atoll.server.ConnectionHandler;
import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import java.io.IOException;
import java.util.Objects;

/**
 * WebSocket on Atoll's server layer: each connection's HTTP/1.1 upgrade request is checked
 * (RFC 6455 section 4.2), decided by the {@link WebSocketEndpoint}, answered, and the session
 * served on the connection's virtual thread. Plain or TLS ({@code ws} or {@code wss}) as the
 * server's transport is.
 *
 * <ul>
 *   <li>The request head must arrive within {@link WebSocketConfig#handshakeTimeout()} (else
 *       408) and fit {@link WebSocketConfig#maxRequestHead()} (else 431).</li>
 *   <li>A malformed request, or an upgrade without {@code GET}, {@code Host},
 *       {@code Connection: upgrade} or a {@code Sec-WebSocket-Key} of 16 bytes in base64, gets
 *       400; a version other than 13 gets 426 with {@code Sec-WebSocket-Version: 13}; a request
 *       without {@code Upgrade: websocket} gets {@link WebSocketEndpoint#notUpgrade}'s answer.</li>
 *   <li>permessage-deflate is agreed when {@link WebSocketConfig#deflate()} allows and the
 *       client offers parameters this side can honour.</li>
 *   <li>Bytes sent right behind the request head are the session's first frames.</li>
 *   <li>When {@link WebSocketEndpoint#serve} returns, the session is closed with 1000; when it
 *       throws, with 1011; when the server stops, open sessions are closed with 1001.</li>
 * </ul>
 */
public final class WebSocketServer {

    private WebSocketServer() {
    }

    /**
     * Starts a server whose every connection is a WebSocket endpoint.
     *
     * @param serverConfig where and how to listen ({@link ServerConfig})
     * @param config       the sessions' limits, timeouts and compression
     * @param endpoint     decides upgrades and serves sessions
     * @return the running server
     * @throws IOException as {@link Server#start} does
     */
    public static Server start(ServerConfig serverConfig, WebSocketConfig config, WebSocketEndpoint endpoint)
            throws IOException {
        return Server.start(serverConfig, handler(config, endpoint));
    }

    /**
     * The connection handler that makes a server's connections WebSocket sessions, for a
     * server started with {@link Server#start} directly.
     *
     * @param config   the sessions' limits, timeouts and compression
     * @param endpoint decides upgrades and serves sessions
     * @return the handler
     */
    public static ConnectionHandler handler(WebSocketConfig config, WebSocketEndpoint endpoint) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(endpoint, "endpoint");
        return (connection, context) -> {
            WebSocket socket = ServerHandshake.answer(connection, context, config, endpoint);
            if (socket == null) {
                return;
            }
            context.onStop(() -> Thread.ofVirtual().name("websocket-stop-" + context.id()).start(() -> {
                try {
                    socket.closeAs(new CloseReason(CloseReason.Kind.SHUTDOWN, CloseReason.GOING_AWAY, "server stopping", null));
                } catch (IOException e) {
                    // the session's thread sees the end of the connection
                }
            }));
            try {
                endpoint.serve(socket);
            } catch (Exception | Error e) {
                socket.closeAs(new CloseReason(CloseReason.Kind.CRASH, CloseReason.INTERNAL_ERROR, "", e));
                throw e;
            }
            socket.closeAs(new CloseReason(CloseReason.Kind.LOCAL, CloseReason.NORMAL, "", null));
        };
    }
}
