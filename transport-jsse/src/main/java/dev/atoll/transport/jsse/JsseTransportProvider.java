package dev.atoll.transport.jsse;

import dev.atoll.transport.Availability;
import dev.atoll.transport.Transport;
import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.tls.TlsConfig;
import java.util.Map;

/**
 * Finds the {@code jsse} transport for {@link java.util.ServiceLoader}; its settings are those
 * of {@link TlsSettings} under the prefix {@code atoll.jsse.}. It runs over the plain transport
 * of {@code atoll.transport}, made with the same settings, and closes it when closed.
 */
public final class JsseTransportProvider implements SecureTransportProvider {

    private static final String PREFIX = "atoll." + JsseTransport.NAME + ".";

    /** Called by {@link java.util.ServiceLoader}. */
    public JsseTransportProvider() {
    }

    @Override
    public String name() {
        return JsseTransport.NAME;
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
        return new TlsSettings(PREFIX, settings).overPlain(plain -> JsseTransport.overOwnPlain(tls, plain));
    }
}
