package dev.atoll.transport.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import dev.atoll.transport.Transport;
import dev.atoll.transport.TransportSelectionException;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misconfiguration fails when the transport is made, not on its first connection. */
class JsseConfigurationTest {

    @Test
    void anUnknownCipherSuiteFailsWhenTheTransportIsMade() {
        TlsConfig config = TlsConfig.builder().cipherSuites("TLS_NO_SUCH_SUITE").build();
        var e = assertThrows(IllegalArgumentException.class, () -> new JsseTransport(config, Transports.named("nio")));
        assertTrue(e.getMessage().contains("TLS_NO_SUCH_SUITE"), e.getMessage());
    }

    @Test
    void aSecureTransportDoesNotRunOverAnotherSecureOne() {
        Transport<?, ?> tls = new JsseTransport(TlsConfig.builder().build(), Transports.named("nio"));
        assertThrows(IllegalArgumentException.class, () -> new JsseTransport(TlsConfig.builder().build(), tls));
    }

    @Test
    void serviceLoaderFindsJsseByNameAndWithACodeBuiltConfiguration() {
        assertInstanceOf(JsseTransport.class, Transports.named("jsse"));
        Transport<?, ?> t = Transports.secure("jsse", TlsConfig.builder().alpn("h2").build());
        assertEquals(java.util.List.of("h2"), ((JsseTransport) t).config().alpn());
        assertThrows(IllegalStateException.class, () -> Transports.secure("nio", TlsConfig.builder().build()));
    }

    @Test
    void theApplicationsPropertiesChooseTlsOverTheirPlainChoice() {
        Properties config = new Properties();
        config.setProperty("atoll.tls", "jsse");
        config.setProperty("atoll.transport", "iouring,nio");
        config.setProperty("atoll.jsse.alpn", "h2");
        JsseTransport t = assertInstanceOf(JsseTransport.class, Transports.configured(config));
        assertTrue(t.secure());
        assertEquals("nio", t.plain().name(), "iouring is not on this class path, so the list takes nio");
        assertEquals(List.of("h2"), t.config().alpn());
    }

    @Test
    void codeChoosesTlsAndThePlainTransportItRunsOver() {
        TlsConfig config = TlsConfig.builder().alpn("h2").build();
        JsseTransport t = assertInstanceOf(JsseTransport.class,
                Transports.secure("jsse", config, Map.of("atoll.transport", "epoll,nio")));
        assertEquals("nio", t.plain().name());
        assertInstanceOf(JsseTransport.class, Transports.named("jsse", Map.of("atoll.transport", "nio")));
        assertInstanceOf(JsseTransport.class, Transports.select("bctls,jsse", Map.of()));

        var secureUnderTls = assertThrows(TransportSelectionException.class,
                () -> Transports.secure("jsse", config, Map.of("atoll.transport", "jsse")));
        assertTrue(secureUnderTls.getMessage().contains("'jsse' in the settings' atoll.transport"),
                secureUnderTls.getMessage());
        var plainAsTls = assertThrows(TransportSelectionException.class,
                () -> Transports.configured(Map.of("atoll.tls", "nio")));
        assertTrue(plainAsTls.getMessage().contains("'nio' in the configuration's atoll.tls ('nio') is a plain transport"),
                plainAsTls.getMessage());
        var tlsAsPlain = assertThrows(TransportSelectionException.class,
                () -> Transports.configured(Map.of("atoll.transport", "jsse")));
        assertTrue(tlsAsPlain.getMessage().contains("atoll.tls=jsse"), tlsAsPlain.getMessage());
    }

    @Test
    void thePlainTransportUnderTlsHasOneKeyAtollTransport() {
        var fromConfiguration = assertThrows(TransportSelectionException.class,
                () -> Transports.configured(Map.of("atoll.tls", "jsse", "atoll.jsse.plain", "nio")));
        assertTrue(fromConfiguration.getMessage().contains("atoll.jsse.plain is not a setting")
                && fromConfiguration.getMessage().contains("atoll.transport"), fromConfiguration.getMessage());
        var fromCode = assertThrows(TransportSelectionException.class,
                () -> Transports.secure("jsse", TlsConfig.builder().build(), Map.of("atoll.jsse.plain", "nio")));
        assertTrue(fromCode.getMessage().contains("atoll.jsse.plain is not a setting"), fromCode.getMessage());
    }

    @Test
    void settingsBuildTheConfigurationAndNameTheKeyOfAWrongValue(@TempDir Path dir) {
        TestPki pki = TestPki.get();
        Path cert = TestPki.writeCertificates(pki.server().chain(), dir.resolve("cert.pem"));
        Path key = TestPki.writeKey(pki.server().key(), dir.resolve("key.pem"));
        Path ca = TestPki.writeCertificates(java.util.List.of(pki.ca().certificate()), dir.resolve("ca.pem"));
        JsseTransport t = (JsseTransport) Transports.configured(Map.of("atoll.tls", "jsse",
                "atoll.jsse.identity.cert", cert.toString(), "atoll.jsse.identity.key", key.toString(),
                "atoll.jsse.trust", ca.toString(), "atoll.jsse.alpn", "h2, http/1.1", "atoll.jsse.client-auth", "optional",
                "atoll.jsse.handshake-timeout", "1500ms"));
        assertEquals(java.util.List.of("h2", "http/1.1"), t.config().alpn());
        assertEquals(java.time.Duration.ofMillis(1500), t.config().handshakeTimeout());
        assertTrue(t.config().identity().isPresent());

        var badAuth = assertThrows(IllegalArgumentException.class, () -> Transports.configured(Map.of("atoll.tls", "jsse",
                "atoll.jsse.client-auth", "sometimes")));
        assertTrue(badAuth.getMessage().contains("atoll.jsse.client-auth"), badAuth.getMessage());
        var missingKey = assertThrows(IllegalArgumentException.class, () -> Transports.configured(Map.of("atoll.tls", "jsse",
                "atoll.jsse.identity.cert", cert.toString())));
        assertTrue(missingKey.getMessage().contains("atoll.jsse.identity.key"), missingKey.getMessage());
        var badProtocol = assertThrows(IllegalArgumentException.class, () -> Transports.configured(Map.of("atoll.tls",
                "jsse", "atoll.jsse.protocols", "SSLv3")));
        assertTrue(badProtocol.getMessage().contains("SSLv3"), badProtocol.getMessage());
        assertTrue(Files.exists(cert));
    }

    @Test
    void equalConfigurationsBuiltSeparatelyShareOneContext() {
        TestPki pki = TestPki.get();
        JsseTransport transport = new JsseTransport(TckTls.serverConfig(), Transports.named("nio"));
        TlsConfig first = TckTls.serverConfig().toBuilder().identity(pki.server("RSA").identity()).alpn("h2").build();
        TlsConfig second = TckTls.serverConfig().toBuilder().identity(pki.server("RSA").identity()).alpn("h2").build();
        TlsConfig other = TckTls.serverConfig().toBuilder().identity(pki.server("RSA").identity()).alpn("http/1.1").build();
        assertEquals(first, second);
        assertEquals(first.hashCode(), second.hashCode());
        assertNotEquals(first, other);
        assertSame(transport.contextFor(first), transport.contextFor(second));
        assertNotSame(transport.contextFor(first), transport.contextFor(other));
        assertSame(transport.contextFor(TckTls.serverConfig()), transport.contextFor(TckTls.serverConfig().toBuilder().build()));
    }
}
