package dev.atoll.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * WebSocket echo over many sessions at once, the same client ({@link WebSocketLoad}) driving
 * every server: one operation sends one binary message on each of the {@code connections} and
 * reads every echo back, so messages per second = score x connections. With {@code deflate}
 * the client offers permessage-deflate, compresses its messages and inflates the echoes, and
 * the server must accept it. Servers: see {@link WebSocketServers}. The counter
 * {@code clientCores} is the CPU the client's threads used, in cores (CPU time over the
 * iteration's time): well under the cores the machine has beside the server, the client is
 * not what limits the score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class WebSocketEchoBenchmark {

    /** Which server answers. */
    @Param({"atoll-nio", "atoll-iouring", "netty-nio", "netty-iouring", "jetty"})
    public String server;

    /** The bytes of one message (before compression). */
    @Param({"64", "65536"})
    public int size;

    /** Whether the client offers permessage-deflate (and the server accepts it). */
    @Param({"false", "true"})
    public boolean deflate;

    /** How many sessions each operation uses. */
    @Param({"1", "16", "64", "256"})
    public int connections;

    /** The client's threads; 0 for {@link WebSocketLoad#threads(int)}. */
    @Param({"0"})
    public int clientThreads;

    private Servers.Running running;
    private WebSocketLoad load;

    @Setup(Level.Trial)
    public void start() throws Exception {
        running = WebSocketServers.start(server, deflate, () -> { });
        try {
            load = WebSocketLoad.raw(running.address(), connections, deflate, size, clientThreads);
        } catch (Exception e) {
            running.close();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            load.close();
        } finally {
            running.close();
        }
    }

    /**
     * The CPU the client used during an iteration, in cores: the counter holds CPU seconds,
     * which JMH divides by the iteration's seconds (and averages over iterations, where it would
     * sum an event count).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Client {
        /** The client threads' CPU seconds. */
        public double clientCores;

        private long cpu;

        @Setup(Level.Iteration)
        public void begin(WebSocketEchoBenchmark benchmark) {
            clientCores = 0;
            cpu = benchmark.load.cpuNanos();
        }

        @TearDown(Level.Iteration)
        public void end(WebSocketEchoBenchmark benchmark) {
            clientCores = (benchmark.load.cpuNanos() - cpu) / 1e9;
        }
    }

    /**
     * One message on every session, and every echo back.
     *
     * @param client the client's CPU counter
     * @return the bytes of the echoes
     * @throws IOException when the server fails
     */
    @Benchmark
    public long echo(Client client) throws IOException {
        return load.round();
    }
}
