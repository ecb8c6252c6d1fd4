package dev.atoll.transport.bctls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Bouncy Castle's TLS cannot half-close: bctls says so, explicitly, instead of losing data. */
class BctlsHalfCloseTest {

    @Test
    void aReceiveAfterShutdownWriteIsAClearErrorWhileThePeerSeesAnOrderlyEnd() throws Exception {
        Transport<?, ?> bctls = new BctlsTransport(TckTls.serverConfig(), Transports.named("nio"));
        Duration t = Duration.ofSeconds(10);
        try (Listener listener = Listener.open(bctls, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Connection client = Connection.connect(bctls, listener.address())) {
            CompletableFuture<Connection> clientSide = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.handshake(t);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection server = listener.accept(t).handshake(t)) {
                clientSide.get();
                server.send(new byte[] {1});
                server.shutdown(ShutdownHow.WRITE);
                assertEquals(1, client.recv(1, t).get());
                assertThrows(dev.atoll.transport.EndOfStreamException.class, () -> client.recv(0, t),
                        "the peer sees close_notify as an orderly end");
                var e = assertThrows(ConnectionClosedException.class, () -> server.recv(0, t));
                assertTrue(e.getMessage().contains("no half-close"), e.getMessage());
            }
        }
    }
}
