package dev.atoll.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
 * WebSocket clients against one server: every client ({@link WebSocketClients}) talks to the
 * same raw Netty WebSocket echo server on NIO ({@link WebSocketServers}, {@code netty-nio}, no
 * permessage-deflate). One operation sends one binary message on each of the
 * {@code connections} and waits for every echo, so messages per second = score x connections.
 * Counters: {@code serverCores} is the CPU of the server's event loop threads, in cores (CPU
 * time over the iteration's time); {@code clientCores} is the rest of the JVM's CPU (the
 * client's threads, its I/O threads and virtual thread carriers, and the garbage collector
 * and compiler working for it). A server well under the machine's cores is not what limits the
 * clients.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class WebSocketClientEchoBenchmark {

    /** The server every client talks to. */
    static final String SERVER = "netty-nio";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Which client sends. */
    @Param({"atoll-nio", "atoll-iouring", "jdk", "netty-nio"})
    public String client;

    /** The bytes of one message. */
    @Param({"64", "65536"})
    public int size;

    /** How many sessions each operation uses. */
    @Param({"1", "16", "64"})
    public int connections;

    private Servers.Running running;
    private WebSocketClients.Load load;

    @Setup(Level.Trial)
    public void start() throws Exception {
        running = WebSocketServers.start(SERVER, false, () -> { });
        try {
            load = WebSocketClients.connect(client, running.address(), connections, size);
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
     * The CPU the client and the server used during an iteration, in cores: each counter holds
     * CPU seconds, which JMH divides by the iteration's seconds (and averages over iterations,
     * where it would sum an event count).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Cpu {
        /** The JVM's CPU seconds besides the server's. */
        public double clientCores;
        /** The server threads' CPU seconds. */
        public double serverCores;

        private long process;
        private long server;

        @Setup(Level.Iteration)
        public void begin() {
            clientCores = 0;
            serverCores = 0;
            process = OS.getProcessCpuTime();
            server = serverCpuNanos();
        }

        @TearDown(Level.Iteration)
        public void end() {
            long serverUsed = serverCpuNanos() - server;
            serverCores = serverUsed / 1e9;
            clientCores = (OS.getProcessCpuTime() - process - serverUsed) / 1e9;
        }
    }

    /** The CPU time the server's threads have used so far (they live as long as the server). */
    static long serverCpuNanos() {
        long total = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(WebSocketServers.NETTY_THREADS)) {
                total += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    /**
     * One message on every session, and every echo back.
     *
     * @param cpu the CPU counters
     * @return the bytes of the echoes
     * @throws IOException when a session or the server fails
     */
    @Benchmark
    public long echo(Cpu cpu) throws IOException {
        return load.round();
    }
}
