package dev.atoll.server;

/** What a {@link Server} does with new clients while it holds {@link ServerConfig#maxConnections()} connections. */
public enum LimitPolicy {

    /**
     * Stop accepting until a connection ends (Ranch's behaviour): new clients wait in the
     * kernel's backlog, and nothing is accepted only to be closed. The default.
     */
    PAUSE_ACCEPTING,

    /**
     * Keep accepting; a connection accepted at the limit waits up to
     * {@link ServerConfig#limitWait()} for a place, and is closed (reported through
     * {@link Telemetry#connectionRefused}) if none frees up (Thousand Island's behaviour).
     * Clients learn at once that the server is full instead of waiting in the backlog.
     */
    CLOSE_AFTER_WAIT
}
