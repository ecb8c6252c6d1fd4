package dev.atoll.server;

import dev.atoll.transport.SocketStats;
import dev.atoll.transport.tls.TlsSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Receives a {@link Server}'s events, for a metrics or tracing library; every method does
 * nothing unless overridden. The same events are recorded as JFR events ({@code dev.atoll.server.*})
 * whether or not a telemetry is set.
 *
 * <p>Every connection the server accepts and keeps gets exactly one
 * {@link #connectionStarted} and, later, exactly one {@link #connectionStopped}, whatever
 * fails in between (the handshake, the handler, the stop). A connection refused at the limit
 * gets {@link #connectionRefused} instead.
 *
 * <p>The methods are called on the threads of the server (acceptors and connections) and must
 * not block. An exception thrown by one is logged and otherwise ignored.
 */
public interface Telemetry {

    /** A telemetry that ignores every event. */
    Telemetry NONE = new Telemetry() {
    };

    /**
     * A listen socket is open and accepting (at start and at {@link Server#resume()}).
     *
     * @param address its address
     */
    default void listenerStarted(InetSocketAddress address) {
    }

    /**
     * A listen socket is closed (at {@link Server#suspend()} and at stop).
     *
     * @param address its address
     */
    default void listenerStopped(InetSocketAddress address) {
    }

    /**
     * A connection was accepted and has a place under the limit; its handshake comes next.
     *
     * @param connection the connection
     */
    default void connectionStarted(ConnectionInfo connection) {
    }

    /**
     * A connection's handshake completed (also reported for plain transports, whose handshake
     * does nothing).
     *
     * @param connection the connection
     * @param took       how long the handshake took (with the PROXY header, when one came first)
     * @param tls        what a TLS handshake agreed: version, cipher suite, server name, ALPN;
     *                   empty on a plain transport
     */
    default void handshakeCompleted(ConnectionInfo connection, Duration took, java.util.Optional<TlsSession> tls) {
    }

    /**
     * A connection's handshake failed or timed out; the connection is closed and
     * {@link #connectionStopped} follows.
     *
     * @param connection the connection
     * @param took       how long it took to fail
     * @param cause      why
     */
    default void handshakeFailed(ConnectionInfo connection, Duration took, IOException cause) {
    }

    /**
     * A connection ended and is closed.
     *
     * @param connection the connection
     * @param lifetime   from acceptance to close
     * @param stats      its traffic
     * @param failure    why it ended, when not in order: the handshake's or the handler's
     *                   exception; {@code null} when the handler returned, or the peer closed
     *                   the connection in order
     */
    default void connectionStopped(ConnectionInfo connection, Duration lifetime, SocketStats stats, Throwable failure) {
    }

    /**
     * A connection was accepted at the limit and closed at once
     * ({@link LimitPolicy#CLOSE_AFTER_WAIT}).
     *
     * @param peer   the client
     * @param reason why, such as the limit and the wait
     */
    default void connectionRefused(InetSocketAddress peer, String reason) {
    }

    /**
     * Accepting failed; the acceptor waits {@code backoff} and goes on.
     *
     * @param listener the listen socket's address
     * @param cause    the error
     * @param backoff  how long the acceptor waits before it accepts again
     */
    default void acceptFailed(InetSocketAddress listener, IOException cause, Duration backoff) {
    }
}
