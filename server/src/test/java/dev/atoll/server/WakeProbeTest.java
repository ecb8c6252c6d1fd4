package dev.atoll.server;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ShutdownHow;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WakeProbeTest {
    @ParameterizedTest
    @ValueSource(strings = {"nio", "iouring", "jsse/nio", "bctls/iouring", "jsse/iouring", "bctls/nio"})
    void probe(String which) throws Exception {
        String[] p = which.split("/");
        Backend b = p.length == 1 ? Backend.plain(p[0]) : Backend.secure(p[0], p[1]);
        try (var t = b.open()) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            CompletableFuture<Connection> conn = new CompletableFuture<>();
            try (Server s = Server.start(ServerConfig.builder(t).address(new java.net.InetSocketAddress("127.0.0.1", 0)).build(), (c, ctx) -> {
                conn.complete(c);
                long t0 = System.nanoTime();
                try {
                    c.recv(0, Duration.ofSeconds(5));
                    outcome.complete("data");
                } catch (Exception e) {
                    outcome.complete(e.getClass().getSimpleName() + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e.getMessage());
                }
                try { c.send("bye".getBytes()); } catch (Exception e) { outcome.obtrudeValue(outcome.join() + " / send failed " + e); }
            }); Socket client = b.connect(s.address())) {
                Connection c = conn.get(5, TimeUnit.SECONDS);
                Thread.sleep(200);
                c.shutdown(ShutdownHow.READ);
                System.out.println("PROBE " + which + ": " + outcome.get(10, TimeUnit.SECONDS) + " client got " + new String(client.getInputStream().readNBytes(3)));
            }
        }
    }
}
