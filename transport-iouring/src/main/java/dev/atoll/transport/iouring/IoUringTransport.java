package dev.atoll.transport.iouring;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.UnsupportedFeatureException;
import dev.atoll.transport.spi.Deadline;
import dev.atoll.transport.spi.PlainTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Set;

/**
 * Plain TCP on Linux io_uring through Netty's io_uring transport, named {@code iouring}. The
 * rings run on a small group of daemon event-loop threads, started on first use and shared by
 * every listener and connection of this transport; {@link #close()} stops them. Every operation
 * blocks its caller (a virtual thread parks) until the event loop has done the work.
 */
public final class IoUringTransport extends PlainTransport<UringSocket, UringListener> {

    /** The transport's name. */
    public static final String NAME = "iouring";

    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private final int threads;
    private final String threadNamePrefix = "atoll-iouring-" + INSTANCES.incrementAndGet();
    private EventLoopGroup group;

    /**
     * A transport with {@code threads} event-loop threads.
     *
     * @param threads how many rings and threads, at least 1
     * @throws IllegalStateException when io_uring cannot run here, or Netty's io_uring was set up
     *                               with multishot polls, with the reason
     */
    public IoUringTransport(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("iouring: threads must be at least 1, not " + threads);
        }
        String unavailable = IoUringTransportProvider.reason();
        if (!unavailable.isEmpty()) {
            throw new IllegalStateException("iouring: " + unavailable);
        }
        this.threads = threads;
    }

    private synchronized EventLoopGroup group() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix, true),
                    IoUringIoHandler.newFactory());
        }
        return group;
    }

    /** The start of this transport's event-loop thread names, such as {@code atoll-iouring-1}. */
    String threadNamePrefix() {
        return threadNamePrefix;
    }

    /**
     * Stops the event-loop threads, after the connections they serve are closed. Idempotent;
     * a later use of the transport starts new ones.
     */
    @Override
    public synchronized void close() {
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return UringOptions.SUPPORTED;
    }

    @Override
    public UringListener listen(InetSocketAddress local, SocketOptions options) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group()).channel(IoUringServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, options.get(AtollOptions.BACKLOG, AtollOptions.DEFAULT_BACKLOG))
                .option(ChannelOption.AUTO_READ, false)   // the listener accepts when accept asks
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, UringSocket.WATER_MARK)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        for (SocketOption<?> option : options.options()) {
            if (option == AtollOptions.BACKLOG) {
                continue;
            }
            if (option == StandardSocketOptions.SO_REUSEADDR) {
                bootstrap.option(ChannelOption.SO_REUSEADDR, options.get(StandardSocketOptions.SO_REUSEADDR));
            } else if (option == StandardSocketOptions.SO_REUSEPORT) {
                bootstrap.option(UnixChannelOption.SO_REUSEPORT, options.get(StandardSocketOptions.SO_REUSEPORT));
            } else {
                throw new UnsupportedFeatureException("listen on " + local + ": the iouring transport has no listener option "
                        + option.name());
            }
        }
        UringListener listener = new UringListener();
        bootstrap.handler(listener).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel child) {
                UringSocket socket = new UringSocket((DuplexChannel) child);
                child.pipeline().addLast(socket);
                listener.offer(socket.connected(), child);
            }
        });
        ChannelFuture bound = bootstrap.bind(local);
        Futures.await(bound, Deadline.after(Duration.ofSeconds(30)), "listen on " + local);
        return listener.bound(bound.channel());
    }

    @Override
    public UringSocket accept(UringListener listener, Duration timeout) throws IOException {
        return listener.accept(timeout);
    }

    @Override
    public InetSocketAddress listenerAddress(UringListener listener) throws IOException {
        return listener.address();
    }

    @Override
    public void closeListener(UringListener listener) throws IOException {
        listener.close();
    }

    @Override
    public UringSocket connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException {
        String operation = "connect to " + remote;
        for (SocketOption<?> option : options.options()) {
            if (!UringOptions.SUPPORTED.contains(option)) {
                throw new UnsupportedFeatureException(operation + ": the iouring transport has no option " + option.name());
            }
        }
        UringSocket[] socket = new UringSocket[1];
        Bootstrap bootstrap = new Bootstrap().group(group()).channel(IoUringSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UringSocket.WATER_MARK)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        socket[0] = new UringSocket((DuplexChannel) ch);
                        ch.pipeline().addLast(socket[0]);
                    }
                });
        for (SocketOption<?> option : options.options()) {
            applyTo(bootstrap, option, options);
        }
        Deadline deadline = Deadline.after(timeout);
        if (!deadline.isInfinite()) {
            bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                    (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remainingNanos() / 1_000_000)));
        }
        ChannelFuture connecting = bootstrap.connect(remote);
        try {
            Futures.await(connecting, deadline, operation);
        } catch (ConnectException e) {
            connecting.channel().close();
            String message = e.getMessage() == null ? "" : e.getMessage();
            ConnectException named = new ConnectException(operation + ": " + (message.contains("timed out") ? message
                    : message.replace("connect(..) failed: ", "")));
            named.initCause(e);
            if (message.contains("timed out")) {
                throw new SocketTimeoutException(operation + ": no answer within " + timeout);
            }
            throw named;
        } catch (IOException e) {
            connecting.channel().close();
            throw e;
        }
        UringSocket connected = socket[0].connected();
        connected.settings().setFrom(options);
        return connected;
    }

    private static <T> void applyTo(Bootstrap bootstrap, SocketOption<T> option, SocketOptions options) {
        ChannelOption<T> mapped = UringOptions.of(option);
        if (mapped != null) {
            bootstrap.option(mapped, options.get(option));
        }
    }
}
