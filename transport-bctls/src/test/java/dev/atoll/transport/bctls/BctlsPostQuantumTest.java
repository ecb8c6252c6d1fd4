package dev.atoll.transport.bctls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.jsse.JsseTransport;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.tls.TlsException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What Bouncy Castle brings beyond the JDK: the hybrid post-quantum key exchange of TLS 1.3.
 * The server accepts X25519MLKEM768 and no other group (its certificate has an RSA key, so no
 * curve is needed for signing), so a handshake that completes used the hybrid group.
 */
class BctlsPostQuantumTest {

    private static final Duration T = Duration.ofSeconds(10);

    private static TlsConfig hybridOnly() {
        return TckTls.serverConfig().toBuilder().identity(TestPki.get().rsaServer().identity()).protocols("TLSv1.3")
                .namedGroups("X25519MLKEM768").build();
    }

    private static TlsConfig hybridFirst() {
        return TckTls.serverConfig().toBuilder().protocols("TLSv1.3").namedGroups("X25519MLKEM768", "secp256r1").build();
    }

    private static byte[] exchange(Transport<?, ?> serverSide, Transport<?, ?> clientSide) throws Exception {
        try (Listener listener = Listener.open(serverSide, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Connection client = Connection.connect(clientSide, listener.address())) {
            CompletableFuture<Connection> handshaken = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.handshake(T);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection server = listener.accept(T).handshake(T)) {
                handshaken.get();
                client.send("quantum".getBytes());
                byte[] got = new byte[7];
                server.recv(7, T).get(got);
                return got;
            }
        }
    }

    @Test
    void bctlsWithItsOwnCryptoHandshakesWithOnlyTheHybridGroup() throws Exception {
        Transport<?, ?> server = new BctlsTransport(hybridOnly(), Transports.named("nio"), BctlsCrypto.BC);
        Transport<?, ?> client = new BctlsTransport(hybridFirst(), Transports.named("nio"), BctlsCrypto.BC);
        assertArrayEquals("quantum".getBytes(), exchange(server, client));
    }

    @Test
    void aHybridGroupWithTheJdksCryptoIsRefusedWhenTheTransportIsMade() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new BctlsTransport(hybridOnly(), Transports.named("nio"), BctlsCrypto.JDK));
        assertTrue(e.getMessage().contains("crypto=bc"), e.getMessage());
    }

    @Test
    void aGroupTheTlsLibraryLacksIsRefusedWhenTheTransportIsMade() {
        TlsConfig config = TckTls.serverConfig().toBuilder().namedGroups("NoSuchGroup768").build();
        var e = assertThrows(IllegalArgumentException.class, () -> new BctlsTransport(config, Transports.named("nio")));
        assertTrue(e.getMessage().contains("NoSuchGroup768"), e.getMessage());
    }

    @Test
    void jsseEitherHasTheHybridGroupOrRefusesItClearly() throws Exception {
        Transport<?, ?> bctls = new BctlsTransport(hybridOnly(), Transports.named("nio"), BctlsCrypto.BC);
        Transport<?, ?> jsse;
        try {
            jsse = new JsseTransport(hybridFirst(), Transports.named("nio"));
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().contains("X25519MLKEM768"), refused.getMessage());
            return;
        }
        try {
            assertArrayEquals("quantum".getBytes(), exchange(bctls, jsse));
        } catch (java.util.concurrent.ExecutionException | TlsException e) {
            throw new AssertionError("this JDK offers X25519MLKEM768 but cannot agree on it with Bouncy Castle", e);
        }
    }
}
