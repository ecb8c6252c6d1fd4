package dev.atoll.bench;

import dev.atoll.tck.TestPki;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.tls.TlsIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code bench/run serve}: an echo server or a minimal HTTP/1.1 responder on any Atoll
 * transport, plain or TLS, for outside tools ({@code wrk}, {@code curl}, {@code openssl
 * s_client}, {@code openssl s_time}). It runs until interrupted.
 *
 * <pre>
 * bench/run serve --transport nio --http --port 8080
 * bench/run serve --transport jsse --http --port 8443             (a throwaway certificate)
 * bench/run serve --transport bctls --cert chain.pem --key key.pem --port 8443
 * </pre>
 *
 * Bouncy Castle's JSSE provider logs every connection at INFO through
 * {@code java.util.logging}; unless logging is configured ({@code java.util.logging.config.file}
 * or {@code .class}), serve logs its warnings and errors only.
 */
public final class Serve {

    private Serve() {
    }

    /** Held so that the level set on it stays: the log manager keeps loggers only weakly. */
    private static final Logger BOUNCY_CASTLE = Logger.getLogger("org.bouncycastle");

    static final String USAGE = """
            usage: bench/run serve [--transport NAME] [--http | --echo] [--bind ADDRESS] [--port N]
                                   [--cert CHAIN.pem --key KEY.pem]
              --transport  any transport on the class path: nio (default), iouring, jsse, bctls, ...
                           a secure one (jsse, bctls) serves TLS; without --cert/--key it makes a
                           throwaway CA and certificate for localhost and prints where the CA is
              --http       answer every HTTP/1.1 request with 200 OK (keep-alive, pipelining)
              --echo       send back whatever arrives (the default)
              --bind       the address to listen on (default 127.0.0.1)
              --port       the port (default 8080; 0 picks a free one)
            """;

    /**
     * Runs the server until the process is interrupted.
     *
     * @param args the options of {@link #USAGE}
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        String name = "nio";
        boolean http = false;
        String bind = "127.0.0.1";
        int port = 8080;
        Path cert = null;
        Path key = null;
        List<String> rest = new ArrayList<>(List.of(args));
        try {
            while (!rest.isEmpty()) {
                String option = rest.remove(0);
                switch (option) {
                    case "--transport" -> name = value(rest, option);
                    case "--http" -> http = true;
                    case "--echo" -> http = false;
                    case "--bind" -> bind = value(rest, option);
                    case "--port" -> port = Integer.parseInt(value(rest, option));
                    case "--cert" -> cert = Path.of(value(rest, option));
                    case "--key" -> key = Path.of(value(rest, option));
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key go together");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("serve: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            BOUNCY_CASTLE.setLevel(Level.WARNING);
        }
        Transport<?, ?> transport = transport(name, cert, key, http);
        Workload workload = http ? new HttpResponder(name) : Workloads.ECHO;
        try (Servers.Running running = Servers.atoll(transport, workload,
                new InetSocketAddress(InetAddress.getByName(bind), port))) {
            String scheme = transport.secure() ? "https" : "http";
            System.out.printf("serving %s over %s (%s) on %s%n", http ? "HTTP/1.1" : "echo", name,
                    transport.secure() ? "TLS" : "plain TCP", running.address());
            if (http) {
                System.out.printf("try: curl%s %s://localhost:%d/%n",
                        transport.secure() && cert == null ? " --cacert " + caFile : "", scheme,
                        running.address().getPort());
            }
            new CountDownLatch(1).await();
        }
    }

    private static Path caFile;

    private static Transport<?, ?> transport(String name, Path cert, Path key, boolean http) throws Exception {
        if (!(Transports.provider(name) instanceof dev.atoll.transport.SecureTransportProvider)) {
            if (cert != null) {
                throw new IllegalArgumentException(name + " is a plain transport: --cert and --key need a TLS one");
            }
            return Transports.named(name);
        }
        TlsConfig.Builder config = TlsConfig.builder();
        if (cert != null) {
            config.identity(TlsIdentity.pem(cert, key));
        } else {
            TestPki pki = TestPki.get();
            config.identity(pki.server().identity());
            caFile = TestPki.writeCertificates(List.of(pki.ca().certificate()),
                    Files.createTempFile("atoll-serve-ca-", ".pem"));
            caFile.toFile().deleteOnExit();
            System.out.println("throwaway CA certificate (trust it to verify the server): " + caFile);
        }
        if (http) {
            config.alpn("http/1.1");
        }
        return Transports.secure(name, config.build());
    }

    private static String value(List<String> rest, String option) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }
}
