package dev.atoll.websocket;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves one session by callbacks, in the manner of Cowboy's {@code cowboy_websocket}: the
 * session receives, and calls the handler with each message. One handler object serves one
 * session, so its fields are the session's state; every call comes from the session's own
 * virtual thread, one at a time. The handler sends with the {@link WebSocket} it is given, from
 * any thread.
 *
 * <pre>{@code
 * class Echo implements WebSocketHandler {
 *     public void onText(WebSocket socket, String text) throws IOException {
 *         socket.sendText(text);
 *     }
 * }
 * WebSocketServer.start(serverConfig, WebSocketConfig.defaults(), WebSocketHandler.serving(Echo::new));
 * }</pre>
 *
 * After {@link #onOpen}, each message is given to {@link #onText}, {@link #onBinary},
 * {@link #onPing} (already answered) or {@link #onPong}; the peer's close to {@link #onClose}
 * (already answered). {@link #terminate} is called last, once, whatever ended the session: a
 * callback that throws (closed with 1011), a protocol error (1002, 1007, 1009), the idle timeout
 * (1001), the server stopping (1001), a local close, or a failed connection. Every callback does
 * nothing by default.
 */
public interface WebSocketHandler {

    /**
     * The session is open; nothing has been received yet.
     *
     * @param socket the session
     * @throws Exception the session is closed with 1011
     */
    default void onOpen(WebSocket socket) throws Exception {
    }

    /**
     * A text message arrived.
     * @param socket the session
     * @param text   a whole text message
     * @throws Exception the session is closed with 1011
     */
    default void onText(WebSocket socket, String text) throws Exception {
    }

    /**
     * A binary message arrived.
     * @param socket the session
     * @param data   a whole binary message, the handler's to keep
     * @throws Exception the session is closed with 1011
     */
    default void onBinary(WebSocket socket, ByteBuffer data) throws Exception {
    }

    /**
     * A ping arrived, and was answered.
     * @param socket  the session
     * @param payload the ping's payload, already echoed in a pong
     * @throws Exception the session is closed with 1011
     */
    default void onPing(WebSocket socket, ByteBuffer payload) throws Exception {
    }

    /**
     * A pong arrived.
     * @param socket  the session
     * @param payload the pong's payload
     * @throws Exception the session is closed with 1011
     */
    default void onPong(WebSocket socket, ByteBuffer payload) throws Exception {
    }

    /**
     * The peer closed the session; its close has been answered with the same code.
     *
     * @param socket the session, closed
     * @param code   the peer's code, or 1005 when it gave none
     * @param reason the peer's reason, possibly empty
     * @throws Exception reported as the connection's failure
     */
    default void onClose(WebSocket socket, int code, String reason) throws Exception {
    }

    /**
     * The session has ended, for the reason given; called once, last.
     *
     * @param socket the session, closed
     * @param reason why it ended
     */
    default void terminate(WebSocket socket, CloseReason reason) {
    }

    /**
     * An endpoint that accepts every upgrade and serves each session with a new handler.
     *
     * @param handlers makes one handler per session
     * @return the endpoint
     */
    static WebSocketEndpoint serving(Supplier<? extends WebSocketHandler> handlers) {
        Objects.requireNonNull(handlers, "handlers");
        return socket -> run(socket, handlers.get());
    }

    /**
     * Serves a session with a handler, until it ends: for an endpoint that decides its upgrades
     * itself ({@link WebSocketEndpoint#upgrade}) and serves by callbacks.
     *
     * <pre>{@code
     * public void serve(WebSocket socket) throws Exception {
     *     WebSocketHandler.run(socket, new ChatHandler(room));
     * }
     * }</pre>
     *
     * @param socket  the session
     * @param handler its handler
     * @throws Exception what a callback threw, after the session was closed with 1011 and
     *         {@link #terminate} was called
     */
    static void run(WebSocket socket, WebSocketHandler handler) throws Exception {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(handler, "handler");
        Callbacks.run(socket, handler);
    }
}
