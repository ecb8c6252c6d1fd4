package dev.atoll.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
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
 * Memory per idle WebSocket session, the WebSocket sibling of {@link IdleMemoryBenchmark}: the
 * server ({@link WebSocketServers}, without deflate) runs in a JVM of its own
 * ({@link IdleServer} {@code websocket}); this benchmark opens {@code idleConnections} sessions
 * to it, each completing its opening handshake, and leaves them idle, each waiting the way its
 * server waits for a message. It reports, per session, the server's live heap after a full
 * collection ({@code heapBytes}) and its resident memory outside the heap
 * ({@code offHeapBytes}), both measured against the server with 100 sessions already open, so
 * start-up and warm-up are not counted. The score itself is the time to open the sessions and
 * measure; the two counters are the results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class WebSocketIdleMemoryBenchmark {

    /** The server: Atoll's over both plain backends, and raw Netty's WebSocket codec and Jetty for comparison. */
    @Param({"atoll-nio", "atoll-iouring", "netty-nio", "netty-iouring", "jetty"})
    public String server;

    /** How many idle sessions are measured. */
    @Param({"10000"})
    public int idleConnections;

    /** The smallest buffers a client session needs: its messages are never sent. */
    private static final int CLIENT_BUFFER = 256;

    private IdleServerProcess process;
    private InetSocketAddress address;
    private final List<WebSocketClient> clients = new ArrayList<>();

    @Setup(Level.Iteration)
    public void start() throws Exception {
        process = new IdleServerProcess(server, "websocket");
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(process.reply("port ")));
        open(IdleMemoryBenchmark.WARM);
    }

    @TearDown(Level.Iteration)
    public void stop() throws Exception {
        try {
            WebSocketClient.closeAll(clients);
        } finally {
            clients.clear();
            process.close();
        }
    }

    /**
     * Measures the server with the warm sessions, opens the idle ones, measures again.
     *
     * @param result the per-session numbers
     * @throws Exception when the server fails
     */
    @Benchmark
    public void idle(IdleMemoryBenchmark.PerConnection result) throws Exception {
        long[] before = process.measure(IdleMemoryBenchmark.WARM);
        open(idleConnections);
        long[] after = process.measure(IdleMemoryBenchmark.WARM + idleConnections);
        result.heapBytes = (after[0] - before[0]) / (double) idleConnections;
        result.offHeapBytes = (after[1] - before[1]) / (double) idleConnections;
    }

    private void open(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            clients.add(WebSocketClient.connect(address, false, CLIENT_BUFFER));
        }
    }
}
