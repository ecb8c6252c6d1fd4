package dev.atoll.transport;

/** Which direction of a connection {@link Transport#shutdown} closes. */
public enum ShutdownHow {
    /** No more receiving: later receives report an end of stream. */
    READ,
    /** No more sending: the peer sees an orderly end of stream (TLS: close_notify). */
    WRITE,
    /** Both directions. */
    BOTH
}
