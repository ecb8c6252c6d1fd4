package dev.atoll.websocket;

/**
 * Serves the WebSocket sessions of a {@link WebSocketServer}: decides each upgrade, then runs
 * the session on its own virtual thread, blocking as it likes.
 *
 * <pre>{@code
 * WebSocketServer.start(serverConfig, WebSocketConfig.defaults(), socket -> {
 *     for (Message m; !((m = socket.receive()) instanceof Message.Close); ) {
 *         switch (m) {
 *             case Message.Text t -> socket.sendText(t.text());
 *             case Message.Binary b -> socket.sendBinary(b.data());
 *             default -> { }   // pings are answered already
 *         }
 *     }
 * });
 * }</pre>
 *
 * {@link WebSocketHandler#serving} makes an endpoint of callbacks instead.
 */
@FunctionalInterface
public interface WebSocketEndpoint {

    /**
     * Decides an upgrade request that passed every check of RFC 6455 section 4.2.1. Accepts
     * with no subprotocol by default. Called on the connection's virtual thread.
     *
     * @param request the request
     * @return accept (choosing a subprotocol the client offered, if any) or refuse
     * @throws Exception anything; the client gets 500 and the connection is closed
     */
    default UpgradeDecision upgrade(HandshakeRequest request) throws Exception {
        return UpgradeDecision.accept();
    }

    /**
     * Answers a well-formed request that is not a WebSocket upgrade (no {@code Upgrade:
     * websocket}). Gives 426 Upgrade Required by default.
     *
     * @param request the request
     * @return the response, after which the connection is closed
     * @throws Exception anything; the client gets 500 and the connection is closed
     */
    default HttpReply notUpgrade(HandshakeRequest request) throws Exception {
        return HttpReply.text(426, "This endpoint speaks WebSocket only.\n")
                .withHeader("Upgrade", "websocket").withHeader("Sec-WebSocket-Version", "13");
    }

    /**
     * Serves an accepted session until done. When this returns, the session is closed with 1000
     * if it is still open; when it throws, with 1011 (and the failure is reported as the
     * connection's).
     *
     * @param socket the session
     * @throws Exception anything
     */
    void serve(WebSocket socket) throws Exception;
}
