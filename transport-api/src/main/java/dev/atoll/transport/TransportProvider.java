package dev.atoll.transport;

import java.util.Map;

/**
 * What {@link java.util.ServiceLoader} finds: one per backend. Declare it in
 * {@code module-info.java} ({@code provides dev.atoll.transport.TransportProvider with ...}) and
 * in {@code META-INF/services/dev.atoll.transport.TransportProvider}, so that both the module
 * path and the class path find it.
 */
public interface TransportProvider {

    /**
     * The name of the transport this provider makes; see {@link Transport#name()}.
     *
     * @return the name
     */
    String name();

    /**
     * Whether the transport can run on this machine and, if not, why. Cheap and free of side
     * effects: it starts no threads and opens no sockets that outlive the call.
     *
     * @return the availability
     */
    Availability availability();

    /**
     * Makes a transport, which the caller closes ({@link Transport#close()}) when done with it.
     *
     * @param settings the configuration this provider reads, keyed by
     *                 {@code atoll.<name>.<setting>}; keys of other transports are ignored
     * @return a new transport
     * @throws TransportSelectionException when the transport is unavailable here
     * @throws IllegalArgumentException    when a setting is invalid
     */
    Transport<?, ?> create(Map<String, String> settings);
}
