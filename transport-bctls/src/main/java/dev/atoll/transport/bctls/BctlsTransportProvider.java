package dev.atoll.transport.bctls;

import dev.atoll.transport.Availability;
import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.Transport;
import dev.atoll.transport.jsse.TlsSettings;
import dev.atoll.transport.tls.TlsConfig;
import java.util.Map;

/**
 * Finds the {@code bctls} transport for {@link java.util.ServiceLoader}. Its settings are those
 * of {@link TlsSettings} under {@code atoll.bctls.}, plus {@code atoll.bctls.crypto}
 * ({@code jdk}, the default, or {@code bc}; see {@link BctlsCrypto}). It runs over the plain
 * transport of {@code atoll.transport}, made with the same settings, and closes it when closed.
 */
public final class BctlsTransportProvider implements SecureTransportProvider {

    private static final String PREFIX = "atoll." + BctlsTransport.NAME + ".";

    /** Called by {@link java.util.ServiceLoader}. */
    public BctlsTransportProvider() {
    }

    @Override
    public String name() {
        return BctlsTransport.NAME;
    }

    @Override
    public Availability availability() {
        return Availability.AVAILABLE;
    }

    @Override
    public Transport<?, ?> create(Map<String, String> settings) {
        return create(new TlsSettings(PREFIX, settings).config(), settings);
    }

    @Override
    public Transport<?, ?> create(TlsConfig tls, Map<String, String> settings) {
        String name = settings.get(PREFIX + "crypto");
        BctlsCrypto crypto = name == null ? BctlsCrypto.JDK : BctlsCrypto.named(name);
        return new TlsSettings(PREFIX, settings).overPlain(plain -> BctlsTransport.overOwnPlain(tls, plain, crypto));
    }
}
