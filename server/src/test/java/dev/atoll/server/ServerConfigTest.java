package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.TransportSelectionException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A server configured from a map: every key, its default, and clear errors. */
class ServerConfigTest {

    @Test
    void theDefaultsAreThoseDocumented() {
        ServerConfig c = ServerConfig.from(Map.of()).build();
        assertEquals(new InetSocketAddress(0), c.address());
        assertEquals(1024, c.backlog());
        assertEquals(1, c.listenSockets());
        assertEquals(1, c.acceptors());
        assertEquals(16_384, c.maxConnections());
        assertEquals(LimitPolicy.PAUSE_ACCEPTING, c.limitPolicy());
        assertEquals(Duration.ofSeconds(1), c.limitWait());
        assertEquals(Duration.ofSeconds(10), c.handshakeTimeout());
        assertEquals(Duration.ofSeconds(60), c.readTimeout());
        assertEquals(Duration.ofSeconds(15), c.shutdownTimeout());
    }

    @Test
    void everyKeyIsRead() {
        ServerConfig c = ServerConfig.from(Map.ofEntries(Map.entry("atoll.server.address", "127.0.0.1"),
                Map.entry("atoll.server.port", "0"), Map.entry("atoll.server.backlog", "16"),
                Map.entry("atoll.server.listen-sockets", "2"), Map.entry("atoll.server.acceptors", "4"),
                Map.entry("atoll.server.max-connections", "10"), Map.entry("atoll.server.at-limit", "close"),
                Map.entry("atoll.server.limit-wait", "250ms"), Map.entry("atoll.server.handshake-timeout", "3s"),
                Map.entry("atoll.server.read-timeout", "30s"), Map.entry("atoll.server.shutdown-timeout", "2s"))).build();
        assertEquals(new InetSocketAddress("127.0.0.1", 0), c.address());
        assertEquals(16, c.backlog());
        assertEquals(2, c.listenSockets());
        assertEquals(4, c.acceptors());
        assertEquals(10, c.maxConnections());
        assertEquals(LimitPolicy.CLOSE_AFTER_WAIT, c.limitPolicy());
        assertEquals(Duration.ofMillis(250), c.limitWait());
        assertEquals(Duration.ofSeconds(3), c.handshakeTimeout());
        assertEquals(Duration.ofSeconds(30), c.readTimeout());
        assertEquals(Duration.ofSeconds(2), c.shutdownTimeout());
    }

    @Test
    void aProxyProtocolSettingIsNamedAsInTheConfiguration() {
        assertEquals(ProxyProtocol.NONE, ProxyProtocol.named("none"));
        assertEquals(ProxyProtocol.V1, ProxyProtocol.named("v1"));
        assertEquals(ProxyProtocol.V2, ProxyProtocol.named(" v2 "));
        assertEquals(ProxyProtocol.ANY, ProxyProtocol.named("any"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyProtocol.named("V1"));
        assertTrue(e.getMessage().contains("'V1' is not none, v1, v2 or any"), e.getMessage());
    }

    @Test
    void aMisspeltOrInvalidSettingIsAnErrorNamingIt() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of("atoll.server.max-conections", "10")));
        assertTrue(unknown.getMessage().contains("atoll.server.max-conections"), unknown.getMessage());
        for (Map.Entry<String, String> bad : Map.of("atoll.server.port", "70000", "atoll.server.backlog", "many",
                "atoll.server.at-limit", "drop", "atoll.server.limit-wait", "5 minutes",
                "atoll.server.max-connections", "0", "atoll.server.proxy-protocol", "v3").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.from(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
        IllegalArgumentException acceptors = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of("atoll.server.listen-sockets", "3", "atoll.server.acceptors", "2")).build());
        assertTrue(acceptors.getMessage().contains("3 listen sockets"), acceptors.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder(dev.atoll.transport.Transports.named("nio")).handshakeTimeout(Duration.ZERO));
    }

    @Test
    void aServerFromAMapMakesItsTransportAndClosesItWhenItStops() throws IOException {
        Properties p = new Properties();
        p.setProperty("atoll.transport", "nio");
        p.setProperty("atoll.server.address", "127.0.0.1");
        try (Server server = Server.start(ServerConfig.from(p).build(), ServerSuite.ECHO);
             Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(5_000);
            assertEquals("nio", server.transport().name());
            assertEquals("m", ServerSuite.echo(s, "m"));
        }
        assertThrows(TransportSelectionException.class,
                () -> Server.start(ServerConfig.from(Map.of("atoll.transport", "jsse")).build(), ServerSuite.ECHO),
                "configuration chooses the plain transport only; TLS is atoll.tls");
    }
}
