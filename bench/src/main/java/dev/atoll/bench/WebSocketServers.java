package dev.atoll.bench;

import dev.atoll.server.ServerConfig;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.websocket.Message;
import dev.atoll.websocket.WebSocketConfig;
import dev.atoll.websocket.WebSocketEndpoint;
import dev.atoll.websocket.WebSocketServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Starts the WebSocket servers the WebSocket benchmarks compare, each echoing every whole
 * message (text or binary) back as it came, at {@link #PATH}, with permessage-deflate accepted
 * or not. Server names: {@code atoll-nio} and {@code atoll-iouring} (Atoll's {@link WebSocketServer}
 * on its server layer over the {@code nio} or {@code iouring} transport, a blocking session on
 * a virtual thread each), {@code netty-nio} and {@code netty-iouring} (raw Netty's WebSocket
 * codec: {@code HttpServerCodec}, {@code HttpObjectAggregator}, {@code WebSocketServerProtocolHandler}
 * and, with deflate, {@code WebSocketServerCompressionHandler}; its threads named after
 * {@link #NETTY_THREADS}) and {@code jetty} (Jetty 12's
 * WebSocket server, its default thread pool). Every server takes messages up to
 * {@link #MAX_MESSAGE} bytes and keeps idle sessions open for {@link #IDLE_TIMEOUT}.
 */
final class WebSocketServers {

    private WebSocketServers() {
    }

    /** The prefix of Atoll's servers, before the transport's name: {@code atoll-nio}, {@code atoll-iouring}. */
    static final String ATOLL = "atoll-";

    /**
     * How the names of raw Netty's server threads begin ({@code websocket-server-netty-nio-...}),
     * so that a benchmark running its clients in the same JVM can tell the server's CPU time apart.
     */
    static final String NETTY_THREADS = "websocket-server-netty-";

    /** The path every server upgrades. */
    static final String PATH = "/ws";

    /** The largest message (and frame) every server accepts. */
    static final int MAX_MESSAGE = 1 << 20;

    /** How long every server keeps a session that sends nothing: longer than any measurement. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Starts a WebSocket echo server on an ephemeral loopback port.
     *
     * @param name    the server's name (see the class)
     * @param deflate whether it accepts permessage-deflate
     * @param opened  run once for each session, when its handshake is done
     * @return the running server
     * @throws Exception when it cannot start
     */
    static Servers.Running start(String name, boolean deflate, Runnable opened) throws Exception {
        return switch (name) {
            case "netty-nio" -> netty(new MultiThreadIoEventLoopGroup(new DefaultThreadFactory(NETTY_THREADS + "nio"),
                    NioIoHandler.newFactory()), NioServerSocketChannel.class, deflate, opened);
            case "netty-iouring" -> netty(new MultiThreadIoEventLoopGroup(new DefaultThreadFactory(NETTY_THREADS + "iouring"),
                    IoUringIoHandler.newFactory()), IoUringServerSocketChannel.class, deflate, opened);
            case "jetty" -> jetty(deflate, opened);
            case "atoll-nio", "atoll-iouring" -> atoll(Transports.named(name.substring(ATOLL.length())), deflate, opened);
            default -> throw new IllegalArgumentException("no WebSocket server named " + name
                    + " (atoll-nio, atoll-iouring, netty-nio, netty-iouring, jetty)");
        };
    }

    private static Servers.Running running(InetSocketAddress address, AutoCloseable stop) {
        return new Servers.Running() {
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

    private static Servers.Running atoll(Transport<?, ?> transport, boolean deflate, Runnable opened) throws IOException {
        WebSocketConfig config = WebSocketConfig.builder().deflate(deflate).maxFrameSize(MAX_MESSAGE)
                .maxMessageSize(MAX_MESSAGE).idleTimeout(IDLE_TIMEOUT).build();
        WebSocketEndpoint echo = socket -> {
            opened.run();
            while (true) {
                switch (socket.receive()) {
                    case Message.Binary b -> socket.sendBinary(b.data());
                    case Message.Text t -> socket.sendText(t.text());
                    case Message.Close c -> {
                        return;
                    }
                    default -> {
                        // pings are answered by the session, pongs need nothing
                    }
                }
            }
        };
        return Servers.server(ServerConfig.builder(transport).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                WebSocketServer.handler(config, echo));
    }

    private static Servers.Running netty(EventLoopGroup group, Class<? extends ServerChannel> type, boolean deflate,
            Runnable opened) throws InterruptedException {
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder().websocketPath(PATH)
                .allowExtensions(deflate).maxFramePayloadLength(MAX_MESSAGE).build();
        Channel channel = new ServerBootstrap().group(group).channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192));
                        if (deflate) {
                            p.addLast(new WebSocketServerCompressionHandler(MAX_MESSAGE));
                        }
                        p.addLast(new WebSocketServerProtocolHandler(protocol), new WebSocketFrameAggregator(MAX_MESSAGE),
                                nettyEcho(opened));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return running((InetSocketAddress) channel.localAddress(), () -> {
            channel.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        });
    }

    /** Writes every whole data message back (the protocol handler answers pings and closes). */
    private static ChannelInboundHandlerAdapter nettyEcho(Runnable opened) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                    opened.run();
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame) {
                    ctx.write(msg);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }
        };
    }

    private static Servers.Running jetty(boolean deflate, Runnable opened) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxFrameSize(MAX_MESSAGE);
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.addMapping(PATH, (request, response, callback) -> {
                if (!deflate) {
                    response.setExtensions(List.of());
                }
                return new JettyEcho(opened);
            });
        }));
        server.setHandler(context);
        server.start();
        return running(new InetSocketAddress(InetAddress.getLoopbackAddress(), connector.getLocalPort()), server::stop);
    }

    /**
     * Jetty's echo endpoint: each whole message back, its callback completed when the echo is
     * sent. Public: Jetty calls its methods through method handles.
     */
    public static final class JettyEcho implements Session.Listener.AutoDemanding {

        private final Runnable opened;
        private Session session;

        JettyEcho(Runnable opened) {
            this.opened = opened;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            opened.run();
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, callback);
        }

        @Override
        public void onWebSocketText(String text) {
            session.sendText(text, Callback.NOOP);
        }
    }
}
