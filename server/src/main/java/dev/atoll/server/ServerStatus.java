package dev.atoll.server;

/** Where a {@link Server} is in its life. */
public enum ServerStatus {
    /** Accepting connections. */
    RUNNING,
    /** Listen sockets closed by {@link Server#suspend()}; connections go on. */
    SUSPENDED,
    /** {@link Server#stop} is draining the connections. */
    STOPPING,
    /** Stopped: every listen socket and connection is closed. */
    STOPPED
}
