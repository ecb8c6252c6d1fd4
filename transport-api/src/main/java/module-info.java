/**
 * Atoll's transport API: one interface for many transport backends, found with
 * {@link java.util.ServiceLoader}.
 */
module dev.atoll.transport {
    exports dev.atoll.transport;
    exports dev.atoll.transport.spi;
    exports dev.atoll.transport.tls;

    uses dev.atoll.transport.TransportProvider;
}
