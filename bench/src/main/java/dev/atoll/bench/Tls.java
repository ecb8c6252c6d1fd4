package dev.atoll.bench;

import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.bctls.BctlsCrypto;
import dev.atoll.transport.bctls.BctlsTransport;
import dev.atoll.transport.jsse.JsseTransport;
import dev.atoll.transport.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS of the benchmarks: one protocol version and its AES-128-GCM suite, on the TCK's
 * generated EC P-256 certificates, for Atoll's TLS backends and for the JDK's {@code SSLSocket}
 * baseline alike.
 *
 * @param protocol {@code TLSv1.3} or {@code TLSv1.2}
 */
record Tls(String protocol) {

    /** The name of the TLS baseline server: the JDK's {@code SSLServerSocket}, a virtual thread per connection. */
    static final String SSLSOCKET = "sslsocket";

    /**
     * The AES-128-GCM cipher suite of the protocol.
     *
     * @return the suite's standard name
     */
    String suite() {
        return switch (protocol) {
            case "TLSv1.3" -> "TLS_AES_128_GCM_SHA256";
            case "TLSv1.2" -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            default -> throw new IllegalArgumentException("no benchmark suite for " + protocol);
        };
    }

    /**
     * Atoll's TLS backend of that name, over {@code nio}, serving the test certificate.
     *
     * @param backend {@code jsse}, {@code bctls} (the JDK's crypto) or {@code bctls-bc}
     *                (Bouncy Castle's crypto)
     * @return the transport
     */
    Transport<?, ?> transport(String backend) {
        TlsConfig config = TckTls.serverConfig().toBuilder().protocols(protocol).cipherSuites(suite()).build();
        Transport<?, ?> nio = Transports.named("nio");
        return switch (backend) {
            case "jsse" -> new JsseTransport(config, nio);
            case "bctls" -> new BctlsTransport(config, nio, BctlsCrypto.JDK);
            case "bctls-bc" -> new BctlsTransport(config, nio, BctlsCrypto.BC);
            default -> throw new IllegalArgumentException("not a TLS backend: " + backend);
        };
    }

    /**
     * A JDK server socket presenting the test certificate with this protocol and suite.
     *
     * @return the bound server socket, on loopback, an ephemeral port
     * @throws IOException when it cannot bind
     */
    SSLServerSocket serverSocket() throws IOException {
        SSLServerSocket server = (SSLServerSocket) SERVER.getServerSocketFactory()
                .createServerSocket(0, 1024, java.net.InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {protocol});
        server.setEnabledCipherSuites(new String[] {suite()});
        return server;
    }

    /**
     * A new client context trusting the test CA: its session cache is what resumes.
     *
     * @return the context
     */
    static SSLContext clientContext() {
        return TckTls.jdkContext(null);
    }

    /**
     * Connects a JDK TLS client (hostname verified) and completes its handshake.
     *
     * @param context the client context
     * @param address the server
     * @return the connected client socket
     * @throws IOException when it cannot connect or handshake
     */
    SSLSocket connect(SSLContext context, InetSocketAddress address) throws IOException {
        return connect(context, address, new Socket());
    }

    /**
     * Connects a JDK TLS client (hostname verified) over a given plain socket and completes
     * its handshake.
     *
     * @param context the client context
     * @param address the server
     * @param raw     the unconnected plain socket to connect and layer TLS over
     * @return the connected client socket
     * @throws IOException when it cannot connect or handshake
     */
    SSLSocket connect(SSLContext context, InetSocketAddress address, Socket raw) throws IOException {
        raw.setTcpNoDelay(true);
        raw.connect(address);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", address.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {protocol});
        parameters.setCipherSuites(new String[] {suite()});
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static final SSLContext SERVER = TckTls.jdkContext(TestPki.get().server());

    /** Bouncy Castle's JSSE logs every connection at INFO; a benchmark's output has no room for that. */
    private static final Logger BOUNCY_CASTLE = Logger.getLogger("org.bouncycastle");

    static {
        BOUNCY_CASTLE.setLevel(Level.WARNING);
    }
}
