package dev.atoll.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Raw Netty's WebSocket server codec ({@code HttpServerCodec}, {@code HttpObjectAggregator},
 * {@code WebSocketServerProtocolHandler}, {@code WebSocketFrameAggregator} and, with deflate,
 * {@code WebSocketServerCompressionHandler}; TLS by Netty's {@code SslHandler} on a JDK
 * {@link SSLContext}) on 127.0.0.1, echoing every whole text and binary message and reporting
 * what its client did as the peers' scripts do ({@code peers/reporting-server.py}): the
 * Sec-WebSocket-Extensions its response named, each echo, and the client's close. Pings are
 * answered by Netty's protocol handler; the client's close is answered here with its code.
 */
final class NettyReportingServer implements AutoCloseable {

    private static final int MAX_MESSAGE = 16 << 20;

    private final StringBuffer account = new StringBuffer();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    /**
     * Starts the server.
     *
     * @param deflate whether it accepts permessage-deflate
     * @param tls     the server's TLS context, or {@code null} for plain {@code ws}
     */
    NettyReportingServer(boolean deflate, SSLContext tls) throws InterruptedException {
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder().websocketPath("/echo")
                .allowExtensions(deflate).maxFramePayloadLength(MAX_MESSAGE).handleCloseFrames(false).build();
        try {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (tls != null) {
                                SSLEngine engine = tls.createSSLEngine();
                                engine.setUseClientMode(false);
                                p.addLast(new SslHandler(engine));
                            }
                            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new ResponseRecorder());
                            if (deflate) {
                                p.addLast(new WebSocketServerCompressionHandler(MAX_MESSAGE));
                            }
                            p.addLast(new WebSocketServerProtocolHandler(protocol), new WebSocketFrameAggregator(MAX_MESSAGE),
                                    new Echo());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** {@return the port it listens on} */
    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Waits for the client's close to be reported.
     *
     * @param limit how long it may take
     * @return the account, a line per step
     * @throws AssertionError when the close did not come in time, with the account so far
     */
    String awaitClose(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (account.toString().lines().noneMatch(line -> line.startsWith("close "))) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("Netty's server reported no close within " + limit + ":\n" + account);
            }
            Thread.sleep(20);
        }
        return account.toString();
    }

    private void report(String line) {
        account.append(line).append('\n');
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Reports the extensions of the upgrade response, as the compression handler left them. */
    private final class ResponseRecorder extends ChannelDuplexHandler {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                report(("extensions " + Objects.toString(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS), ""))
                        .strip());
            }
            ctx.write(msg, promise);
        }
    }

    /** Echoes whole data messages and answers the client's close with its code, reporting each. */
    private final class Echo extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            switch (msg) {
                case TextWebSocketFrame text -> {
                    report("echo text " + text.text().length());
                    ctx.write(msg);
                }
                case BinaryWebSocketFrame binary -> {
                    report("echo binary " + binary.content().readableBytes());
                    ctx.write(msg);
                }
                case CloseWebSocketFrame close -> {
                    report("close " + close.statusCode() + " [" + close.reasonText() + "]");
                    int code = close.statusCode();
                    ReferenceCountUtil.release(msg);
                    ctx.writeAndFlush(code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, ""))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                default -> ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
