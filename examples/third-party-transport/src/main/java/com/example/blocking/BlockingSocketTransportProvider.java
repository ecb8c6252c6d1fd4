package com.example.blocking;

import dev.atoll.transport.Availability;
import dev.atoll.transport.Transport;
import dev.atoll.transport.TransportProvider;
import java.util.Map;

/** Lets {@link java.util.ServiceLoader} find the {@code blocking} transport. */
public final class BlockingSocketTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return BlockingSocketTransport.NAME;
    }

    @Override
    public Availability availability() {
        return Availability.AVAILABLE;
    }

    @Override
    public Transport<?, ?> create(Map<String, String> settings) {
        return new BlockingSocketTransport();
    }
}
