package dev.atoll.transport.bctls;

import dev.atoll.transport.Transport;
import dev.atoll.transport.jsse.SslEngineTransport;
import dev.atoll.transport.tls.TlsConfig;
import java.util.HashMap;
import java.util.Map;
import dev.atoll.transport.jsse.SslContexts;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.tls.NamedGroup;

/**
 * TLS on Bouncy Castle's JSSE provider (BCJSSE), named {@code bctls}, over any plain transport.
 * It drives BCJSSE's {@code SSLEngine} with the same code as {@code jsse} and so offers the same
 * features (ALPN, SNI, client certificates, the paused handshake, STARTTLS, chunked sendfile,
 * sendfile); what is Bouncy Castle's is the TLS stack and the choice of {@link BctlsCrypto}.
 * It adds, with {@link BctlsCrypto#BC}, the post-quantum hybrid key exchange groups of TLS 1.3
 * ({@link TlsConfig.Builder#namedGroups}, such as {@code X25519MLKEM768}). It lacks TLS
 * half-close: Bouncy Castle's TLS closes both directions when it sends close_notify, so after
 * {@code shutdown(WRITE)} a receive is a {@link dev.atoll.transport.ConnectionClosedException}
 * that says so. Closing the transport leaves the plain transport handed to its constructor
 * running; one made from configuration is closed with it.
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
        this(config, plain, crypto, false);
    }

    private BctlsTransport(TlsConfig config, Transport<?, ?> plain, BctlsCrypto crypto, boolean closesPlain) {
        super(NAME, crypto.jsseProvider(), requireUsableGroups(config, crypto), plain, closesPlain);
        this.crypto = crypto;
    }

    /** TLS over a plain transport made for it, which {@link #close()} closes. */
    static BctlsTransport overOwnPlain(TlsConfig config, Transport<?, ?> plain, BctlsCrypto crypto) {
        return new BctlsTransport(config, plain, crypto, true);
    }

    /** Every named group must be one Bouncy Castle knows; a hybrid one needs its own crypto. */
    private static TlsConfig requireUsableGroups(TlsConfig config, BctlsCrypto crypto) {
        Map<String, Integer> known = new HashMap<>();
        for (int group = 0; group <= 0xFFFF; group++) {
            if (NamedGroup.refersToASpecificGroup(group)) {
                known.put(NamedGroup.getName(group), group);
            }
        }
        for (String name : config.namedGroups()) {
            Integer group = known.get(name);
            if (group == null) {
                throw new IllegalArgumentException("TLS configuration: the named group " + name
                        + " is not supported by Bouncy Castle");
            }
            if (NamedGroup.refersToASpecificHybrid(group) && crypto != BctlsCrypto.BC) {
                throw new IllegalArgumentException("TLS configuration: the hybrid post-quantum group " + name
                        + " needs Bouncy Castle's own crypto (atoll.bctls.crypto=bc, BctlsCrypto.BC)");
            }
        }
        return config;
    }

    private static final String NAMED_GROUPS_PROPERTY = "jdk.tls.namedGroups";
    private static final Object NAMED_GROUPS_LOCK = new Object();

    /**
     * Bouncy Castle enables, per context, only the groups of the {@code jdk.tls.namedGroups}
     * system property (its defaults leave the hybrid post-quantum ones out). A context for a
     * configuration that names groups is made with the property set to them, and the property
     * restored at once; no other context sees it.
     */
    @Override
    protected SSLContext createContext(SslContexts contexts, TlsConfig config) {
        if (config.namedGroups().isEmpty()) {
            return contexts.context(config);
        }
        synchronized (NAMED_GROUPS_LOCK) {
            String before = System.getProperty(NAMED_GROUPS_PROPERTY);
            System.setProperty(NAMED_GROUPS_PROPERTY, String.join(",", config.namedGroups()));
            try {
                return contexts.context(config);
            } finally {
                if (before == null) {
                    System.clearProperty(NAMED_GROUPS_PROPERTY);
                } else {
                    System.setProperty(NAMED_GROUPS_PROPERTY, before);
                }
            }
        }
    }

    /** Bouncy Castle reads the named groups from its own parameters, not the JDK's. */
    @Override
    protected void configureEngine(SSLEngine engine, TlsConfig config) {
        if (!config.namedGroups().isEmpty() && engine instanceof BCSSLEngine bc) {
            BCSSLParameters parameters = bc.getParameters();
            parameters.setNamedGroups(config.namedGroups().toArray(new String[0]));
            bc.setParameters(parameters);
        }
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
