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
    ANY;

    /**
     * The setting by the name configuration and command lines use: {@code none}, {@code v1},
     * {@code v2} or {@code any} (the key {@code atoll.server.proxy-protocol} of {@link ServerConfig}).
     *
     * @param name the name, surrounding white space ignored
     * @return the setting
     * @throws IllegalArgumentException when the name is none of those
     */
    public static ProxyProtocol named(String name) {
        return switch (name.strip()) {
            case "none" -> NONE;
            case "v1" -> V1;
            case "v2" -> V2;
            case "any" -> ANY;
            default -> throw new IllegalArgumentException("'" + name + "' is not none, v1, v2 or any");
        };
    }
}
