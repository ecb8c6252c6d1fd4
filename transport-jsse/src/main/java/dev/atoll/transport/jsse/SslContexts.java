package dev.atoll.transport.jsse;

import dev.atoll.transport.tls.ClientAuth;
import dev.atoll.transport.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Makes {@link SSLContext}s and {@link SSLEngine}s from a {@link TlsConfig}, on a given JSSE
 * provider: the one place a secure transport turns Atoll's configuration into its TLS
 * library's. A backend on another JSSE provider (Bouncy Castle's) names its provider and reuses
 * the rest.
 */
public final class SslContexts {

    /** How the name of a signalling cipher suite value, which is no cipher suite, ends. */
    private static final String SIGNALLING = "_SCSV";

    private final Provider provider;

    /**
     * Contexts on a provider.
     *
     * @param provider the JSSE provider, or {@code null} for the JDK's default
     */
    public SslContexts(Provider provider) {
        this.provider = provider;
    }

    /**
     * A context holding the configuration's identities and trust anchors, checked now: every
     * protocol, cipher suite and named group it names must be one the provider supports, and
     * at least one of its cipher suites must run over one of its protocols.
     *
     * @param config the configuration
     * @return the context
     * @throws IllegalArgumentException naming what the provider cannot do, and what it can
     */
    public SSLContext context(TlsConfig config) {
        try {
            SSLContext context = config.sslContext().isPresent() ? config.sslContext().get() : newContext(config);
            SSLParameters supported = context.getSupportedSSLParameters();
            String providerName = context.getProvider().getName();
            List<String> protocols = Arrays.asList(supported.getProtocols());
            requireSupported("protocol", config.protocols(), protocols, providerName);
            if (config.cipherSuites().isPresent()) {
                List<String> suites = config.cipherSuites().get();
                List<String> offered = Arrays.stream(supported.getCipherSuites())
                        .filter(suite -> config.protocols().stream().anyMatch(p -> runsOver(suite, p))).toList();
                requireSupported("cipher suite", suites, offered, providerName + " over " + config.protocols());
                if (suites.stream().allMatch(suite -> suite.endsWith(SIGNALLING))) {
                    throw new IllegalArgumentException("TLS configuration: the cipher suites " + suites + " are only "
                            + "signalling values; " + providerName + " offers " + offered);
                }
            }
            if (!config.namedGroups().isEmpty() && supported.getNamedGroups() != null) {
                requireSupported("named group", config.namedGroups(), Arrays.asList(supported.getNamedGroups()), providerName);
            }
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a cipher suite runs over a protocol version: a TLS 1.3 suite names only its AEAD
     * and hash ({@code TLS_AES_128_GCM_SHA256}), a TLS 1.2 suite its key exchange and
     * authentication {@code _WITH_} them; a signalling value ({@code _SCSV}) goes with either.
     */
    static boolean runsOver(String suite, String protocol) {
        if (suite.endsWith(SIGNALLING)) {
            return true;
        }
        boolean tls13Suite = !suite.contains("_WITH_");
        return switch (protocol) {
            case "TLSv1.3" -> tls13Suite;
            case "TLSv1.2" -> !tls13Suite;
            default -> false;
        };
    }

    private SSLContext newContext(TlsConfig config) throws GeneralSecurityException, IOException {
        SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        KeyManager[] keys = config.identity()
                .map(id -> new KeyManager[] {new SniKeyManager(id, config.identitiesByName())})
                .orElse(null);
        context.init(keys, trustManagers(config), new SecureRandom());
        return context;
    }

    private TrustManager[] trustManagers(TlsConfig config) throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (config.trusted().isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            List<X509Certificate> trusted = config.trusted().get();
            for (int i = 0; i < trusted.size(); i++) {
                anchors.setCertificateEntry("anchor-" + i, trusted.get(i));
            }
            factory.init(anchors);
        }
        return factory.getTrustManagers();
    }

    private static void requireSupported(String what, List<String> wanted, List<String> supported, String provider) {
        for (String w : wanted) {
            if (!supported.contains(w)) {
                throw new IllegalArgumentException("TLS configuration: the " + what + " " + w + " is not supported by "
                        + provider + ", which offers " + supported);
            }
        }
    }

    /**
     * An engine for one connection, set up as the configuration says: protocols, suites, ALPN,
     * and for a client SNI and hostname verification, for a server client authentication.
     *
     * @param context the context made by {@link #context}
     * @param config  the configuration
     * @param client  {@code true} for the client side
     * @param peer    the peer's address (a client verifies the server's name against it unless
     *                the configuration names the server)
     * @return the engine
     */
    public static SSLEngine engine(SSLContext context, TlsConfig config, boolean client, InetSocketAddress peer) {
        String host = config.serverName().orElse(peer.getHostString());
        SSLEngine engine = client ? context.createSSLEngine(host, peer.getPort()) : context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(config.protocols().toArray(new String[0]));
        config.cipherSuites().ifPresent(s -> parameters.setCipherSuites(s.toArray(new String[0])));
        if (!config.alpn().isEmpty()) {
            parameters.setApplicationProtocols(config.alpn().toArray(new String[0]));
        }
        if (!config.namedGroups().isEmpty()) {
            parameters.setNamedGroups(config.namedGroups().toArray(new String[0]));
        }
        if (client) {
            if (config.hostnameVerification()) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            config.serverName().ifPresent(name -> parameters.setServerNames(List.of(new SNIHostName(name))));
        } else {
            parameters.setNeedClientAuth(config.clientAuth() == ClientAuth.REQUIRED);
            if (config.clientAuth() == ClientAuth.OPTIONAL) {
                parameters.setWantClientAuth(true);
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }
}
