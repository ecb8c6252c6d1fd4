package dev.atoll.transport.bctls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.TlsConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ChaCha20-Poly1305, which Bouncy Castle's TLS takes from its own provider since the JDK's
 * providers lack it under the names it asks for: bctls runs it with either crypto, TLS 1.3 and
 * 1.2, against the JDK's SSLSocket.
 */
class BctlsChaCha20Test {

    private static final Duration T = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(BctlsCrypto.class)
    void chaCha20Poly1305RunsWithEitherCrypto(BctlsCrypto crypto) throws Exception {
        String[][] suites = {{"TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"},
                {"TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"}};
        for (String[] versionAndSuite : suites) {
            TlsConfig config = TckTls.serverConfig().toBuilder().protocols(versionAndSuite[0])
                    .cipherSuites(versionAndSuite[1]).build();
            Transport<?, ?> server = new BctlsTransport(config, Transports.named("nio"), crypto);
            try (Listener listener = Listener.open(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 Socket raw = new Socket(listener.address().getAddress(), listener.address().getPort())) {
                SSLSocket client = TckTls.layer(raw, true, TckTls.jdkContext(null));
                CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                    try (InputStream in = client.getInputStream()) {
                        client.getOutputStream().write("chacha".getBytes());
                        client.getOutputStream().flush();
                        return in.readNBytes(6);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (Connection accepted = listener.accept(T).handshake(T)) {
                    byte[] got = new byte[6];
                    accepted.recv(6, T).get(got);
                    accepted.send(got);
                    assertArrayEquals("chacha".getBytes(), read.get());
                    assertEquals(versionAndSuite[1], client.getSession().getCipherSuite(), crypto + " " + versionAndSuite[0]);
                }
            }
        }
    }
}
