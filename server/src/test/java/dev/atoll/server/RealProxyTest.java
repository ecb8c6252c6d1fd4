package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol with real proxies, none written here: HAProxy ({@code send-proxy} and
 * {@code send-proxy-v2}) in front of a plain and a TLS server, and {@code curl --haproxy-protocol}.
 * Skipped, saying why, where a tool is missing.
 */
@Timeout(60)
class RealProxyTest {

    @TempDir
    Path dir;

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("haproxy did not listen on " + port + ": "
                            + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                Thread.sleep(50);
            }
        }
    }

    /** HAProxy relaying two ports to the server, one with each version of the header. */
    private Process haproxy(int serverPort, int v1Port, int v2Port) throws Exception {
        assumeTrue(onPath("haproxy"), "haproxy is not installed (Debian: apt-get install haproxy)");
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 30s",
                "  timeout server 30s",
                "frontend v1",
                "  bind 127.0.0.1:" + v1Port,
                "  default_backend v1",
                "backend v1",
                "  server atoll 127.0.0.1:" + serverPort + " send-proxy",
                "frontend v2",
                "  bind 127.0.0.1:" + v2Port,
                "  default_backend v2",
                "backend v2",
                "  server atoll 127.0.0.1:" + serverPort + " send-proxy-v2",
                ""));
        String binary = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
        Process p = new ProcessBuilder(binary, "-db", "-f", config.toString()).redirectErrorStream(true).start();
        awaitListening(v1Port, p);
        awaitListening(v2Port, p);
        return p;
    }

    private void throughHaproxy(Backend backend) throws Exception {
        try (Transport<?, ?> transport = backend.open();
             Server server = Server.start(ServerConfig.builder(transport).address(new InetSocketAddress("127.0.0.1", 0))
                     .proxyProtocol(ProxyProtocol.ANY).build(), ServerSuite.WHO)) {
            int v1 = freePort();
            int v2 = freePort();
            Process proxy = haproxy(server.address().getPort(), v1, v2);
            try {
                for (int port : List.of(v1, v2)) {
                    try (Socket raw = new Socket("127.0.0.1", port)) {
                        raw.setSoTimeout(10_000);
                        Socket s = raw;
                        if (backend.tls()) {
                            SSLSocket tls = TckTls.layer(raw, true, TckTls.jdkContext(null));
                            tls.startHandshake();
                            s = tls;
                        }
                        String who = ServerSuite.readLine(s);
                        // The header names this very client: its address and port, as the proxy saw them.
                        assertEquals(raw.getLocalSocketAddress() + " via 127.0.0.1 v" + (port == v1 ? 1 : 2), who);
                        assertEquals("through", ServerSuite.echo(s, "through"));
                    }
                }
            } finally {
                proxy.destroy();
                proxy.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void haproxyInFrontOfAPlainServer() throws Exception {
        throughHaproxy(Backend.plain("nio"));
    }

    @Test
    void haproxyInFrontOfATlsServer() throws Exception {
        throughHaproxy(Backend.secure("jsse", "iouring"));
    }

    @Test
    void curlSendsAVersionOneHeader() throws Exception {
        assumeTrue(onPath("curl"), "curl is not installed");
        ConnectionHandler http = (c, context) -> {
            c.recvUntil("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 16 * 1024, Duration.ofSeconds(10));
            String body = context.peer().getAddress().getHostAddress() + " v" + context.proxyHeader().orElseThrow().version();
            c.send(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                    + body).getBytes(StandardCharsets.US_ASCII)));
        };
        try (Transport<?, ?> nio = Backend.plain("nio").open();
             Server server = Server.start(ServerConfig.builder(nio).address(new InetSocketAddress("127.0.0.1", 0))
                     .proxyProtocol(ProxyProtocol.V1).build(), http)) {
            Process curl = new ProcessBuilder("curl", "-s", "--max-time", "10", "--haproxy-protocol",
                    "http://127.0.0.1:" + server.address().getPort() + "/").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            curl.waitFor(15, TimeUnit.SECONDS);
            assertEquals("127.0.0.1 v1", out);
        }
    }
}
