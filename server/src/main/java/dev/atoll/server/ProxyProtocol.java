package dev.atoll.server;

/**
 * Whether a server's clients arrive through a proxy that speaks HAProxy's PROXY protocol, and
 * which version. When it is on, every connection must begin with the header (read before the
 * TLS handshake, however it is split, within {@link ServerConfig#handshakeTimeout()} and
 * {@link ServerConfig#proxyHeaderLimit()}); a connection without one, or with a malformed one, is
 * closed and reported as a failed handshake. Only turn it on behind a proxy: a client that can
 * send the header itself can claim any address.
 */
public enum ProxyProtocol {
    /** No header: the default. */
    NONE,
    /** Version 1, the text header ({@code PROXY TCP4 ...\r\n}). */
    V1,
    /** Version 2, the binary header, with its TLVs. */
    V2,
    /** Either version, told apart by the first byte (HAProxy's {@code accept-proxy}, Ranch's {@code proxy_header}). */
    ANY
}
