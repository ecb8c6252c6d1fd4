package dev.atoll.bench;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * A file served whole, by {@code sendfile} or by reading it into a 64 KiB buffer and sending
 * that ({@code read-and-send}), over each backend: plain ({@code nio}, {@code iouring}) and TLS
 * 1.3 ({@code jsse}, {@code bctls}). One operation asks for the file with one byte and reads it
 * all; MiB per second = score x {@code fileMiB}. The client reads with a JDK
 * {@code SocketChannel} (plain) or a JDK {@code SSLSocket} (TLS), the same for both methods. The
 * file sits in the page cache (it is read once before measuring), as a busy server's would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class SendfileBenchmark {

    /** The backend serving the file. */
    @Param({"nio", "iouring", "jsse", "bctls"})
    public String backend;

    /** How the backend sends it. */
    @Param({"sendfile", "read-and-send"})
    public String method;

    /** The file's size in MiB. */
    @Param({"256"})
    public int fileMiB;

    static final int BUFFER = 64 * 1024;

    private Path file;
    private Servers.Running running;
    private SocketChannel plainClient;
    private SSLSocket tlsClient;
    private final ByteBuffer into = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] intoArray = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void start() throws Exception {
        file = Files.createTempFile("atoll-bench-", ".bin");
        byte[] block = new byte[1024 * 1024];
        new java.util.Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < fileMiB; i++) {
                out.write(block);
            }
        }
        boolean tls = backend.equals("jsse") || backend.startsWith("bctls");
        Tls settings = tls ? new Tls("TLSv1.3") : null;
        boolean sendfile = method.equals("sendfile");
        running = Servers.start(backend, c -> serveFile(c, sendfile), settings);
        if (tls) {
            tlsClient = settings.connect(Tls.clientContext(), running.address());
        } else {
            plainClient = SocketChannel.open(running.address());
            plainClient.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        fetch();
    }

    private void serveFile(Connection c, boolean sendfile) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        while (true) {
            c.recv(1, Transport.INFINITE);
            if (sendfile) {
                c.sendfile(file, 0, 0);
            } else {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    while (in.read(buffer.clear()) > 0) {
                        c.send(buffer.flip());
                    }
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (plainClient != null) {
            plainClient.close();
        }
        if (tlsClient != null) {
            tlsClient.close();
        }
        running.close();
        Files.deleteIfExists(file);
    }

    /**
     * Asks for the file and reads all of it.
     *
     * @return the bytes read
     * @throws IOException when the server fails
     */
    @Benchmark
    public int fetch() throws IOException {
        long size = (long) fileMiB << 20;
        if (plainClient != null) {
            plainClient.write(ByteBuffer.wrap(new byte[] {1}));
            return Streams.drain(plainClient, into, size);
        }
        OutputStream out = tlsClient.getOutputStream();
        out.write(1);
        out.flush();
        InputStream in = tlsClient.getInputStream();
        return Streams.drain(in, intoArray, size);
    }
}
