package dev.atoll.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportsTest {

    /** A provider whose transports answer only name(). */
    private record FakeProvider(String name, Availability availability) implements TransportProvider {
        @Override
        public Transport<?, ?> create(Map<String, String> settings) {
            return (Transport<?, ?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Transport.class},
                    (proxy, method, args) -> method.getName().equals("name") ? name : null);
        }
    }

    private static final FakeProvider NIO = new FakeProvider("nio", Availability.AVAILABLE);
    private static final FakeProvider IOURING = new FakeProvider("iouring",
            Availability.unavailable("io_uring is disabled by the kernel.io_uring_disabled sysctl"));
    private static final FakeProvider OTHER = new FakeProvider("other", Availability.AVAILABLE);

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    private Transports transports(TransportProvider... providers) {
        return new Transports(List.of(providers), properties::get, environment::get);
    }

    @Test
    void aPreferenceListTakesTheFirstAvailableTransport() {
        assertEquals("nio", transports(NIO, IOURING).choose("iouring,nio", Map.of()).name());
        assertEquals("other", transports(NIO, OTHER).choose(" other , nio ", Map.of()).name());
    }

    @Test
    void anUnavailableChoiceSaysWhyForEveryTransport() {
        var e = assertThrows(TransportSelectionException.class, () -> transports(NIO, IOURING).choose("iouring", Map.of()));
        assertTrue(e.getMessage().contains("kernel.io_uring_disabled"), e.getMessage());
        assertTrue(e.getMessage().contains("nio (available)"), e.getMessage());
    }

    @Test
    void anUnknownNameListsWhatWasFound() {
        var e = assertThrows(TransportSelectionException.class, () -> transports(NIO).choose("epoll", Map.of()));
        assertTrue(e.getMessage().contains("unknown transport 'epoll'") && e.getMessage().contains("nio (available)"),
                e.getMessage());
    }

    @Test
    void aPreferenceListPassesOverTransportsNotOnTheClassPath() {
        assertEquals("nio", transports(NIO).choose("iouring,nio", Map.of()).name());
        var e = assertThrows(TransportSelectionException.class, () -> transports(NIO, IOURING).choose("iouring,epoll", Map.of()));
        assertTrue(e.getMessage().contains("not found: epoll") && e.getMessage().contains("kernel.io_uring_disabled"),
                e.getMessage());
    }

    @Test
    void twoTransportsWithOneNameAreAnError() {
        var e = assertThrows(TransportSelectionException.class,
                () -> transports(NIO, new FakeProvider("nio", Availability.AVAILABLE)).choose("nio", Map.of()));
        assertTrue(e.getMessage().contains("two transports are named 'nio'"), e.getMessage());
    }

    @Test
    void aMalformedNameIsRefused() {
        var e = assertThrows(TransportSelectionException.class, () -> transports(NIO).choose("NIO", Map.of()));
        assertTrue(e.getMessage().contains("not a transport name"), e.getMessage());
        assertThrows(TransportSelectionException.class, () -> transports(NIO).choose("nio,,other", Map.of()));
    }

    @Test
    void systemPropertyBeatsEnvironmentBeatsConfigurationBeatsDefault() {
        Transports t = transports(NIO, OTHER, IOURING);
        assertEquals("nio", t.fromConfiguration(Map.of()).name(), "the default");
        assertEquals("other", t.fromConfiguration(Map.of(Transports.PROPERTY, "other")).name(), "the configuration");
        environment.put(Transports.ENVIRONMENT_VARIABLE, "nio");
        assertEquals("nio", t.fromConfiguration(Map.of(Transports.PROPERTY, "other")).name(), "the environment");
        properties.put(Transports.PROPERTY, "iouring,other");
        assertEquals("other", t.fromConfiguration(Map.of(Transports.PROPERTY, "nio")).name(), "the system property");
    }

    @Test
    void blankSettingsAreNotChoices() {
        environment.put(Transports.ENVIRONMENT_VARIABLE, " ");
        assertEquals("other", transports(NIO, OTHER).fromConfiguration(Map.of(Transports.PROPERTY, "other")).name());
    }

    @Test
    void noTransportsAtAllSaysWhatToAdd() {
        var e = assertThrows(TransportSelectionException.class, () -> transports().choose("nio", Map.of()));
        assertTrue(e.getMessage().contains("add a backend"), e.getMessage());
    }

    @Test
    void anUnavailableTransportMustSayWhy() {
        assertThrows(IllegalArgumentException.class, () -> Availability.unavailable(" "));
    }
}
