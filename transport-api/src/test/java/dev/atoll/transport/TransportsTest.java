package dev.atoll.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.atoll.transport.tls.TlsConfig;
import org.junit.jupiter.api.Test;

class TransportsTest {

    /** A transport that answers only name() and secure(). */
    private static Transport<?, ?> fakeTransport(String name, boolean secure) {
        return (Transport<?, ?>) Proxy.newProxyInstance(TransportsTest.class.getClassLoader(), new Class<?>[] {Transport.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "secure" -> secure;
                    default -> null;
                });
    }

    /** A provider of plain fake transports. */
    private record FakeProvider(String name, Availability availability) implements TransportProvider {
        @Override
        public Transport<?, ?> create(Map<String, String> settings) {
            return fakeTransport(name, false);
        }
    }

    /** A provider of secure fake transports that keeps the settings it was last given. */
    private static final class FakeSecureProvider implements SecureTransportProvider {
        private final String name;
        Map<String, String> settings;

        FakeSecureProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Availability availability() {
            return Availability.AVAILABLE;
        }

        @Override
        public Transport<?, ?> create(Map<String, String> settings) {
            this.settings = Map.copyOf(settings);
            return fakeTransport(name, true);
        }

        @Override
        public Transport<?, ?> create(TlsConfig tls, Map<String, String> settings) {
            return create(settings);
        }
    }

    private static final FakeProvider NIO = new FakeProvider("nio", Availability.AVAILABLE);
    private static final FakeProvider IOURING = new FakeProvider("iouring",
            Availability.unavailable("io_uring is disabled by the kernel.io_uring_disabled sysctl"));
    private static final FakeProvider OTHER = new FakeProvider("other", Availability.AVAILABLE);
    private final FakeSecureProvider jsse = new FakeSecureProvider("jsse");

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
    void theApplicationsTlsChoiceRunsOverTheDeploymentsPlainChoice() {
        Transports t = transports(NIO, OTHER, IOURING, jsse);
        Map<String, String> config = Map.of(Transports.TLS_PROPERTY, "jsse", Transports.PROPERTY, "other",
                "atoll.iouring.threads", "1");

        Transport<?, ?> fromMap = t.fromConfiguration(config);
        assertTrue(fromMap.secure(), "the configuration asks for TLS");
        assertEquals("jsse", fromMap.name());
        assertEquals("other", jsse.settings.get(Transports.PROPERTY), "the configuration's plain choice");
        assertEquals("1", jsse.settings.get("atoll.iouring.threads"), "every setting reaches the secure provider");

        environment.put(Transports.ENVIRONMENT_VARIABLE, "iouring,nio");
        Transport<?, ?> fromEnvironment = t.fromConfiguration(config);
        assertTrue(fromEnvironment.secure(), "the environment's plain choice does not turn TLS off");
        assertEquals("jsse", fromEnvironment.name());
        assertEquals("iouring,nio", jsse.settings.get(Transports.PROPERTY), "the environment picks the backend");

        properties.put(Transports.PROPERTY, "nio");
        Transport<?, ?> fromProperty = t.fromConfiguration(config);
        assertTrue(fromProperty.secure(), "the system property's plain choice does not turn TLS off");
        assertEquals("nio", jsse.settings.get(Transports.PROPERTY), "the system property picks the backend");
    }

    @Test
    void withoutTheTlsKeyTheConfigurationIsPlain() {
        Transport<?, ?> plain = transports(NIO, jsse).fromConfiguration(Map.of(Transports.TLS_PROPERTY, " "));
        assertFalse(plain.secure());
        assertEquals("nio", plain.name());
    }

    @Test
    void aSecureTransportAsThePlainChoiceIsRefusedFromEverySource() {
        Transports t = transports(NIO, OTHER, jsse);
        var fromMap = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.PROPERTY, "jsse")));
        assertTrue(fromMap.getMessage().contains("'jsse' in the configuration's atoll.transport")
                && fromMap.getMessage().contains("atoll.tls=jsse"), fromMap.getMessage());
        var inAList = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.PROPERTY, "other,jsse")));
        assertTrue(inAList.getMessage().contains("'jsse' in the configuration's atoll.transport ('other,jsse')"),
                inAList.getMessage());

        environment.put(Transports.ENVIRONMENT_VARIABLE, "jsse");
        var fromEnvironment = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.TLS_PROPERTY, "jsse")));
        assertTrue(fromEnvironment.getMessage().contains("the environment variable ATOLL_TRANSPORT"),
                fromEnvironment.getMessage());

        properties.put(Transports.PROPERTY, "jsse");
        var fromProperty = assertThrows(TransportSelectionException.class, () -> t.fromConfiguration(Map.of()));
        assertTrue(fromProperty.getMessage().contains("the system property atoll.transport"), fromProperty.getMessage());

        var fromSettings = assertThrows(TransportSelectionException.class,
                () -> t.plainFrom(Map.of(Transports.PROPERTY, "jsse")));
        assertTrue(fromSettings.getMessage().contains("'jsse' in the settings' atoll.transport"), fromSettings.getMessage());
    }

    @Test
    void theTlsKeyOutsideTheApplicationsConfigurationIsRefused() {
        Transports t = transports(NIO, jsse);
        properties.put(Transports.TLS_PROPERTY, "jsse");
        var fromProperty = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.TLS_PROPERTY, "jsse")));
        assertTrue(fromProperty.getMessage().contains("the system property atoll.tls is set"), fromProperty.getMessage());
        properties.put(Transports.TLS_PROPERTY, "");
        assertThrows(TransportSelectionException.class, () -> t.fromConfiguration(Map.of(Transports.TLS_PROPERTY, "jsse")),
                "an empty system property is still an attempt to decide on TLS");
        properties.clear();

        environment.put(Transports.TLS_ENVIRONMENT_VARIABLE, "jsse");
        var fromEnvironment = assertThrows(TransportSelectionException.class, () -> t.fromConfiguration(Map.of()));
        assertTrue(fromEnvironment.getMessage().contains("the environment variable ATOLL_TLS is set"),
                fromEnvironment.getMessage());
    }

    @Test
    void aPlainTransportAsTheTlsChoiceIsRefused() {
        Transports t = transports(NIO, OTHER, jsse);
        var plain = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.TLS_PROPERTY, "nio")));
        assertTrue(plain.getMessage().contains("'nio' in the configuration's atoll.tls ('nio') is a plain transport"),
                plain.getMessage());
        var inAList = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.TLS_PROPERTY, "jsse,other")));
        assertTrue(inAList.getMessage().contains("'other' in the configuration's atoll.tls"), inAList.getMessage());
        var inCode = assertThrows(TransportSelectionException.class,
                () -> t.secureProviderFor("nio", "the choice of Transports.secure"));
        assertTrue(inCode.getMessage().contains("'nio' in the choice of Transports.secure"), inCode.getMessage());
        var unknown = assertThrows(TransportSelectionException.class,
                () -> t.fromConfiguration(Map.of(Transports.TLS_PROPERTY, "bctls")));
        assertTrue(unknown.getMessage().contains("unknown transport 'bctls'"), unknown.getMessage());
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
