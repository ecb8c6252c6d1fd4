package dev.atoll.bench;

import dev.atoll.server.ProxyProtocol;
import dev.atoll.server.ServerConfig;
import dev.atoll.tck.TestPki;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.spi.SettingValues;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.tls.TlsIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code bench/run serve}: an echo server or a minimal HTTP/1.1 responder ({@link HttpResponder})
 * on any Atoll transport, plain or TLS, run as handlers of Atoll's server layer (with its
 * connection limit and, behind a proxy, the PROXY protocol), for outside tools ({@code wrk}, {@code curl}, {@code openssl
 * s_client}, {@code openssl s_time}). It runs until interrupted.
 *
 * <pre>
 * bench/run serve --transport nio --http --port 8080
 * bench/run serve --transport jsse --http --port 8443             (a throwaway certificate)
 * bench/run serve --transport bctls --cert chain.pem --key key.pem --port 8443
 * bench/run serve --http --proxy-protocol v2 --max-connections 1000   (behind HAProxy's send-proxy-v2)
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
                                   [--cert CHAIN.pem --key KEY.pem] [--max-connections N]
                                   [--proxy-protocol none|v1|v2|any] [--head-timeout DURATION]
              --transport        any transport on the class path: nio (default), iouring, jsse, bctls, ...
                                 a secure one (jsse, bctls) serves TLS; without --cert/--key it makes a
                                 throwaway CA and certificate for localhost and prints where the CA is
              --http             answer every HTTP/1.1 request with 200 OK (keep-alive, pipelining);
                                 heads over 16 KiB get 431, bodies over 1 MiB 413, malformed requests 400
              --echo             send back whatever arrives (the default)
              --bind             the address to listen on (default 127.0.0.1)
              --port             the port (default 8080; 0 picks a free one)
              --max-connections  the most connections served at once; more wait in the backlog (default 16384)
              --proxy-protocol   whether each connection begins with a PROXY protocol header (default none)
              --head-timeout     how long a whole HTTP request head may take, then 408 (default 10s)
            """;

    /** What the command line asks for. */
    record Options(String transport, boolean http, InetSocketAddress address, Path cert, Path key, int maxConnections,
                   ProxyProtocol proxyProtocol, Duration headTimeout) {

        /**
         * Reads the options of {@link #USAGE}.
         *
         * @param args the command line
         * @return the options, or {@code null} when help was asked for
         * @throws IllegalArgumentException when an option is unknown or its value invalid
         */
        static Options parse(List<String> args) {
            String name = "nio";
            boolean http = false;
            String bind = "127.0.0.1";
            int port = 8080;
            Path cert = null;
            Path key = null;
            int maxConnections = ServerConfig.DEFAULT_MAX_CONNECTIONS;
            ProxyProtocol proxy = ProxyProtocol.NONE;
            Duration headTimeout = HttpResponder.HEAD_TIMEOUT;
            List<String> rest = new ArrayList<>(args);
            while (!rest.isEmpty()) {
                String option = rest.remove(0);
                switch (option) {
                    case "--transport" -> name = value(rest, option);
                    case "--http" -> http = true;
                    case "--echo" -> http = false;
                    case "--bind" -> bind = value(rest, option);
                    case "--port" -> port = SettingValues.integer(option, value(rest, option), 0, 65_535);
                    case "--cert" -> cert = Path.of(value(rest, option));
                    case "--key" -> key = Path.of(value(rest, option));
                    case "--max-connections" -> maxConnections = SettingValues.integer(option, value(rest, option), 1,
                            Integer.MAX_VALUE);
                    case "--proxy-protocol" -> proxy = ProxyProtocol.named(value(rest, option));
                    case "--head-timeout" -> headTimeout = SettingValues.duration(option, value(rest, option));
                    case "--help", "-h" -> {
                        return null;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key go together");
            }
            InetAddress host;
            try {
                host = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind: '" + bind + "' cannot be resolved", e);
            }
            return new Options(name, http, new InetSocketAddress(host, port), cert, key, maxConnections, proxy, headTimeout);
        }

        /**
         * Starts the server these options ask for, on Atoll's server layer.
         *
         * @param transport the transport, made from these options ({@link Serve#transport}); the
         *                  running server closes it when it stops
         * @return the running server
         * @throws IOException when it cannot listen
         */
        Servers.Running start(Transport<?, ?> transport) throws IOException {
            return Servers.server(ServerConfig.builder(transport).address(address).maxConnections(maxConnections)
                    .proxyProtocol(proxyProtocol),
                    http ? new HttpResponder(this.transport, headTimeout) : Servers.handler(Workloads.ECHO));
        }
    }

    /**
     * Runs the server until the process is interrupted.
     *
     * @param args the options of {@link #USAGE}
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("serve: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            BOUNCY_CASTLE.setLevel(Level.WARNING);
        }
        Transport<?, ?> transport = transport(options.transport(), options.cert(), options.key(), options.http());
        try (Servers.Running running = options.start(transport)) {
            String scheme = transport.secure() ? "https" : "http";
            System.out.printf("serving %s over %s (%s) on %s%s%n", options.http() ? "HTTP/1.1" : "echo",
                    options.transport(), transport.secure() ? "TLS" : "plain TCP", running.address(),
                    options.proxyProtocol() == ProxyProtocol.NONE ? ""
                            : ", each connection after a PROXY header (" + options.proxyProtocol() + ")");
            if (options.http()) {
                System.out.printf("try: curl%s%s %s://localhost:%d/%n",
                        transport.secure() && options.cert() == null ? " --cacert " + caFile : "",
                        options.proxyProtocol() == ProxyProtocol.NONE ? "" : " --haproxy-protocol", scheme,
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
