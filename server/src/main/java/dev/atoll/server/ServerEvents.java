package dev.atoll.server;

import dev.atoll.transport.SocketStats;
import dev.atoll.transport.tls.TlsSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/** Reports each event of a server once: to JFR, and to the application's {@link Telemetry}. */
final class ServerEvents {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final Telemetry telemetry;

    ServerEvents(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    void listener(InetSocketAddress address, boolean open) {
        JfrEvents.ListenerEvent e = new JfrEvents.ListenerEvent();
        if (e.shouldCommit()) {
            e.address = String.valueOf(address);
            e.open = open;
            e.commit();
        }
        tell(t -> {
            if (open) {
                t.listenerStarted(address);
            } else {
                t.listenerStopped(address);
            }
        });
    }

    void connectionStarted(ConnectionInfo info) {
        tell(t -> t.connectionStarted(info));
    }

    void handshakeCompleted(ConnectionInfo info, JfrEvents.HandshakeEvent e, long startNanos, TlsSession tls) {
        e.end();
        if (e.shouldCommit()) {
            fill(e, info);
            if (tls != null) {
                e.tlsVersion = tls.protocol();
                e.cipherSuite = tls.cipherSuite();
                e.serverName = tls.serverName().orElse(null);
                e.applicationProtocol = tls.applicationProtocol().orElse(null);
            }
            e.commit();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        tell(t -> t.handshakeCompleted(info, took, java.util.Optional.ofNullable(tls)));
    }

    void handshakeFailed(ConnectionInfo info, JfrEvents.HandshakeEvent e, long startNanos, IOException cause) {
        e.end();
        if (e.shouldCommit()) {
            fill(e, info);
            e.failure = String.valueOf(cause);
            e.commit();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        tell(t -> t.handshakeFailed(info, took, cause));
    }

    private static void fill(JfrEvents.HandshakeEvent e, ConnectionInfo info) {
        e.id = info.id();
        e.peer = String.valueOf(info.peer());
        e.transport = info.transport();
    }

    void connectionStopped(ConnectionInfo info, JfrEvents.ConnectionEvent e, long startNanos, SocketStats stats,
                           Throwable failure) {
        e.end();
        if (e.shouldCommit()) {
            e.id = info.id();
            e.peer = String.valueOf(info.peer());
            e.local = String.valueOf(info.local());
            e.transport = info.transport();
            e.bytesReceived = stats.recvOctets();
            e.bytesSent = stats.sendOctets();
            e.failure = failure == null ? null : String.valueOf(failure);
            e.commit();
        }
        Duration lifetime = Duration.ofNanos(System.nanoTime() - startNanos);
        tell(t -> t.connectionStopped(info, lifetime, stats, failure));
    }

    void connectionRefused(InetSocketAddress peer, String reason) {
        JfrEvents.RefusedEvent e = new JfrEvents.RefusedEvent();
        if (e.shouldCommit()) {
            e.peer = String.valueOf(peer);
            e.reason = reason;
            e.commit();
        }
        tell(t -> t.connectionRefused(peer, reason));
    }

    void acceptFailed(InetSocketAddress listener, IOException cause, Duration backoff) {
        JfrEvents.AcceptErrorEvent e = new JfrEvents.AcceptErrorEvent();
        if (e.shouldCommit()) {
            e.listener = String.valueOf(listener);
            e.error = String.valueOf(cause);
            e.backoff = backoff.toMillis();
            e.commit();
        }
        tell(t -> t.acceptFailed(listener, cause, backoff));
    }

    private void tell(Consumer<Telemetry> event) {
        if (telemetry == Telemetry.NONE) {
            return;
        }
        try {
            event.accept(telemetry);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the server's telemetry failed on an event", e);
        }
    }
}
