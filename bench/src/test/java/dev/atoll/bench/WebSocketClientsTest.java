package dev.atoll.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atoll.transport.Availability;
import dev.atoll.transport.Transports;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every client of the WebSocket client benchmark echoes through the benchmark's server, small
 * and large messages on several sessions, and a round fails, instead of hanging, once the
 * server has gone.
 */
@Timeout(60)
class WebSocketClientsTest {

    @ParameterizedTest
    @ValueSource(strings = {"atoll-nio", "atoll-iouring", "jdk", "netty-nio"})
    void everyEchoComesBackWhole(String client) throws Exception {
        if (client.endsWith("iouring")) {
            Availability uring = Transports.provider("iouring").availability();
            assumeTrue(uring.available(), "io_uring: " + uring.reason());
        }
        for (int size : new int[] {64, 65536}) {
            try (Servers.Running server = WebSocketServers.start(WebSocketClientEchoBenchmark.SERVER, false, () -> { });
                 WebSocketClients.Load load = WebSocketClients.connect(client, server.address(), 3, size)) {
                for (int round = 0; round < 5; round++) {
                    assertEquals(3L * size, load.round(), client + ", " + size + " B, round " + round);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"atoll-nio", "jdk", "netty-nio"})
    void aRoundFailsOnceTheServerHasGone(String client) throws Exception {
        Servers.Running server = WebSocketServers.start(WebSocketClientEchoBenchmark.SERVER, false, () -> { });
        try (WebSocketClients.Load load = WebSocketClients.connect(client, server.address(), 2, 64)) {
            load.round();
            server.close();
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    load.round();
                }
            }, client);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "atoll"})
    void anUnknownClientIsNamedInTheError(String client) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebSocketClients.connect(client, new java.net.InetSocketAddress("127.0.0.1", 9), 1, 64));
        assertEquals("no WebSocket client named " + client + " (atoll-nio, atoll-iouring, jdk, netty-nio)", e.getMessage());
    }
}
