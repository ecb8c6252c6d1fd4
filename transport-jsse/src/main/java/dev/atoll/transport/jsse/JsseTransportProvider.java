package dev.atoll.transport.jsse;

import dev.atoll.transport.Availability;
import dev.atoll.transport.Transport;
import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.Transports;
import java.util.Map;

/**
 * Finds the {@code jsse} transport for {@link java.util.ServiceLoader}; its settings are those
 * of {@link TlsSettings} under the prefix {@code atoll.jsse.}.
 */
public final class JsseTransportProvider implements SecureTransportProvider {

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
        TlsSettings tls = new TlsSettings("atoll." + JsseTransport.NAME + ".", settings);
        return new JsseTransport(tls.config(), Transports.select(tls.plainChoice()));
    }

    @Override
    public Transport<?, ?> create(TlsConfig tls, Map<String, String> settings) {
        String plain = new TlsSettings("atoll." + JsseTransport.NAME + ".", settings).plainChoice();
        return new JsseTransport(tls, Transports.select(plain));
    }
}
