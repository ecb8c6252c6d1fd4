package dev.atoll.transport;

/**
 * A TLS property (ALPN result, peer certificate) was asked of a plain connection (rule
 * SECURE-1). Distinct from a secure connection that negotiated nothing, which answers with an
 * empty result.
 */
public class NotSecureException extends UnsupportedFeatureException {

    /**
     * A TLS question to a plain connection.
     *
     * @param message what was asked, of which connection
     */
    public NotSecureException(String message) {
        super(message);
    }
}
