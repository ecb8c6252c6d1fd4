package dev.atoll.bench;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
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
 * Echo of 64-byte messages over many connections at once, the same client driving every
 * server: one operation sends a message on each of the {@code connections} and reads every
 * echo back, so requests per second = score x connections. Servers: Atoll's {@code nio} and
 * {@code iouring} (a virtual thread per connection, recv then send), and baselines doing the
 * same without Atoll: plain JDK blocking sockets on virtual threads, and raw Netty io_uring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class EchoBenchmark {

    /** Which server answers. */
    @Param({"jdk-vthreads", "nio", "netty-iouring", "iouring"})
    public String server;

    /** How many connections each operation uses. */
    @Param({"1", "16", "64", "256"})
    public int connections;

    static final int MESSAGE = 64;

    private AutoCloseable running;
    private InetSocketAddress address;
    private final List<Socket> clients = new ArrayList<>();
    private final byte[] message = new byte[MESSAGE];
    private final byte[] reply = new byte[MESSAGE];

    @Setup(Level.Trial)
    public void start() throws Exception {
        running = switch (server) {
            case "jdk-vthreads" -> jdkServer();
            case "netty-iouring" -> nettyServer();
            default -> atollServer(Transports.named(server));
        };
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(address);
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

    @Benchmark
    public int echo() throws IOException {
        for (Socket s : clients) {
            s.getOutputStream().write(message);
        }
        int n = 0;
        for (Socket s : clients) {
            n += s.getInputStream().readNBytes(reply, 0, MESSAGE);
        }
        return n;
    }

    private AutoCloseable atollServer(Transport<?, ?> transport) throws IOException {
        Listener listener = Listener.open(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        address = listener.address();
        Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                Connection c;
                try {
                    c = listener.accept(Transport.INFINITE);
                    c.setopt(StandardSocketOptions.TCP_NODELAY, true);
                } catch (IOException closed) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (c) {
                        while (true) {
                            ByteBuffer got = c.recv(0, Transport.INFINITE);
                            c.send(got);
                        }
                    } catch (IOException done) {
                        // the client closed
                    }
                });
            }
        });
        return () -> {
            listener.close();
            acceptor.join();
            if (transport instanceof AutoCloseable closeable) {
                closeable.close();
            }
        };
    }

    private AutoCloseable jdkServer() throws IOException {
        ServerSocket serverSocket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        address = (InetSocketAddress) serverSocket.getLocalSocketAddress();
        Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                Socket s;
                try {
                    s = serverSocket.accept();
                    s.setTcpNoDelay(true);
                } catch (IOException closed) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] buffer = new byte[16 * 1024];
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            out.write(buffer, 0, n);
                        }
                    } catch (IOException done) {
                        // the client closed
                    }
                });
            }
        });
        return () -> {
            serverSocket.close();
            acceptor.join();
        };
    }

    private AutoCloseable nettyServer() throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                IoUringIoHandler.newFactory());
        Channel channel = new ServerBootstrap().group(group).channel(IoUringServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.write(msg);
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                ctx.flush();
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        address = (InetSocketAddress) channel.localAddress();
        return () -> {
            channel.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        };
    }
}
