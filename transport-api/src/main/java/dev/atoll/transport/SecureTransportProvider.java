package dev.atoll.transport;

import dev.atoll.transport.tls.TlsConfig;
import java.util.Map;

/**
 * A provider of a secure transport, which can also be made from a {@link TlsConfig} built in
 * code: {@link Transports#secure(String, TlsConfig)}. Its {@link #create(Map)} reads the TLS
 * settings from strings instead.
 */
public interface SecureTransportProvider extends TransportProvider {

    /**
     * Makes a transport running with this TLS configuration.
     *
     * @param tls      the TLS configuration
     * @param settings the other settings this provider reads (the plain transport to run over,
     *                 for instance), keyed by {@code atoll.<name>.<setting>}
     * @return a new transport
     * @throws TransportSelectionException when the transport is unavailable here
     * @throws IllegalArgumentException    when the TLS library cannot do what the configuration
     *                                     asks
     */
    Transport<?, ?> create(TlsConfig tls, Map<String, String> settings);
}
