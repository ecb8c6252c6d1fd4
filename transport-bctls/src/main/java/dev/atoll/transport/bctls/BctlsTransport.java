package dev.atoll.transport.bctls;

import dev.atoll.transport.Transport;
import dev.atoll.transport.jsse.SslEngineTransport;
import dev.atoll.transport.tls.TlsConfig;

/**
 * TLS on Bouncy Castle's JSSE provider (BCJSSE), named {@code bctls}, over any plain transport.
 * It drives BCJSSE's {@code SSLEngine} with the same code as {@code jsse} and so offers the same
 * features (ALPN, SNI, client certificates, the paused handshake, STARTTLS, chunked sendfile,
 * close_notify half-close); what is Bouncy Castle's is the TLS stack and the choice of
 * {@link BctlsCrypto}. It adds, with {@link BctlsCrypto#BC}, the post-quantum hybrid key
 * exchange groups of TLS 1.3 ({@link TlsConfig.Builder#namedGroups}).
 */
public final class BctlsTransport extends SslEngineTransport {

    /** The transport's name. */
    public static final String NAME = "bctls";

    private final BctlsCrypto crypto;

    /**
     * TLS over a plain transport, with the JDK's crypto primitives under Bouncy Castle's TLS.
     *
     * @param config the TLS configuration, checked against Bouncy Castle now
     * @param plain  the plain transport under the TLS records
     */
    public BctlsTransport(TlsConfig config, Transport<?, ?> plain) {
        this(config, plain, BctlsCrypto.JDK);
    }

    /**
     * TLS over a plain transport, with the crypto chosen.
     *
     * @param config the TLS configuration, checked against Bouncy Castle now
     * @param plain  the plain transport under the TLS records
     * @param crypto where the cryptography comes from
     * @throws IllegalArgumentException when Bouncy Castle cannot do what the configuration asks
     */
    public BctlsTransport(TlsConfig config, Transport<?, ?> plain, BctlsCrypto crypto) {
        super(NAME, crypto.jsseProvider(), config, plain);
        this.crypto = crypto;
    }

    /**
     * Where the cryptography comes from.
     *
     * @return the crypto
     */
    public BctlsCrypto crypto() {
        return crypto;
    }
}
