package dev.atoll.bench;

import dev.atoll.server.ConnectionHandler;
import dev.atoll.server.Server;
import dev.atoll.server.ServerConfig;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the servers the benchmarks compare, each running a {@link Workload} per connection.
 * Server names: {@code jdk-vthreads} (plain JDK blocking sockets, a virtual thread each),
 * {@code netty-nio} and {@code netty-iouring} (raw Netty), {@code sslsocket} (the JDK's TLS
 * sockets, a virtual thread each), Atoll's backends by name ({@code nio}, {@code iouring};
 * with TLS: {@code jsse}, {@code bctls}, {@code bctls-bc}), a virtual thread per connection
 * accepted by a bare {@link Listener} loop, and the same plain backends under Atoll's
 * {@link Server} ({@code server-nio}, {@code server-iouring}), which adds its acceptors, limits,
 * telemetry and drain to the loop.
 */
final class Servers {

    private Servers() {
    }

    /** A running server: where it listens, and how to stop it. */
    interface Running extends AutoCloseable {

        /**
         * Where the server listens.
         *
         * @return the loopback address
         */
        InetSocketAddress address();
    }

    /** The prefix of the servers that run on Atoll's {@link Server}: {@code server-nio}, {@code server-iouring}. */
    static final String SERVER = "server-";

    /** How long a TLS server waits for a client's handshake. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Starts a server on an ephemeral loopback port.
     *
     * @param name     the server's name (see the class)
     * @param workload what it does with each connection
     * @param tls      the TLS to speak, or {@code null} for plain TCP
     * @return the running server
     * @throws Exception when it cannot start
     */
    static Running start(String name, Workload workload, Tls tls) throws Exception {
        return switch (name) {
            case "jdk-vthreads" -> jdk(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()), workload);
            case Tls.SSLSOCKET -> jdk(tls.serverSocket(), workload);
            case "netty-nio" -> netty(new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()),
                    NioServerSocketChannel.class, workload);
            case "netty-iouring" -> netty(new MultiThreadIoEventLoopGroup(IoUringIoHandler.newFactory()),
                    IoUringServerSocketChannel.class, workload);
            case "server-nio", "server-iouring" -> {
                if (tls != null) {
                    throw new IllegalArgumentException(name + " is a plain server; TLS servers are measured without Server");
                }
                yield server(ServerConfig.builder(Transports.named(name.substring(SERVER.length())))
                        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), handler(workload));
            }
            default -> atoll(tls == null ? Transports.named(name) : tls.transport(name), workload,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        };
    }

    private static Running running(InetSocketAddress address, AutoCloseable stop) {
        return new Running() {
            @Override
            public InetSocketAddress address() {
                return address;
            }

            @Override
            public void close() throws Exception {
                stop.close();
            }
        };
    }

    /**
     * Starts an Atoll server: a virtual thread per accepted connection, which handshakes first
     * if the transport is secure. Stopping it closes the transport too.
     *
     * @param transport the transport
     * @param workload  what it does with each connection
     * @param bind      where to listen
     * @return the running server
     * @throws IOException when it cannot listen
     */
    static Running atoll(Transport<?, ?> transport, Workload workload, InetSocketAddress bind) throws IOException {
        Listener listener = Listener.open(transport, bind);
        Set<Thread> serving = ConcurrentHashMap.newKeySet();
        Thread acceptor = Thread.ofPlatform().daemon().name("bench acceptor").start(() -> {
            while (true) {
                Connection accepted;
                try {
                    accepted = listener.accept(Transport.INFINITE);
                } catch (IOException closed) {
                    return;
                }
                Thread connection = Thread.ofVirtual().unstarted(() -> {
                    try (Connection c = accepted) {
                        c.setopt(StandardSocketOptions.TCP_NODELAY, true);
                        workload.serve(c.secure() ? c.handshake(HANDSHAKE_TIMEOUT) : c);
                    } catch (IOException clientGone) {
                        // the client closed or reset: this connection is done
                    } finally {
                        serving.remove(Thread.currentThread());
                    }
                });
                serving.add(connection);
                connection.start();
            }
        });
        return running(listener.address(), () -> {
            listener.close();
            acceptor.join();
            for (Thread t : serving) {   // the clients have gone: let each connection close before its transport
                t.join(Duration.ofSeconds(5));
            }
            transport.close();
        });
    }

    /**
     * Starts a {@link Server} with {@code TCP_NODELAY} on every connection, as the other servers
     * have. Stopping it stops the server (with its drain time) and then closes its transport.
     *
     * @param config  the server's configuration, whose transport the running server owns
     * @param handler what it does with each connection
     * @return the running server
     * @throws IOException when it cannot listen
     */
    static Running server(ServerConfig.Builder config, ConnectionHandler handler) throws IOException {
        Server server = Server.start(config.connectionOptions(SocketOptions.of(StandardSocketOptions.TCP_NODELAY, true))
                .build(), handler);
        return running(server.address(), () -> {
            try {
                server.close();
            } finally {
                server.transport().close();
            }
        });
    }

    /**
     * A workload as a {@link Server}'s handler.
     *
     * @param workload the workload
     * @return a handler serving each connection with it
     */
    static ConnectionHandler handler(Workload workload) {
        return (connection, context) -> workload.serve(connection);
    }

    private static Running jdk(ServerSocket server, Workload workload) {
        Thread acceptor = Thread.ofPlatform().daemon().name("bench acceptor").start(() -> {
            while (true) {
                Socket accepted;
                try {
                    accepted = server.accept();
                } catch (IOException closed) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (Socket s = accepted) {
                        s.setTcpNoDelay(true);
                        workload.serve(s);
                    } catch (IOException clientGone) {
                        // the client closed or reset: this connection is done
                    }
                });
            }
        });
        return running((InetSocketAddress) server.getLocalSocketAddress(), () -> {
            server.close();
            acceptor.join();
        });
    }

    private static Running netty(EventLoopGroup group, Class<? extends ServerChannel> type, Workload workload)
            throws InterruptedException {
        Channel channel = new ServerBootstrap().group(group).channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(workload.netty());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return running((InetSocketAddress) channel.localAddress(), () -> {
            channel.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        });
    }
}
