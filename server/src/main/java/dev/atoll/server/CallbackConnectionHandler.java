package dev.atoll.server;

import dev.atoll.server.Handler.Action;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.ShutdownHow;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a callback {@link Handler} on the blocking style: the connection's thread receives, and
 * calls the handler with what arrives and when the peer closes, the read timeout passes, the
 * server stops or something fails.
 */
final class CallbackConnectionHandler implements ConnectionHandler {

    private final Supplier<? extends Handler> handlers;

    CallbackConnectionHandler(Supplier<? extends Handler> handlers) {
        this.handlers = handlers;
    }

    @Override
    public void handshakeFailed(IOException cause, Connection connection, ConnectionContext context) throws Exception {
        handlers.get().handleError(cause, connection);
    }

    @Override
    public void handle(Connection connection, ConnectionContext context) throws Exception {
        Handler handler = handlers.get();
        // A stop ends the wait for bytes without closing: the handler can still say goodbye.
        context.onStop(() -> endInput(context.connection()));
        Action action;
        try {
            action = handler.handleConnection(connection, context);
        } catch (Exception e) {
            fail(handler, e, context);
            return;
        }
        Duration readTimeout = context.readTimeout();
        while (true) {
            switch (action) {
                case Action.Close close -> {
                    return;
                }
                case Action.Error error -> {
                    fail(handler, error.reason(), context);
                    return;
                }
                case Action.SwitchTransport switchTo -> {
                    try {
                        Connection upgraded = context.connection().upgrade(switchTo.transport(), true);
                        context.use(upgraded);
                        context.use(upgraded.handshake(context.handshakeTimeout()));
                    } catch (IOException | RuntimeException e) {
                        fail(handler, e, context);
                        return;
                    }
                    readTimeout = context.readTimeout();
                }
                case Action.Continue next -> readTimeout = next.readTimeout() != null ? next.readTimeout() : context.readTimeout();
            }
            Connection current = context.connection();
            if (context.stopping()) {
                handler.handleShutdown(current);
                return;
            }
            ByteBuffer data;
            try {
                data = current.recv(0, readTimeout);
            } catch (EndOfStreamException end) {
                if (context.stopping()) {
                    handler.handleShutdown(current);
                } else {
                    handler.handleClose(current);
                }
                return;
            } catch (SocketTimeoutException timeout) {
                handler.handleTimeout(current);
                return;
            } catch (ConnectionClosedException closed) {
                if (context.stopping()) {   // the drain time ran out and the server closed it
                    handler.handleShutdown(current);
                } else {
                    fail(handler, closed, context);
                }
                return;
            } catch (IOException e) {
                fail(handler, e, context);
                return;
            }
            try {
                action = handler.handleData(data, current);
            } catch (Exception e) {
                fail(handler, e, context);
                return;
            }
        }
    }

    /** Tells the handler, and makes {@code error} the connection's reported failure. */
    private static void fail(Handler handler, Throwable error, ConnectionContext context) {
        try {
            handler.handleError(error, context.connection());
        } catch (Exception e) {
            if (e != error) {
                error.addSuppressed(e);
            }
        }
        context.failed(error);
    }

    private static void endInput(Connection c) {
        try {
            c.shutdown(ShutdownHow.READ);
        } catch (IOException | RuntimeException closedOrCannot) {
            // Closed already, or a transport without half-close: the stop's drain closes it.
        }
    }
}
