package dev.atoll.tck;

import dev.atoll.transport.Transport;
import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.TlsConfig;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The transport a TCK run checks, and the capabilities it claims.
 *
 * <pre>{@code
 * TckSubject.named("nio", Capability.PLAIN_TCP)                       // found by ServiceLoader
 * TckSubject.of(MyTransport::new, EnumSet.of(Capability.SENDFILE))    // handed over directly
 * TckSubject.secure("jsse", config -> new JsseTransport(config, nio), // TLS, made per configuration
 *         () -> nio, Capability.TLS_OVER_TCP)
 * }</pre>
 *
 * @param name         the transport's name, for reports
 * @param factory      makes the transport; called once per run
 * @param capabilities what the transport claims
 * @param tls          for a secure transport, how to make it with a given TLS configuration and
 *                     which plain transport to upgrade from; {@code null} for a plain one
 */
public record TckSubject(String name, Supplier<Transport<?, ?>> factory, Set<Capability> capabilities, Secure tls) {

    /** How the TCK makes a secure transport for each configuration its TLS rules need. */
    public interface SecureFactory {
        /**
         * Makes the transport.
         *
         * @param config the TLS configuration
         * @return a secure transport running with it
         */
        Transport<?, ?> create(TlsConfig config);
    }

    /**
     * The secure side of a subject.
     *
     * @param factory makes the transport per TLS configuration
     * @param plain   the plain transport whose connections the UPGRADE rules hand over
     */
    public record Secure(SecureFactory factory, Supplier<Transport<?, ?>> plain) {
    }

    /**
     * Checks and copies the parts.
     *
     * @param name         the transport's name
     * @param factory      makes the transport
     * @param capabilities what it claims
     * @param tls          the secure side, or {@code null}
     */
    public TckSubject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        if (tls == null && (capabilities.contains(Capability.TLS) || capabilities.contains(Capability.UPGRADE))) {
            throw new IllegalArgumentException(name + " claims TLS: make the subject with TckSubject.secure");
        }
    }

    /**
     * A transport found by {@link java.util.ServiceLoader} under its name; a secure one (its
     * provider a {@link SecureTransportProvider}) is made per TLS configuration as
     * {@link #secure} does, and upgrades connections of the first plain transport found.
     *
     * @param name         the transport's name
     * @param capabilities what it claims
     * @return the subject
     */
    public static TckSubject named(String name, Set<Capability> capabilities) {
        if (Transports.provider(name) instanceof SecureTransportProvider secure) {
            return secure(config -> secure.create(config, java.util.Map.of()), TckSubject::firstPlainTransport, capabilities);
        }
        return new TckSubject(name, () -> Transports.named(name), capabilities, null);
    }

    /** The first available plain transport on the class path, for the UPGRADE rules of a secure subject found by name. */
    private static Transport<?, ?> firstPlainTransport() {
        for (var provider : Transports.providers()) {
            if (!(provider instanceof SecureTransportProvider) && provider.availability().available()) {
                return provider.create(java.util.Map.of());
            }
        }
        throw new IllegalStateException("no plain transport on the class path to upgrade from");
    }

    /**
     * A plain transport handed over directly; its name is asked of the first instance made.
     *
     * @param factory      makes the transport
     * @param capabilities what it claims
     * @return the subject
     */
    public static TckSubject of(Supplier<? extends Transport<?, ?>> factory, Set<Capability> capabilities) {
        Transport<?, ?> sample = factory.get();
        return new TckSubject(sample.name(), factory::get, capabilities, null);
    }

    /**
     * A secure transport. The TCK makes it with configurations holding its own test
     * certificates: {@link TckTls#serverConfig()} for the rules every transport follows, others
     * for the TLS rules.
     *
     * @param factory      makes the transport per TLS configuration
     * @param plain        a plain transport, for the UPGRADE rules
     * @param capabilities what it claims
     * @return the subject
     */
    public static TckSubject secure(SecureFactory factory, Supplier<? extends Transport<?, ?>> plain,
                                    Set<Capability> capabilities) {
        Transport<?, ?> sample = factory.create(TckTls.serverConfig());
        return new TckSubject(sample.name(), () -> factory.create(TckTls.serverConfig()), capabilities,
                new Secure(factory, plain::get));
    }

    /**
     * Whether the transport claims a capability.
     *
     * @param capability the capability
     * @return {@code true} when claimed
     */
    public boolean claims(Capability capability) {
        return capabilities.contains(capability);
    }
}
