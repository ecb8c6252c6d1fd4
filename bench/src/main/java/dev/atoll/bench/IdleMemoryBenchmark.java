package dev.atoll.bench;

import dev.atoll.tck.TckTls;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Memory per idle connection. The server runs in a JVM of its own ({@link IdleServer}, heap
 * fixed and touched up front so its resident size moves only with what lies outside the heap);
 * this benchmark opens {@code idleConnections} client connections to it (TLS ones complete their
 * handshake) and leaves them idle, each served the way the server serves a connection: a
 * virtual thread blocked in a receive, or a Netty channel waiting for a read. It reports, per
 * connection, the server's live heap after a full collection ({@code heapBytes}) and its
 * resident memory outside the heap ({@code offHeapBytes}), both measured against the server with
 * 100 connections already open, so start-up and warm-up are not counted. The score itself is
 * the time to open the connections and measure; the two counters are the results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class IdleMemoryBenchmark {

    /** The server: Atoll's backends, and raw Netty and plain JDK sockets for comparison. */
    @Param({"netty-nio", "netty-iouring", "jdk-vthreads", "nio", "iouring", "jsse", "bctls"})
    public String server;

    /** How many idle connections are measured. */
    @Param({"10000"})
    public int idleConnections;

    static final int WARM = 100;

    /** What one iteration measured, per connection. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PerConnection {
        /** Live heap bytes per idle connection. */
        public double heapBytes;
        /** Resident bytes outside the heap per idle connection. */
        public double offHeapBytes;
    }

    private IdleServerProcess process;
    private InetSocketAddress address;
    private Tls tls;
    private SSLContext client;
    private final List<Closeable> clients = new ArrayList<>();

    @Setup(Level.Iteration)
    public void start() throws Exception {
        boolean secure = server.equals("jsse") || server.startsWith("bctls");
        tls = secure ? new Tls("TLSv1.3") : null;
        process = new IdleServerProcess(server, secure ? "TLSv1.3" : "plain");
        if (secure) {
            byte[] ca = Base64.getDecoder().decode(process.reply("ca "));
            X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(ca));
            client = TckTls.jdkContext(null, anchor);
        }
        String port = process.reply("port ");
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port));
        open(WARM);
    }

    @TearDown(Level.Iteration)
    public void stop() throws Exception {
        for (Closeable c : clients) {
            c.close();
        }
        clients.clear();
        process.close();
    }

    /**
     * Measures the server with the warm connections, opens the idle ones, measures again.
     *
     * @param result the per-connection numbers
     * @throws Exception when the server fails
     */
    @Benchmark
    public void idle(PerConnection result) throws Exception {
        long[] before = process.measure(WARM);
        open(idleConnections);
        long[] after = process.measure(WARM + idleConnections);
        result.heapBytes = (after[0] - before[0]) / (double) idleConnections;
        result.offHeapBytes = (after[1] - before[1]) / (double) idleConnections;
    }

    private void open(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (tls == null) {
                clients.add(SocketChannel.open(address));
            } else {
                clients.add(tls.connect(client, address, new Socket()));
            }
        }
    }
}
