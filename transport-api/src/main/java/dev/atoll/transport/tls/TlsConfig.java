package dev.atoll.transport.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How a secure transport runs TLS, whichever TLS library it uses: what it presents, whom it
 * trusts, which versions, suites and application protocols it offers, and how long a handshake
 * may take. Immutable; made with {@link #builder()}, which checks everything it can when
 * {@link Builder#build()} is called, so a misconfiguration fails there and not on the first
 * connection. The transport checks the rest (cipher suite names, say) when it is made.
 *
 * <p>Two configurations are equal when every setting is equal (identities and trust anchors by
 * their keys and certificates, a ready-made {@link SSLContext} by identity), so a configuration
 * derived for each connection through {@link #toBuilder()} with the same settings is equal to
 * the last one, and a transport reuses what it made for it.
 *
 * <p>Defaults are safe: TLS 1.3 and 1.2 only, the JDK's default trust anchors, hostname
 * verification on the client side, no client certificates, a 10 second handshake timeout.
 *
 * <pre>{@code
 * TlsConfig server = TlsConfig.builder()
 *         .identity(TlsIdentity.pem(Path.of("cert.pem"), Path.of("key.pem")))
 *         .alpn("h2", "http/1.1")
 *         .build();
 * TlsConfig client = TlsConfig.builder().trust(Path.of("ca.pem")).alpn("h2").build();
 * }</pre>
 */
public final class TlsConfig {

    /** The protocol versions offered by default, and the only ones Atoll accepts. */
    public static final List<String> SAFE_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The default handshake timeout. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final TlsIdentity identity;
    private final Map<String, TlsIdentity> identitiesByName;
    private final List<X509Certificate> trusted;
    private final SSLContext sslContext;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> alpn;
    private final List<String> namedGroups;
    private final String serverName;
    private final ClientAuth clientAuth;
    private final boolean hostnameVerification;
    private final Duration handshakeTimeout;

    private TlsConfig(Builder b) {
        this.identity = b.identity;
        this.identitiesByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.identitiesByName));
        this.trusted = b.trusted == null ? null : List.copyOf(b.trusted);
        this.sslContext = b.sslContext;
        this.protocols = List.copyOf(b.protocols);
        this.cipherSuites = b.cipherSuites == null ? null : List.copyOf(b.cipherSuites);
        this.alpn = List.copyOf(b.alpn);
        this.namedGroups = List.copyOf(b.namedGroups);
        this.serverName = b.serverName;
        this.clientAuth = b.clientAuth;
        this.hostnameVerification = b.hostnameVerification;
        this.handshakeTimeout = b.handshakeTimeout;
    }

    /**
     * A builder with the safe defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's settings, to derive a variant (the settings a
     * paused handshake continues with, for instance).
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.identity = identity;
        b.identitiesByName.putAll(identitiesByName);
        b.trusted = trusted == null ? null : new ArrayList<>(trusted);
        b.sslContext = sslContext;
        b.protocols = protocols;
        b.cipherSuites = cipherSuites;
        b.alpn = alpn;
        b.namedGroups = namedGroups;
        b.serverName = serverName;
        b.clientAuth = clientAuth;
        b.hostnameVerification = hostnameVerification;
        b.handshakeTimeout = handshakeTimeout;
        return b;
    }

    /**
     * What this side presents when no per-name identity applies.
     *
     * @return the identity, if any
     */
    public Optional<TlsIdentity> identity() {
        return Optional.ofNullable(identity);
    }

    /**
     * What a server presents to a client that asks for a given name through SNI (lower case).
     *
     * @return the identities by server name
     */
    public Map<String, TlsIdentity> identitiesByName() {
        return identitiesByName;
    }

    /**
     * The trust anchors peers' certificates must chain to.
     *
     * @return the anchors, or empty for the JDK's default ones
     */
    public Optional<List<X509Certificate>> trusted() {
        return Optional.ofNullable(trusted);
    }

    /**
     * A ready-made {@link SSLContext} that replaces identity and trust; only backends on that
     * context's provider can use it.
     *
     * @return the context, if one was given
     */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /**
     * The protocol versions offered, most preferred first.
     *
     * @return the versions
     */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * The cipher suites offered.
     *
     * @return the suites, or empty for the TLS library's defaults
     */
    public Optional<List<String>> cipherSuites() {
        return Optional.ofNullable(cipherSuites);
    }

    /**
     * The application protocols offered (client) or accepted in this order of preference
     * (server) through ALPN; empty for no ALPN.
     *
     * @return the protocols
     */
    public List<String> alpn() {
        return alpn;
    }

    /**
     * The key-exchange groups offered, most preferred first ({@code x25519}, {@code secp256r1},
     * or a hybrid post-quantum group such as {@code X25519MLKEM768} where the TLS library has it).
     *
     * @return the groups, or empty for the TLS library's defaults
     */
    public List<String> namedGroups() {
        return namedGroups;
    }

    /**
     * The name a client sends through SNI and verifies the server's certificate against.
     *
     * @return the name, or empty to use the host of the address connected to
     */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /**
     * Whether a server asks for client certificates.
     *
     * @return the mode
     */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * Whether a client checks that the server's certificate names the server.
     *
     * @return {@code true} by default
     */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /**
     * How long a handshake may take when it runs without an explicit timeout (on the first
     * receive or send of a connection that was not handshaken).
     *
     * @return the timeout
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Whether {@code other} is a configuration with equal settings.
     *
     * @param other the object to compare with
     * @return {@code true} when every setting is equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TlsConfig that
                && Objects.equals(identity, that.identity)
                && identitiesByName.equals(that.identitiesByName)
                && Objects.equals(trusted, that.trusted)
                && sslContext == that.sslContext
                && protocols.equals(that.protocols)
                && Objects.equals(cipherSuites, that.cipherSuites)
                && alpn.equals(that.alpn)
                && namedGroups.equals(that.namedGroups)
                && Objects.equals(serverName, that.serverName)
                && clientAuth == that.clientAuth
                && hostnameVerification == that.hostnameVerification
                && handshakeTimeout.equals(that.handshakeTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, identitiesByName, trusted, System.identityHashCode(sslContext), protocols, cipherSuites,
                alpn, namedGroups, serverName, clientAuth, hostnameVerification, handshakeTimeout);
    }

    /** Collects settings; {@link #build()} checks them. */
    public static final class Builder {
        private TlsIdentity identity;
        private final Map<String, TlsIdentity> identitiesByName = new LinkedHashMap<>();
        private List<X509Certificate> trusted;
        private SSLContext sslContext;
        private List<String> protocols = SAFE_PROTOCOLS;
        private List<String> cipherSuites;
        private List<String> alpn = List.of();
        private List<String> namedGroups = List.of();
        private String serverName;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean hostnameVerification = true;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {
        }

        /**
         * What this side presents.
         *
         * @param identity the key and certificate chain
         * @return this builder
         */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * What a server presents to clients asking for {@code serverName} through SNI.
         *
         * @param serverName the host name, matched without regard to case
         * @param identity   the key and certificate chain for it
         * @return this builder
         */
        public Builder identity(String serverName, TlsIdentity identity) {
            identitiesByName.put(serverName.toLowerCase(Locale.ROOT), Objects.requireNonNull(identity, "identity"));
            return this;
        }

        /**
         * Trusts exactly these certificates as anchors, instead of the JDK's defaults.
         *
         * @param anchors the trust anchors
         * @return this builder
         */
        public Builder trust(List<X509Certificate> anchors) {
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("trust: no certificates; to trust the JDK's defaults, do not call trust");
            }
            this.trusted = List.copyOf(anchors);
            return this;
        }

        /**
         * Trusts the certificates of a PEM file as anchors.
         *
         * @param pemFile the certificates
         * @return this builder
         * @throws IOException when the file cannot be read
         */
        public Builder trust(Path pemFile) throws IOException {
            List<X509Certificate> anchors = TlsIdentity.certificates(pemFile);
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException(pemFile + ": no certificate to trust");
            }
            return trust(anchors);
        }

        /**
         * Trusts the certificate entries of a key store as anchors.
         *
         * @param trustStore the store
         * @return this builder
         */
        public Builder trust(KeyStore trustStore) {
            List<X509Certificate> anchors = new ArrayList<>();
            try {
                for (String alias : Collections.list(trustStore.aliases())) {
                    Certificate c = trustStore.getCertificate(alias);
                    if (c instanceof X509Certificate x) {
                        anchors.add(x);
                    }
                }
            } catch (KeyStoreException e) {
                throw new IllegalArgumentException("trust store: " + e.getMessage(), e);
            }
            return trust(anchors);
        }

        /**
         * Uses a ready-made context for key and trust material instead of {@link #identity} and
         * {@link #trust}. Only a backend on the context's provider accepts it.
         *
         * @param context the context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The protocol versions to offer; only {@code TLSv1.3} and {@code TLSv1.2} are accepted.
         *
         * @param versions the versions, most preferred first
         * @return this builder
         */
        public Builder protocols(String... versions) {
            this.protocols = List.of(versions);
            return this;
        }

        /**
         * The cipher suites to offer, by their standard names; the transport checks that its
         * TLS library knows each one.
         *
         * @param suites the suites
         * @return this builder
         */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites = List.of(suites);
            return this;
        }

        /**
         * The application protocols for ALPN, most preferred first.
         *
         * @param protocols such as {@code h2} and {@code http/1.1}
         * @return this builder
         */
        public Builder alpn(String... protocols) {
            this.alpn = List.of(protocols);
            return this;
        }

        /**
         * The key-exchange groups to offer, most preferred first; the transport checks that its
         * TLS library has each one when it is made.
         *
         * @param groups such as {@code X25519MLKEM768} and {@code x25519}
         * @return this builder
         */
        public Builder namedGroups(String... groups) {
            this.namedGroups = List.of(groups);
            return this;
        }

        /**
         * The server name a client asks for (SNI) and verifies.
         *
         * @param name the host name
         * @return this builder
         */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Whether a server asks for client certificates.
         *
         * @param mode none, optional or required
         * @return this builder
         */
        public Builder clientAuth(ClientAuth mode) {
            this.clientAuth = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Turns the client's hostname verification on (the default) or off. Off accepts any
         * trusted certificate for any name: only for tests and closed networks.
         *
         * @param verify whether to verify
         * @return this builder
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /**
         * How long a handshake without an explicit timeout may take.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the handshake timeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Checks the settings and makes the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first setting that is wrong
         */
        public TlsConfig build() {
            if (protocols.isEmpty()) {
                throw new IllegalArgumentException("protocols: none given");
            }
            for (String p : protocols) {
                if (!SAFE_PROTOCOLS.contains(p)) {
                    throw new IllegalArgumentException("protocols: unknown or unsafe protocol '" + p + "'; Atoll offers "
                            + SAFE_PROTOCOLS);
                }
            }
            if (Set.copyOf(protocols).size() != protocols.size()) {
                throw new IllegalArgumentException("protocols: a version is listed twice: " + protocols);
            }
            if (cipherSuites != null && cipherSuites.isEmpty()) {
                throw new IllegalArgumentException("cipherSuites: none given");
            }
            for (String p : alpn) {
                if (p.isEmpty() || p.length() > 255) {
                    throw new IllegalArgumentException("alpn: a protocol name must have 1 to 255 characters: '" + p + "'");
                }
            }
            if (sslContext != null && (identity != null || trusted != null || !identitiesByName.isEmpty())) {
                throw new IllegalArgumentException("sslContext replaces identity and trust; give one or the other");
            }
            if (!identitiesByName.isEmpty() && identity == null) {
                throw new IllegalArgumentException("identities by server name need a default identity for clients "
                        + "that ask for another name or none");
            }
            return new TlsConfig(this);
        }
    }
}
