package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * TLS against a real outside peer, OpenSSL's {@code s_client} and {@code s_server}: versions,
 * ALPN, SNI, certificate verification both ways, client certificates and close_notify.
 * Skipped, saying so, where no {@code openssl} command is on the PATH.
 */
final class OpensslRules {

    private OpensslRules() {
    }

    static RuleGroup group() {
        Capability t = Capability.TLS;
        return new RuleGroup("openssl", List.of(
                Rule.of("OPENSSL-1", t, "openssl s_client (pinned to TLS 1.3 or 1.2 and to AES-GCM or ChaCha20-Poly1305, "
                        + "ALPN, SNI, verifying the server's EC or RSA certificate) talks to the transport's server with its "
                        + "default versions and suites, and both close with close_notify", OpensslRules::sClient),
                Rule.of("OPENSSL-2", t, "the transport's client (default versions and suites, ALPN, an EC or RSA client "
                        + "certificate) talks to openssl s_server pinned to TLS 1.3 or 1.2 and to AES-GCM or ChaCha20-Poly1305, "
                        + "which requires and verifies the certificate", OpensslRules::sServer)));
    }

    /** The PKI's files in PEM, for OpenSSL, with the server and client keys of one algorithm. */
    private record Files4(Path dir, Path ca, Path clientCert, Path clientKey, Path serverCert, Path serverKey) {
    }

    private static Files4 pem(TckContext tck, String key) throws IOException {
        TestPki pki = TestPki.get();
        Path dir = tck.tempDirectory();
        return new Files4(dir,
                TestPki.writeCertificates(List.of(pki.ca().certificate()), dir.resolve("ca.pem")),
                TestPki.writeCertificates(pki.client(key).chain(), dir.resolve("client.pem")),
                TestPki.writeKey(pki.client(key).key(), dir.resolve("client.key")),
                TestPki.writeCertificates(pki.server(key).chain(), dir.resolve("server.pem")),
                TestPki.writeKey(pki.server(key).key(), dir.resolve("server.key")));
    }

