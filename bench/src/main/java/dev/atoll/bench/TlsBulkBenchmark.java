package dev.atoll.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
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
 * TLS 1.3 bulk throughput with {@code TLS_AES_128_GCM_SHA256} over one connection: the server
 * sends 64 KiB per send call, over and over; the client, a JDK {@code SSLSocket} for every
 * server, reads. One operation is one MiB read, so the score is MiB per second. Servers: the
 * JDK's {@code SSLSocket} (baseline), {@code jsse}, {@code bctls} (the JDK's crypto under Bouncy
 * Castle's TLS) and {@code bctls-bc} (Bouncy Castle's crypto too). The harness adds
 * {@code openssl speed}'s AES-128-GCM rate as the ceiling of the cipher on this machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class TlsBulkBenchmark {

    /** Which server sends. */
    @Param({"sslsocket", "jsse", "bctls", "bctls-bc"})
    public String server;

    private Servers.Running running;
    private SSLSocket client;
    private InputStream in;
    private final byte[] into = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void start() throws Exception {
        Tls tls = new Tls("TLSv1.3");
        running = Servers.start(server, Workloads.source(64 * 1024), tls);
        client = tls.connect(Tls.clientContext(), running.address());
        in = client.getInputStream();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        running.close();
    }

    /**
     * Reads one MiB of the server's stream.
     *
     * @return the bytes read
     * @throws IOException when the server ends the stream
     */
    @Benchmark
    public int mebibyte() throws IOException {
        return Streams.drain(in, into, BulkBenchmark.MIB);
    }
}
