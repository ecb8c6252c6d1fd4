package dev.atoll.transport.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.Transports;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NioDiscoveryTest {

    @Test
    void serviceLoaderFindsNioByNameByListAndByConfiguration() {
        assertInstanceOf(NioTransport.class, Transports.named("nio"));
        assertInstanceOf(NioTransport.class, Transports.select("iouring,nio"));
        assertInstanceOf(NioTransport.class, Transports.configured(Map.of()));
        assertTrue(Transports.report().contains("nio (available)"), Transports.report());
    }

    @Test
    void theModuleDescriptorProvidesTheTransport() {
        Module module = NioTransportProvider.class.getModule();
        assertEquals("dev.atoll.transport.nio", module.getName(), "the tests run on the module path");
        assertTrue(module.getDescriptor().provides().stream()
                .anyMatch(p -> p.service().equals("dev.atoll.transport.TransportProvider")));
    }
}
