package dev.atoll.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.ProxyProtocol;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench/run serve}'s options reach the server layer: the connection limit and the PROXY protocol. */
class ServeTest {

    @Test
    void readsEveryOptionAndRefusesBadValues() throws Exception {
        Serve.Options o = Serve.Options.parse(List.of("--http", "--port", "0", "--max-connections", "3",
                "--proxy-protocol", "v2", "--head-timeout", "250ms"));
        assertTrue(o.http());
        assertEquals(3, o.maxConnections());
        assertEquals(ProxyProtocol.V2, o.proxyProtocol());
        assertEquals(Duration.ofMillis(250), o.headTimeout());
        assertNull(Serve.Options.parse(List.of("--help")));
        for (List<String> bad : List.of(List.of("--max-connections", "0"), List.of("--proxy-protocol", "v3"),
                List.of("--head-timeout", "soon"), List.of("--port", "70000"), List.of("--cert", "a.pem"),
                List.of("--bind", "no-such-host.invalid"))) {
            assertThrows(IllegalArgumentException.class, () -> Serve.Options.parse(bad), bad.toString());
        }
    }

    @Test
    void servesBehindAProxyWithinTheConnectionLimit() throws Exception {
        Serve.Options o = Serve.Options.parse(List.of("--http", "--port", "0", "--max-connections", "1",
                "--proxy-protocol", "v1"));
        try (Servers.Running running = o.start(Transports.named("nio"))) {
            String proxied = "PROXY TCP4 192.0.2.1 127.0.0.1 5555 80\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
            try (Socket first = connect(running); Socket second = connect(running)) {
                HttpResponderTest.write(first, proxied);
                assertEquals(200, HttpResponderTest.read(first.getInputStream()).status());
                HttpResponderTest.write(second, proxied);
                second.setSoTimeout(500);
                assertThrows(SocketTimeoutException.class, () -> second.getInputStream().read(),
                        "the second connection waits while the first holds the only place");
                first.close();
                second.setSoTimeout(5_000);
                assertEquals(200, HttpResponderTest.read(second.getInputStream()).status(),
                        "served once the first connection ended");
            }
            try (Socket unproxied = connect(running)) {
                HttpResponderTest.write(unproxied, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThrows(IOException.class, () -> HttpResponderTest.read(unproxied.getInputStream()),
                        "a connection without a PROXY header is closed unanswered");
            }
        }
    }

    private static Socket connect(Servers.Running running) throws IOException {
        Socket s = new Socket();
        s.connect(running.address(), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }
}
