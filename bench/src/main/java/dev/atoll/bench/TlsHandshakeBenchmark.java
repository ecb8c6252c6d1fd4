package dev.atoll.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TLS handshakes per second, full and resumed, TLS 1.3 and 1.2 with AES-128-GCM on an EC P-256
 * certificate. One operation connects a JDK {@code SSLSocket} client (the same for every
 * server), completes the handshake, sends close_notify and reads to the server's; the server
 * handshakes, reads to the end and closes. {@code full}: the client forgets every session, so each handshake is
 * a full one. {@code resumed}: the client keeps its session cache, so the server may resume
 * (TLS 1.2 session id or ticket, TLS 1.3 PSK); setup checks that it does and fails otherwise.
 * Servers: the JDK's {@code SSLSocket} (baseline), {@code jsse}, {@code bctls},
 * {@code bctls-bc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class TlsHandshakeBenchmark {

    /** Which server answers. */
    @Param({"sslsocket", "jsse", "bctls", "bctls-bc"})
    public String server;

    /** The protocol version. */
    @Param({"TLSv1.3", "TLSv1.2"})
    public String protocol;

    /** Full handshakes, or resumed ones. */
    @Param({"full", "resumed"})
    public String session;

    private Tls tls;
    private Servers.Running running;
    private SSLContext client;
    private boolean resume;

    @Setup(Level.Trial)
    public void start() throws Exception {
        tls = new Tls(protocol);
        resume = session.equals("resumed");
        running = Servers.start(server, Workloads.DISCARD, tls);
        client = Tls.clientContext();
        long first = handshakeBytes();
        long second = handshakeBytes();
        if (resume != Sessions.resumed(first, second)) {
            throw new IllegalStateException(server + " over " + protocol + (resume ? " did not resume" : " resumed")
                    + " a session: the client received " + first + " bytes in the first handshake, "
                    + second + " in the second");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        running.close();
    }

    private long handshakeBytes() throws IOException {
        Sessions.CountingSocket raw = new Sessions.CountingSocket();
        try (SSLSocket socket = tls.connect(client, running.address(), raw)) {
            long handshake = raw.read();
            close(socket);
            return handshake;
        }
    }

    /**
     * Closes the way a polite client does: close_notify, then read to the server's. Reading on
     * is also what takes in a TLS 1.3 server's session ticket, sent after the handshake.
     */
    private SSLSession close(SSLSocket socket) throws IOException {
        socket.shutdownOutput();
        if (socket.getInputStream().read() != -1) {
            throw new IOException(server + " sent data; it should only have read to the end");
        }
        SSLSession s = socket.getSession();
        if (!resume) {
            s.invalidate();
        }
        return s;
    }

    private SSLSession connect() throws IOException {
        try (SSLSocket socket = tls.connect(client, running.address())) {
            return close(socket);
        }
    }

    /**
     * One handshake: connect, handshake, close.
     *
     * @return the session
     * @throws IOException when the handshake fails
     */
    @Benchmark
    public SSLSession handshake() throws IOException {
        return connect();
    }
}
