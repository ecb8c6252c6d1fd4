package dev.atoll.bench;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.bctls.BctlsCrypto;
import dev.atoll.transport.bctls.BctlsTransport;
import dev.atoll.transport.jsse.JsseTransport;
import dev.atoll.transport.tls.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
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
 * The TLS backends side by side, and Bouncy Castle with each crypto arrangement: full TLS 1.3
 * handshakes per second (client and server of the same backend, on loopback), and one-way bulk
 * throughput with AES-128-GCM. {@code jsse} is the baseline of the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TlsCryptoBenchmark {

    /** The backend: {@code jsse}, or {@code bctls} with the JDK's or Bouncy Castle's crypto. */
    @Param({"jsse", "bctls-jdk", "bctls-bc"})
    public String backend;

    /** The bytes one bulk operation sends. */
    static final int CHUNK = 256 * 1024;

    private static final Duration T = Duration.ofSeconds(30);

    private Transport<?, ?> transport;
    private Listener listener;
    private Thread acceptor;
    private Connection bulkClient;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

    static Transport<?, ?> transport(String backend) {
        TlsConfig config = TckTls.serverConfig().toBuilder().protocols("TLSv1.3")
                .cipherSuites("TLS_AES_128_GCM_SHA256").build();
        Transport<?, ?> nio = Transports.named("nio");
        return switch (backend) {
            case "jsse" -> new JsseTransport(config, nio);
            case "bctls-jdk" -> new BctlsTransport(config, nio, BctlsCrypto.JDK);
            case "bctls-bc" -> new BctlsTransport(config, nio, BctlsCrypto.BC);
            default -> throw new IllegalArgumentException(backend);
        };
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        transport = transport(backend);
        listener = Listener.open(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofPlatform().daemon().name("bench acceptor").start(this::serve);
        bulkClient = Connection.connect(transport, listener.address()).handshake(T);
    }

    /** Accepts forever; each connection handshakes and then reads until the end on a virtual thread. */
    private void serve() {
        while (true) {
            Connection accepted;
            try {
                accepted = listener.accept(Transport.INFINITE);
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (Connection c = accepted.handshake(T)) {
                    while (true) {
                        c.recv(0, T);
                    }
                } catch (EndOfStreamException | dev.atoll.transport.ConnectionClosedException done) {
                    // the client is done
                } catch (IOException e) {
                    // the benchmark's client reports failures
                }
            });
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        bulkClient.close();
        listener.close();
        acceptor.join();
    }

    /** One full TLS 1.3 handshake: connect, handshake both sides, close. Score: handshakes per second. */
    @Benchmark
    public Connection handshake() throws IOException {
        try (Connection c = Connection.connect(transport, listener.address()).handshake(T)) {
            return c;
        }
    }

    /** 256 KiB one way through AES-128-GCM. Score times 0.25 = MiB per second. */
    @Benchmark
    public void bulk() throws IOException {
        bulkClient.send(chunk.clear());
    }
}
