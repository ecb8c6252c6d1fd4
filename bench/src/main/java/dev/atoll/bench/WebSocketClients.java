package dev.atoll.bench;

import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.websocket.Message;
import dev.atoll.websocket.WebSocketClientConfig;
import dev.atoll.websocket.WebSocketConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The WebSocket clients the client benchmark compares, each opening many sessions to one echo
 * server and driving them the same way: a {@link Load#round()} sends one binary message on
 * every session and waits until every echo is back, each session having one message in flight.
 * Every client sends the same bytes ({@link WebSocketClient#textLike(int)}), wrapped afresh for
 * each send, masks its frames as RFC 6455 requires, takes messages up to
 * {@link WebSocketServers#MAX_MESSAGE} bytes, and runs with its own defaults otherwise. Client
 * names:
 * <ul>
 *   <li>{@code atoll-nio}, {@code atoll-iouring}: Atoll's {@link dev.atoll.websocket.WebSocketClient}
 *       on that transport; each session a blocking {@link dev.atoll.websocket.WebSocket}, the
 *       sessions split among a few threads as {@link WebSocketLoad} does (a thread sends on each
 *       session of its share, then receives each echo).</li>
 *   <li>{@code jdk}: the JDK's {@link java.net.http.WebSocket} from one {@link HttpClient} (its
 *       default executor); the caller sends, the listener counts each echo and asks for the next
 *       message ({@code request(1)}).</li>
 *   <li>{@code netty-nio}: raw Netty on NIO ({@code HttpClientCodec}, {@code HttpObjectAggregator},
 *       {@code WebSocketClientProtocolHandler} with a {@code WebSocketClientHandshaker} for version
 *       13, {@code WebSocketFrameAggregator}), its default event loop group; the caller writes,
 *       the last handler counts each echo.</li>
 * </ul>
 */
final class WebSocketClients {

    private WebSocketClients() {
    }

    /** The longest a round waits for its echoes before it fails. */
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(30);

    /** Sessions of one client to one server, driven in rounds. */
    interface Load extends AutoCloseable {

        /**
         * One message on every session, and every echo back.
         *
         * @return the bytes of the echoes, each checked to be the message's size
         * @throws IOException when the server or a session fails, or an echo takes too long
         */
        long round() throws IOException;
    }

    /**
     * Opens the sessions of a client, each completing its opening handshake.
     *
     * @param name        the client's name (see the class)
     * @param address     the echo server, serving {@link WebSocketServers#PATH}
     * @param connections how many sessions
     * @param size        the bytes of the message
     * @return the sessions, ready for rounds
     * @throws Exception when a connection or handshake fails
     */
    static Load connect(String name, InetSocketAddress address, int connections, int size) throws Exception {
        String host = address.getAddress().getHostAddress();
        URI uri = URI.create("ws://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort()
                + WebSocketServers.PATH);
        byte[] message = WebSocketClient.textLike(size);
        return switch (name) {
            case "atoll-nio", "atoll-iouring" -> atoll(Transports.named(name.substring(WebSocketServers.ATOLL.length())),
                    uri, connections, message);
            case "jdk" -> jdk(uri, connections, message);
            case "netty-nio" -> netty(uri, connections, message);
            default -> throw new IllegalArgumentException("no WebSocket client named " + name
                    + " (atoll-nio, atoll-iouring, jdk, netty-nio)");
        };
    }

    // --- Atoll

    private static Load atoll(Transport<?, ?> transport, URI uri, int connections, byte[] message) throws Exception {
        dev.atoll.websocket.WebSocketClient client = dev.atoll.websocket.WebSocketClient.create(WebSocketClientConfig.builder()
                .transports(transport, null)
                .session(WebSocketConfig.builder().maxFrameSize(WebSocketServers.MAX_MESSAGE)
                        .maxMessageSize(WebSocketServers.MAX_MESSAGE).idleTimeout(WebSocketServers.IDLE_TIMEOUT).build())
                .build());
        List<AtollSession> sessions = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            try {
                for (AtollSession s : sessions) {
                    s.socket.close();
                }
            } finally {
                client.close();
                transport.close();
            }
        };
        try {
            for (int i = 0; i < connections; i++) {
                sessions.add(new AtollSession(client.connect(uri), message));
            }
        } catch (Exception | Error e) {
            closeQuietly(closeAll, e);
            throw e;
        }
        WebSocketLoad load = new WebSocketLoad(sessions, message.length, 0, closeAll);
        return new Load() {
            @Override
            public long round() throws IOException {
                return load.round();
            }

            @Override
            public void close() throws Exception {
                load.close();
            }
        };
    }

    /** A blocking Atoll session: sends the message, receives whole binary messages. */
    private record AtollSession(dev.atoll.websocket.WebSocket socket, byte[] message) implements WebSocketLoad.Session {

        @Override
        public void send() throws IOException {
            socket.sendBinary(ByteBuffer.wrap(message));
        }

        @Override
        public int receive() throws IOException {
            while (true) {
                switch (socket.receive()) {
                    case Message.Binary b -> {
                        return b.data().remaining();
                    }
                    case Message.Close c -> throw new EOFException("the server closed the session: " + c);
                    case Message.Text t -> throw new IOException("a text message for a binary one");
                    default -> {
                        // pings are answered by the session, pongs need nothing
                    }
                }
            }
        }
    }

    // --- the asynchronous clients

    /**
     * The echoes of the round in progress, completed from the client's own threads: the caller
     * sets how many it sends before the first send, each echo counts down, the last one wakes
     * the caller.
     */
    private static final class Round {

        private final int size;
        private final AtomicInteger pending = new AtomicInteger();
        private volatile Thread caller;
        private volatile Throwable failure;
        private volatile boolean closing;

        Round(int size) {
            this.size = size;
        }

        void start(int echoes) throws IOException {
            check();
            caller = Thread.currentThread();
            pending.set(echoes);
        }

        void echo(int bytes) {
            if (bytes != size) {
                fail(new IOException("an echo of " + bytes + " bytes for a message of " + size));
            } else if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        void fail(Throwable t) {
            if (closing) {
                return;
            }
            if (failure == null) {
                failure = t;
            }
            LockSupport.unpark(caller);
        }

        void await() throws IOException {
            long deadline = System.nanoTime() + ECHO_TIMEOUT.toNanos();
            while (pending.get() > 0 && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(pending.get() + " echoes missing after " + ECHO_TIMEOUT.toSeconds() + " s");
                }
                LockSupport.parkNanos(this, left);
            }
            check();
        }

        private void check() throws IOException {
            Throwable failed = failure;
            if (failed != null) {
                throw new IOException("a session failed", failed);
            }
        }
    }

    // --- the JDK's java.net.http.WebSocket

    private static Load jdk(URI uri, int connections, byte[] message) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Round round = new Round(message.length);
        List<JdkSession> sessions = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            round.closing = true;
            try {
                List<CompletableFuture<?>> closed = new ArrayList<>();
                for (JdkSession s : sessions) {
                    // a session the server already ended has nothing to close but is done
                    closed.add(s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").handle((ws, e) -> null)
                            .thenCompose(done -> s.closed));
                }
                CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } finally {
                sessions.forEach(s -> s.socket.abort());
                http.close();
            }
        };
        try {
            for (int i = 0; i < connections; i++) {
                JdkSession s = new JdkSession(round);
                s.socket = joined(http.newWebSocketBuilder().buildAsync(uri, s));
                sessions.add(s);
            }
        } catch (Exception | Error e) {
            closeQuietly(closeAll, e);
            throw e;
        }
        return new Load() {
            @Override
            public long round() throws IOException {
                round.start(sessions.size());
                for (JdkSession s : sessions) {
                    // the last send is long done (its echo came back); a send must not overlap the one before
                    joined(s.sent);
                    s.sent = s.socket.sendBinary(ByteBuffer.wrap(message), true);
                }
                round.await();
                return (long) message.length * sessions.size();
            }

            @Override
            public void close() throws Exception {
                closeAll.close();
            }
        };
    }

    /** The listener of one JDK session: counts each message's bytes, one message requested at a time. */
    private static final class JdkSession implements WebSocket.Listener {

        private final Round round;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private WebSocket socket;
        private CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(null);
        private int bytes;

        JdkSession(Round round) {
            this.round = round;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            bytes += data.remaining();
            if (last) {
                int n = bytes;
                bytes = 0;
                round.echo(n);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            round.fail(new IOException("a text message for a binary one"));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            round.fail(new EOFException("the server closed the session: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
            round.fail(error);
        }
    }

    private static <T> T joined(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(ECHO_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("not done in " + ECHO_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    // --- raw Netty

    private static Load netty(URI uri, int connections, byte[] message) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        Round round = new Round(message.length);
        List<Channel> channels = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            round.closing = true;
            try {
                for (Channel c : channels) {
                    c.writeAndFlush(new CloseWebSocketFrame(WebSocket.NORMAL_CLOSURE, ""));
                }
                for (Channel c : channels) {
                    c.closeFuture().await(1, TimeUnit.SECONDS);
                    c.close();
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        };
        try {
            for (int i = 0; i < connections; i++) {
                CompletableFuture<Void> open = new CompletableFuture<>();
                Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                        new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri,
                                                WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE,
                                                WebSocketServers.MAX_MESSAGE)),
                                        new WebSocketFrameAggregator(WebSocketServers.MAX_MESSAGE), nettyCounter(round, open));
                            }
                        })
                        .connect(uri.getHost(), uri.getPort()).sync().channel();
                channels.add(channel);
                joined(open);
            }
        } catch (Exception | Error e) {
            closeQuietly(closeAll, e);
            throw e;
        }
        return new Load() {
            @Override
            public long round() throws IOException {
                round.start(channels.size());
                for (Channel c : channels) {
                    c.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)))
                            .addListener(f -> {
                                if (!f.isSuccess()) {
                                    round.fail(f.cause());
                                }
                            });
                }
                round.await();
                return (long) message.length * channels.size();
            }

            @Override
            public void close() throws Exception {
                closeAll.close();
            }
        };
    }

    /** Counts the bytes of each whole binary message (the protocol handler answers pings and closes). */
    private static ChannelInboundHandlerAdapter nettyCounter(Round round, CompletableFuture<Void> open) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    open.complete(null);
                } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                    open.completeExceptionally(new IOException("the opening handshake timed out"));
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof BinaryWebSocketFrame frame) {
                        round.echo(frame.content().readableBytes());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                open.completeExceptionally(cause);
                round.fail(cause);
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                open.completeExceptionally(new EOFException("the server closed the connection"));
                round.fail(new EOFException("the server closed the connection"));
                ctx.fireChannelInactive();
            }
        };
    }

    private static void closeQuietly(AutoCloseable resource, Throwable failure) {
        try {
            resource.close();
        } catch (Exception | Error e) {
            failure.addSuppressed(e);
        }
    }
}
