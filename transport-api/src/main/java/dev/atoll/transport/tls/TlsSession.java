package dev.atoll.transport.tls;

import java.util.Objects;
import java.util.Optional;

/**
 * What a connection's TLS handshake agreed, for logs, telemetry and the application's own
 * checks.
 *
 * @param protocol            the TLS version, such as {@code TLSv1.3}
 * @param cipherSuite         the cipher suite, such as {@code TLS_AES_128_GCM_SHA256}
 * @param serverName          the server name the client asked for (SNI), if it asked
 * @param applicationProtocol the application protocol agreed through ALPN, if any
 */
public record TlsSession(String protocol, String cipherSuite, Optional<String> serverName,
                         Optional<String> applicationProtocol) {

    /**
     * Checks the parts.
     *
     * @param protocol            the TLS version
     * @param cipherSuite         the cipher suite
     * @param serverName          the requested server name, or empty
     * @param applicationProtocol the ALPN result, or empty
     */
    public TlsSession {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(applicationProtocol, "applicationProtocol");
    }
}