    private static String openssl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "openssl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new RuleSkipped("no openssl command on the PATH (install OpenSSL to check against it)");
    }

    /** A started OpenSSL process whose output is collected as it comes. */
    private static final class OpensslProcess implements AutoCloseable {
        final Process process;
        final StringBuffer output = new StringBuffer();
        private final Thread reader;

        OpensslProcess(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            reader = Thread.ofVirtual().name("openssl output").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        output.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            });
        }

        /** Waits for the process to end and for everything it printed to be read. */
        boolean ended(Duration limit) throws InterruptedException {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) && reader.join(limit);
        }

        boolean waitFor(String text, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (output.indexOf(text) >= 0) {
                    return true;
                }
                if (!process.isAlive()) {
                    Thread.sleep(50);
                    return output.indexOf(text) >= 0;
                }
                Thread.sleep(20);
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.getOutputStream().close();
        }
    }

    private static void sClient(TckContext tck) throws Exception {
        String openssl = openssl();
        Files4 files = pem(tck, "EC");
        TestPki pki = TestPki.get();
        for (String key : TestPki.KEY_ALGORITHMS) {
            for (String version : TlsConfig.SAFE_PROTOCOLS) {
                sClient(tck, openssl, files, version, family(key, version), key, TckTls.serverConfig().toBuilder()
                        .alpn("h2", "http/1.1").identity(pki.server(key).identity())
                        .identity("a.example", pki.serverFor("a.example", key).identity()).build());
            }
        }
    }

    /**
     * The cipher family OpenSSL is pinned to for a key algorithm and a version: each version
     * meets both families, and each key both.
     */
    private static String family(String key, String version) {
        int k = TestPki.KEY_ALGORITHMS.indexOf(key);
        int v = TlsConfig.SAFE_PROTOCOLS.indexOf(version);
        return TlsRules.CIPHER_FAMILIES.get((k + v) % TlsRules.CIPHER_FAMILIES.size());
    }

    /** OpenSSL's options that pin it to a version and to the suites of one cipher family (TLS-13's suites). */
    private static List<String> pinned(String version, String family, String key) {
        List<String> names = new ArrayList<>();
        for (String suite : TlsRules.suites(version, family, key)) {
            names.add(version.equals("TLSv1.3") ? suite : suite.replace("TLS_", "").replace("_WITH_", "-")
                    .replace("CHACHA20_POLY1305_SHA256", "CHACHA20-POLY1305").replace("AES_128_GCM", "AES128-GCM")
                    .replace("AES_256_GCM", "AES256-GCM").replace('_', '-'));
        }
        return version.equals("TLSv1.3") ? List.of("-tls1_3", "-ciphersuites", String.join(":", names))
                : List.of("-tls1_2", "-cipher", String.join(":", names));
    }

    private static void sClient(TckContext tck, String openssl, Files4 files, String version, String family, String key,
                                TlsConfig config) throws Exception {
        Listener listener = tck.track(Listener.open(tck.subject().tls().factory().create(config),
                new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
        List<String> command = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + listener.address().getPort(),
                "-servername", "a.example", "-verify_hostname", "a.example", "-CAfile", files.ca().toString(),
                "-verify_return_error", "-alpn", "h2", "-ign_eof"));
        command.addAll(pinned(version, family, key));
        OpensslProcess client = tck.track(new OpensslProcess(command));
        Connection server = tck.accept(listener).handshake(TckContext.IO_TIMEOUT);
        tck.require(server.negotiatedProtocol().equals(Optional.of("h2")),
                "with s_client offering h2 the server negotiated " + server.negotiatedProtocol());
        client.process.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        client.process.getOutputStream().flush();
        tck.requireBytes("hello\n".getBytes(StandardCharsets.US_ASCII), Bytes.of(server.recv(6, TckContext.IO_TIMEOUT)),
                "what s_client sent over " + version + " " + family + " to a server with an " + key + " certificate");
        server.send("HELLO FROM ATOLL\n".getBytes(StandardCharsets.US_ASCII));
        server.shutdown(ShutdownHow.WRITE);
        tck.require(client.ended(TckContext.SHORT_LIMIT),
                "s_client did not end after the server's close_notify; it printed:\n" + client.output);
        String out = client.output.toString();
        String publicKey = "Server public key is " + (key.equals("RSA") ? 2048 : 256) + " bit";
        for (String expected : List.of("HELLO FROM ATOLL", version, "ALPN protocol: h2", "Verify return code: 0 (ok)",
                "CN = a.example", publicKey, family.equals(TlsRules.CHACHA20) ? "CHACHA20" : "GCM")) {
            tck.require(out.contains(expected), "s_client's output lacks '" + expected + "':\n" + out);
        }
        if (tck.subject().claims(Capability.HALF_CLOSE)) {
            tck.requireThrows(EndOfStreamException.class, "recv after s_client ended with close_notify",
                    () -> tck.within(TckContext.SHORT_LIMIT, "recv after s_client ended",
                            () -> server.recv(0, TckContext.IO_TIMEOUT)));
        }
        tck.closeAll();
    }

    private static void sServer(TckContext tck) throws Exception {
        String openssl = openssl();
        for (String key : TestPki.KEY_ALGORITHMS) {
            Files4 files = pem(tck, key);
            for (String version : TlsConfig.SAFE_PROTOCOLS) {
                sServer(tck, openssl, files, version, family(key, version), TestPki.get().client(key));
            }
        }
    }

    private static void sServer(TckContext tck, String openssl, Files4 files, String version, String family,
                                TestPki.Issued clientId) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, TckContext.LOOPBACK_V4)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(openssl, "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", files.serverCert().toString(), "-key", files.serverKey().toString(),
                "-CAfile", files.ca().toString(), "-Verify", "2", "-verify_return_error", "-alpn", "h2", "-rev"));
        command.addAll(pinned(version, family, clientId.key().getAlgorithm()));
        OpensslProcess server = tck.track(new OpensslProcess(command));
        tck.require(server.waitFor("ACCEPT", TckContext.SHORT_LIMIT), "s_server did not start:\n" + server.output);
        TlsConfig config = TckTls.serverConfig().toBuilder().identity(clientId.identity()).alpn("h2").build();
        Connection client = tck.track(Connection.connect(tck.subject().tls().factory().create(config),
                new InetSocketAddress(TckContext.LOOPBACK_V4, port), SocketOptions.none(), TckContext.IO_TIMEOUT))
                .handshake(TckContext.IO_TIMEOUT);
        tck.require(client.negotiatedProtocol().equals(Optional.of("h2")),
                "with s_server offering h2 the client negotiated " + client.negotiatedProtocol());
        tck.require(((X509Certificate) client.peercert().get(0)).getSubjectX500Principal().getName().equals("CN=localhost"),
                "the client sees server certificate " + client.peercert());
        client.send("atoll\n".getBytes(StandardCharsets.US_ASCII));
        tck.requireBytes("llota\n".getBytes(StandardCharsets.US_ASCII), Bytes.of(client.recv(6, TckContext.IO_TIMEOUT)),
                "s_server's reversed line over " + version + " " + family + " with an " + clientId.key().getAlgorithm()
                        + " client certificate");
        client.shutdown(ShutdownHow.WRITE);
        tck.require(server.waitFor("CONNECTION CLOSED", TckContext.SHORT_LIMIT) || server.output.indexOf("DONE") >= 0,
                "s_server did not see the client's close_notify:\n" + server.output);
        String out = server.output.toString();
        tck.require(!out.contains("No peer certificate") && out.contains(version),
                "s_server did not verify an " + clientId.key().getAlgorithm() + " client certificate over " + version + ":\n"
                        + out);
        tck.closeAll();
    }

}
