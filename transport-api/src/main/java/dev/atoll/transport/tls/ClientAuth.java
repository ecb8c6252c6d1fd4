package dev.atoll.transport.tls;

/** Whether a TLS server asks the client for a certificate. */
public enum ClientAuth {
    /** The server does not ask. */
    NONE,
    /** The server asks; a client without a certificate may still connect. */
    OPTIONAL,
    /** The server asks, and refuses a client without a trusted certificate. */
    REQUIRED
}
