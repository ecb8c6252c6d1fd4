package dev.atoll.transport.jsse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The reader answers a TLS 1.3 KeyUpdate while the writer is blocked on a peer that does not
 * read, without waiting for the writer: here the peer reads only after its own large write, which
 * needs this side's reader to go on.
 */
class KeyUpdateDuringBlockedSendTest {

    private static final int EACH_WAY = 16 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void aKeyUpdateDuringABlockedSendDoesNotDeadlock() throws Exception {
        byte[] down = new byte[EACH_WAY];
        byte[] up = new byte[EACH_WAY];
        new Random(1).nextBytes(down);
        new Random(2).nextBytes(up);
        try (Transport<?, ?> nio = Transports.named("nio");
             Transport<?, ?> jsse = new JsseTransport(TckTls.serverConfig().toBuilder().protocols("TLSv1.3").build(), nio);
             Listener listener = Listener.open(jsse, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket raw = new Socket(listener.address().getAddress(), listener.address().getPort());
             SSLSocket client = TckTls.layer(raw, true, null)) {
            CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
                try {
                    client.startHandshake();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection server = listener.accept(LIMIT).handshake(LIMIT)) {
                handshake.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                CompletableFuture<Void> serverWrites = run(() -> server.send(ByteBuffer.wrap(down)));
                CompletableFuture<byte[]> serverReads = supply(() -> {
                    byte[] got = new byte[EACH_WAY];
                    ByteBuffer into = ByteBuffer.wrap(got);
                    while (into.hasRemaining()) {
                        server.recv(into, LIMIT);
                    }
                    return got;
                });
                Thread.sleep(300);   // the server's send is blocked: the client reads nothing yet
                CompletableFuture<byte[]> clientSide = supply(() -> {
                    client.startHandshake();   // TLS 1.3: a KeyUpdate that asks the server for one back
                    client.getOutputStream().write(up);
                    client.getOutputStream().flush();
                    InputStream in = client.getInputStream();
                    return in.readNBytes(EACH_WAY);
                });
                assertArrayEquals(up, serverReads.get(LIMIT.toSeconds(), TimeUnit.SECONDS), "what the server read");
                assertArrayEquals(down, clientSide.get(LIMIT.toSeconds(), TimeUnit.SECONDS), "what the client read");
                serverWrites.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(EACH_WAY, server.getstat().sendOctets());
            }
        }
    }

    private interface Work<T> {
        T call() throws Exception;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static <T> CompletableFuture<T> supply(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static CompletableFuture<Void> run(Action action) {
        return supply(() -> {
            action.run();
            return null;
        });
    }
}
