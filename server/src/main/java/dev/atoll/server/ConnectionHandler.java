package dev.atoll.server;

import dev.atoll.transport.Connection;

/**
 * Serves one connection, blocking: the server calls {@link #handle} on the connection's own
 * virtual thread once its handshake is done, and closes the connection when {@code handle}
 * returns or throws. Blocking receives and sends are the natural way to write it:
 *
 * <pre>{@code
 * ConnectionHandler echo = (connection, context) -> {
 *     while (!context.stopping()) {
 *         connection.send(connection.recv(0, Duration.ofSeconds(30)));
 *     }
 * };
 * }</pre>
 *
 * An {@link dev.atoll.transport.EndOfStreamException} (the client closed), or a
 * {@link dev.atoll.transport.ConnectionClosedException} while the server stops, ends the
 * connection in order; any other exception is reported as the connection's failure
 * ({@link Telemetry#connectionStopped}), and logged when it is not an {@link java.io.IOException}.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * Serves the connection until done.
     *
     * @param connection the connection, handshaken
     * @param context    the server's side of it: its id, the client's address, the stop signal
     * @throws Exception anything; the connection is closed and the failure reported
     */
    void handle(Connection connection, ConnectionContext context) throws Exception;

    /**
     * The connection's handshake failed (or timed out) and {@link #handle} will not be called;
     * the server has reported it ({@link Telemetry#handshakeFailed}) and closes the connection
     * after this returns. Does nothing by default.
     *
     * @param cause      why
     * @param connection the connection, closed by the failed handshake
     * @param context    the server's side of it
     * @throws Exception added to the failure reported
     */
    default void handshakeFailed(java.io.IOException cause, Connection connection, ConnectionContext context) throws Exception {
    }
}
