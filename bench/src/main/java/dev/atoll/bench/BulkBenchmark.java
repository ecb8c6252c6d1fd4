package dev.atoll.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
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
 * One-way bulk throughput over one plain connection: the server sends the same
 * {@code writeSize} bytes over and over, one send call each, and the client (a JDK
 * {@code SocketChannel} reading into a 256 KiB direct buffer, the same for every server) reads.
 * One operation is one MiB read, so the score is MiB per second. The sweep of write sizes shows
 * the cost each server pays per send call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class BulkBenchmark {

    /** Which server sends. */
    @Param({"jdk-vthreads", "netty-nio", "netty-iouring", "nio", "iouring"})
    public String server;

    /** The bytes of each of the server's send calls. */
    @Param({"1024", "16384", "262144"})
    public int writeSize;

    static final int MIB = 1024 * 1024;

    private Servers.Running running;
    private SocketChannel client;
    private final ByteBuffer into = ByteBuffer.allocateDirect(256 * 1024);

    @Setup(Level.Trial)
    public void start() throws Exception {
        running = Servers.start(server, Workloads.source(writeSize), null);
        client = SocketChannel.open(running.address());
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
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
        return Streams.drain(client, into, MIB);
    }
}
