package dev.atoll.bench;

import java.io.IOException;
import java.net.Socket;
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
 * Echo over many connections at once, the same client driving every server: one operation
 * sends one message on each of the {@code connections} and reads every echo back, so
 * requests per second = score x connections. Servers (see {@link Servers}): Atoll's
 * {@code nio} and {@code iouring} on a bare listener loop, the same backends under Atoll's
 * server layer ({@code server-nio}, {@code server-iouring}), and the baselines
 * {@code jdk-vthreads}, {@code netty-nio} and {@code netty-iouring}. The client is plain JDK sockets on the benchmark's one thread, so
 * every connection has one message in flight and the server's cost per message is what varies.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class EchoBenchmark {

    /** Which server answers. */
    @Param({"jdk-vthreads", "netty-nio", "netty-iouring", "nio", "iouring", "server-nio", "server-iouring"})
    public String server;

    /** How many connections each operation uses. */
    @Param({"1", "16", "64", "256"})
    public int connections;

    /** The bytes of one message. */
    @Param({"64", "16384"})
    public int size;

    private Servers.Running running;
    private final List<Socket> clients = new ArrayList<>();
    private byte[] message;
    private byte[] reply;

    @Setup(Level.Trial)
    public void start() throws Exception {
        running = Servers.start(server, Workloads.ECHO, null);
        message = new byte[size];
        reply = new byte[size];
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(running.address());
            clients.add(s);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        clients.clear();
        running.close();
    }

    /**
     * One message on every connection, and every echo back.
     *
     * @return the bytes read back
     * @throws IOException when the server fails
     */
    @Benchmark
    public int echo() throws IOException {
        for (Socket s : clients) {
            s.getOutputStream().write(message);
        }
        int n = 0;
        for (Socket s : clients) {
            int got = s.getInputStream().readNBytes(reply, 0, size);
            if (got != size) {
                throw new IOException("the server ended the echo after " + got + " of " + size + " bytes");
            }
            n += got;
        }
        return n;
    }
}
