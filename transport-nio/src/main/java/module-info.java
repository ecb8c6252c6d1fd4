/**
 * Atoll's {@code nio} transport: plain TCP on the JDK's socket channels.
 */
module dev.atoll.transport.nio {
    requires dev.atoll.transport;

    provides dev.atoll.transport.TransportProvider with dev.atoll.transport.nio.NioTransportProvider;
}
