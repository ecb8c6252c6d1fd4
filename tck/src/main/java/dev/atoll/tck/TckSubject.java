package dev.atoll.tck;

import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The transport a TCK run checks, and the capabilities it claims.
 *
 * <pre>{@code
 * TckSubject.named("nio", Capability.PLAIN_TCP)                 // found by ServiceLoader
 * TckSubject.of(MyTransport::new, EnumSet.of(Capability.SENDFILE)) // handed over directly
 * }</pre>
 *
 * @param name         the transport's name, for reports
 * @param factory      makes the transport; called once per run
 * @param capabilities what the transport claims
 */
public record TckSubject(String name, Supplier<Transport<?, ?>> factory, Set<Capability> capabilities) {

    /**
     * Checks and copies the parts.
     *
     * @param name         the transport's name
     * @param factory      makes the transport
     * @param capabilities what it claims
     */
    public TckSubject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    }

    /**
     * A transport found by {@link java.util.ServiceLoader} under its name.
     *
     * @param name         the transport's name
     * @param capabilities what it claims
     * @return the subject
     */
    public static TckSubject named(String name, Set<Capability> capabilities) {
        return new TckSubject(name, () -> Transports.named(name), capabilities);
    }

    /**
     * A transport handed over directly; its name is asked of the first instance made.
     *
     * @param factory      makes the transport
     * @param capabilities what it claims
     * @return the subject
     */
    public static TckSubject of(Supplier<? extends Transport<?, ?>> factory, Set<Capability> capabilities) {
        Transport<?, ?> sample = factory.get();
        return new TckSubject(sample.name(), factory::get, capabilities);
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
