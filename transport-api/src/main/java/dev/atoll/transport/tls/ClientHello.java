package dev.atoll.transport.tls;

import java.util.List;
import java.util.Optional;

/**
 * What a TLS client asked for in its ClientHello, read before the server answers: the paused
 * handshake of {@link dev.atoll.transport.Connection#clientHello} (Ranch's
 * {@code {continue, Info}}). Immutable.
 *
 * @param serverName       the SNI host name, if the client sent one
 * @param alpnProtocols    the application protocols offered through ALPN, in the client's order
 * @param versions         the TLS versions offered ({@code TLSv1.3}, {@code TLSv1.2}, ...), from
 *                         the supported_versions extension or else the legacy version field;
 *                         unknown values as {@code 0x....}
 * @param cipherSuites     the cipher suites offered, by IANA name where known, else
 *                         {@code 0x....}
 * @param length           the size of the ClientHello message in bytes
 */
public record ClientHello(Optional<String> serverName, List<String> alpnProtocols, List<String> versions,
                          List<String> cipherSuites, int length) {

    /**
     * Copies the lists.
     *
     * @param serverName    the SNI host name
     * @param alpnProtocols the ALPN offers
     * @param versions      the versions offered
     * @param cipherSuites  the cipher suites offered
     * @param length        the message size
     */
    public ClientHello {
        alpnProtocols = List.copyOf(alpnProtocols);
        versions = List.copyOf(versions);
        cipherSuites = List.copyOf(cipherSuites);
    }
}
