package dev.atoll.server;

import dev.atoll.transport.Connection;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves one connection by callbacks, as Thousand Island's {@code ThousandIsland.Handler}: the
 * server receives, and calls the handler with what arrived and when something happens. One
 * handler object serves one connection, so its fields are the connection's state; every call
 * comes from the connection's own virtual thread, one at a time.
 *
 * <pre>{@code
 * class Echo implements Handler {
 *     public Action handleData(ByteBuffer data, Connection connection) throws IOException {
 *         connection.send(data);
 *         return Action.continueReading();
 *     }
 * }
 * Server.start(config, Handler.serving(Echo::new));
 * }</pre>
 *
 * <h2>When each callback is called</h2>
 * <ul>
 *   <li>{@link #handleConnection} once the handshake is done, before anything is received.</li>
 *   <li>{@link #handleData} with the bytes that arrived (at least one), whenever the last
 *       action said to continue.</li>
 *   <li>{@link #handleClose} when the peer ended the connection in order.</li>
 *   <li>{@link #handleTimeout} when the read timeout passed with no byte from the peer: the
 *       server's {@link ServerConfig#readTimeout()}, or the one of
 *       {@link Action#continueReading(java.time.Duration)} for that one wait. Only bytes from
 *       the peer start it again.</li>
 *   <li>{@link #handleShutdown} when the server stops while the connection is open: at once if
 *       the handler is waiting for bytes (its wait is ended without closing the connection, which
 *       can still send, as an SMTP server's 421), or when its current callback returns.</li>
 *   <li>{@link #handleError} when the handshake fails (also by timeout), a
 *       {@link Action#switchTransport switch of transport} fails, a receive fails (a reset), a
 *       callback throws, or a callback returns {@link Action#error}. The connection may already
 *       be closed.</li>
 * </ul>
 * After {@code handleClose}, {@code handleTimeout}, {@code handleShutdown} or {@code handleError},
 * and after {@link Action#close()}, the server closes the connection. Every callback does
 * nothing by default but {@code handleData}, which keeps reading.
 */
public interface Handler {

    /**
     * The connection is ready.
     *
     * @param connection the connection, handshaken
     * @param context    the server's side of it
     * @return what to do next
     * @throws Exception reported to {@link #handleError}, then the connection is closed
     */
    default Action handleConnection(Connection connection, ConnectionContext context) throws Exception {
        return Action.continueReading();
    }

    /**
     * Bytes arrived.
     *
     * @param data       what arrived, at least one byte; the handler's to keep
     * @param connection the connection (after a switch of transport, the new one)
     * @return what to do next
     * @throws Exception reported to {@link #handleError}, then the connection is closed
     */
    default Action handleData(ByteBuffer data, Connection connection) throws Exception {
        return Action.continueReading();
    }

    /**
     * The peer closed the connection in order.
     *
     * @param connection the connection, which may still send when the peer only half-closed
     * @throws Exception reported as the connection's failure
     */
    default void handleClose(Connection connection) throws Exception {
    }

    /**
     * The read timeout passed with no byte from the peer.
     *
     * @param connection the connection, still open
     * @throws Exception reported as the connection's failure
     */
    default void handleTimeout(Connection connection) throws Exception {
    }

    /**
     * The server is stopping.
     *
     * @param connection the connection, open unless the server's drain time ran out
     * @throws Exception reported as the connection's failure
     */
    default void handleShutdown(Connection connection) throws Exception {
    }

    /**
     * Something failed.
     *
     * @param error      what failed
     * @param connection the connection, possibly closed
     * @throws Exception added to the failure reported
     */
    default void handleError(Throwable error, Connection connection) throws Exception {
    }

    /**
     * A {@link ConnectionHandler} that runs a new handler from {@code handlers} for each connection.
     *
     * @param handlers makes one handler per connection
     * @return the connection handler to start a {@link Server} with
     */
    static ConnectionHandler serving(Supplier<? extends Handler> handlers) {
        return new CallbackConnectionHandler(Objects.requireNonNull(handlers, "handlers"));
    }

    /** The continuation of a callback: read on, close, switch transport, or fail. */
    sealed interface Action {

        /**
         * Read on; the next wait has the server's read timeout.
         *
         * @return the action
         */
        static Action continueReading() {
            return Continue.DEFAULT;
        }

        /**
         * Read on; the next wait has this timeout.
         *
         * @param readTimeout how long to wait for the peer's next bytes
         * @return the action
         */
        static Action continueReading(java.time.Duration readTimeout) {
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (readTimeout.isNegative()) {
                throw new IllegalArgumentException("readTimeout: " + readTimeout + " is negative");
            }
            return new Continue(readTimeout);
        }

        /**
         * Close the connection.
         *
         * @return the action
         */
        static Action close() {
            return Close.INSTANCE;
        }

        /**
         * Switch the connection to a secure transport in place (STARTTLS): the server upgrades it
         * as the TLS server, runs the handshake with {@link ServerConfig#handshakeTimeout()},
         * and reads on over TLS. Bytes already received and not handled go along. A failure goes
         * to {@link #handleError}.
         *
         * @param secure the secure transport, configured with the server's identity
         * @return the action
         */
        static Action switchTransport(dev.atoll.transport.Transport<?, ?> secure) {
            return new SwitchTransport(Objects.requireNonNull(secure, "secure"));
        }

        /**
         * Fail the connection: {@link #handleError} with the reason, then close; the reason is
         * the connection's reported failure.
         *
         * @param reason why
         * @return the action
         */
        static Action error(Throwable reason) {
            return new Error(Objects.requireNonNull(reason, "reason"));
        }

        /**
         * Read on.
         *
         * @param readTimeout the next wait's timeout, or {@code null} for the server's
         */
        record Continue(java.time.Duration readTimeout) implements Action {
            static final Continue DEFAULT = new Continue(null);
        }

        /** Close the connection. */
        record Close() implements Action {
            static final Close INSTANCE = new Close();
        }

        /**
         * Upgrade to a secure transport and read on.
         *
         * @param transport the secure transport
         */
        record SwitchTransport(dev.atoll.transport.Transport<?, ?> transport) implements Action {
        }

        /**
         * Fail the connection.
         *
         * @param reason why
         */
        record Error(Throwable reason) implements Action {
        }
    }
}
