package dev.atoll.transport.jsse;

import dev.atoll.transport.Transport;
import dev.atoll.transport.tls.TlsConfig;

/**
 * TLS on the JDK's own {@code SSLEngine} (the SunJSSE provider), named {@code jsse}, over any
 * plain transport: {@code nio} by default, another one by configuration
 * ({@code atoll.transport}). Closing it leaves the plain transport handed to its constructor
 * running; one made from configuration is closed with it.
 *
 * <pre>{@code
 * Transport<?, ?> tls = new JsseTransport(TlsConfig.builder()
 *         .identity(TlsIdentity.pem(Path.of("cert.pem"), Path.of("key.pem"))).build(),
 *         Transports.named("nio"));
 * }</pre>
 */
public final class JsseTransport extends SslEngineTransport {

    /** The transport's name. */
    public static final String NAME = "jsse";

    /**
     * TLS over a plain transport.
     *
     * @param config the TLS configuration, checked against the JDK's provider now
     * @param plain  the plain transport under the TLS records
     * @throws IllegalArgumentException when the JDK cannot do what the configuration asks
     */
    public JsseTransport(TlsConfig config, Transport<?, ?> plain) {
        this(config, plain, false);
    }

    private JsseTransport(TlsConfig config, Transport<?, ?> plain, boolean closesPlain) {
        super(NAME, null, config, plain, closesPlain);
    }

    /** TLS over a plain transport made for it, which {@link #close()} closes. */
    static JsseTransport overOwnPlain(TlsConfig config, Transport<?, ?> plain) {
        return new JsseTransport(config, plain, true);
    }
}
