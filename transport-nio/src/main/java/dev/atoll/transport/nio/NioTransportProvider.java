package dev.atoll.transport.nio;

import dev.atoll.transport.Availability;
import dev.atoll.transport.Transport;
import dev.atoll.transport.TransportProvider;
import java.util.Map;

/** Finds the {@code nio} transport for {@link java.util.ServiceLoader}. It runs on every JDK 21+. */
public final class NioTransportProvider implements TransportProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public NioTransportProvider() {
    }

    @Override
    public String name() {
        return NioTransport.NAME;
    }

    @Override
    public Availability availability() {
        return Availability.AVAILABLE;
    }

    @Override
    public Transport<?, ?> create(Map<String, String> settings) {
        return new NioTransport();
    }
}
