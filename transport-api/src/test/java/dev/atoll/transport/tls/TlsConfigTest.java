package dev.atoll.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {

    @Test
    void defaultsAreSafe() {
        TlsConfig config = TlsConfig.builder().build();
        assertEquals(TlsConfig.SAFE_PROTOCOLS, config.protocols());
        assertTrue(config.hostnameVerification());
        assertEquals(ClientAuth.NONE, config.clientAuth());
        assertEquals(Duration.ofSeconds(10), config.handshakeTimeout());
        assertFalse(config.trusted().isPresent(), "the JDK's trust anchors by default");
    }

    @Test
    void refusesUnknownOrUnsafeProtocols() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().protocols("TLSv1.4").build());
        assertTrue(unknown.getMessage().contains("TLSv1.4"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().protocols("TLSv1").build());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().protocols().build());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().protocols("TLSv1.3", "TLSv1.3").build());
    }

    @Test
    void refusesBadAlpnNamesTimeoutsAndEmptyTrust() {
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().alpn("").build());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().handshakeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().trust(List.of()));
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().cipherSuites().build());
    }

    @Test
    void aPkcs12FileWithAWrongPasswordOrNoKeyFailsWhenLoaded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var out = Files.newOutputStream(file)) {
            store.store(out, "right".toCharArray());
        }
        var wrong = assertThrows(IllegalArgumentException.class, () -> TlsIdentity.pkcs12(file, "wrong".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
        var noKey = assertThrows(IllegalArgumentException.class, () -> TlsIdentity.pkcs12(file, "right".toCharArray()));
        assertTrue(noKey.getMessage().contains("0 key entries"), noKey.getMessage());
    }

    @Test
    void aPemKeyThatIsNotPkcs8IsNamed(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Path noCert = Files.writeString(dir.resolve("cert.pem"), "");
        var e = assertThrows(IllegalArgumentException.class, () -> TlsIdentity.pem(noCert, key));
        assertTrue(e.getMessage().contains("no certificate"), e.getMessage());
    }

    @Test
    void readsTheAlertOfAJdkMessage() {
        assertEquals(Optional.of("bad_certificate"),
                new TlsException("x", new Exception("Received fatal alert: bad_certificate")).alert());
        assertEquals(Optional.of("no_application_protocol"),
                new TlsException("x", new Exception("(no_application_protocol) No matching application layer protocol values")).alert());
        assertEquals(Optional.of("no_application_protocol"),
                new TlsException("x", new Exception("org.bouncycastle.tls.TlsFatalAlert: no_application_protocol(120)")).alert());
        assertEquals(Optional.of("handshake_failure"),
                new TlsException("x", new Exception("TlsFatalAlertReceived: handshake_failure(40)")).alert());
        assertEquals(Optional.empty(), new TlsException("x: timed out", null).alert());
    }
}
