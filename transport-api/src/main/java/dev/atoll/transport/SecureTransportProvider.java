package dev.atoll.transport;

import dev.atoll.transport.tls.TlsConfig;
import java.util.Map;

/**
 * A provider of a secure transport, chosen by {@link Transports#TLS_PROPERTY} in an
 * application's configuration or by {@link Transports#secure(String, TlsConfig, Map)} in code.
 * Its {@link #create(Map)} reads the TLS configuration from string settings; its
 * {@link #create(TlsConfig, Map)} takes one built in code. Either way the transport runs over
 * the plain transport {@link Transports#plain(Map)} makes from the same settings (their
 * {@value Transports#PROPERTY}, with every other setting, such as {@code atoll.iouring.threads}),
 * owns it, and closes it when it is itself {@linkplain Transport#close() closed}.
 */
public interface SecureTransportProvider extends TransportProvider {

    /**
     * Makes a transport running with this TLS configuration over the plain transport the
     * settings choose.
     *
     * @param tls      the TLS configuration
     * @param settings the other settings: the plain transport's choice and its settings, and
     *                 this provider's own, keyed by {@code atoll.<name>.<setting>}
     * @return a new transport
     * @throws TransportSelectionException when the transport is unavailable here, or the plain
     *                                     choice names a secure transport
     * @throws IllegalArgumentException    when the TLS library cannot do what the configuration
     *                                     asks
     */
    Transport<?, ?> create(TlsConfig tls, Map<String, String> settings);
}
