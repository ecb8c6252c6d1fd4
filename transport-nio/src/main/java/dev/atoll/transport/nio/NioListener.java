package dev.atoll.transport.nio;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.TransportException;
import dev.atoll.transport.UnsupportedFeatureException;
import dev.atoll.transport.spi.Deadline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** A listener of the {@code nio} transport: a blocking {@link ServerSocketChannel}. */
final class NioListener {

    private final ServerSocketChannel channel;
    private final InetSocketAddress address;

    private NioListener(ServerSocketChannel channel, InetSocketAddress address) {
        this.channel = channel;
        this.address = address;
    }

    static NioListener open(InetSocketAddress local, SocketOptions options) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            for (SocketOption<?> option : options.options()) {
                if (option != AtollOptions.BACKLOG && !channel.supportedOptions().contains(option)) {
                    throw new UnsupportedFeatureException("listen on " + local + ": the nio transport has no listener option "
                            + option.name());
                }
            }
            options.applyTo(new SocketOptions.OptionTarget() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    if (option != AtollOptions.BACKLOG) {
                        channel.setOption(option, value);
                    }
                }
            });
            int backlog = options.get(AtollOptions.BACKLOG, AtollOptions.DEFAULT_BACKLOG);
            if (backlog < 1) {
                throw new IllegalArgumentException("listen on " + local + ": backlog must be at least 1, not " + backlog);
            }
            channel.bind(local, backlog);
            return new NioListener(channel, (InetSocketAddress) channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    NioSocket accept(Duration timeout, NioTransport transport) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        String operation = "accept on " + address;
        try {
            // A zero timeout still waits the smallest socket timeout: accept has no cheaper probe.
            channel.socket().setSoTimeout(deadline.remainingNanos() == 0 ? 1 : deadline.soTimeoutMillis(operation));
            SocketChannel accepted = channel.socket().accept().getChannel();
            return NioSocket.accepted(accepted, transport);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException(operation + ": no connection within " + timeout);
        } catch (IOException e) {
            if (!channel.isOpen()) {
                throw new ConnectionClosedException(operation + ": listener closed", e);
            }
            throw new TransportException(operation + ": " + e.getMessage(), e);
        }
    }

    InetSocketAddress address() throws IOException {
        if (!channel.isOpen()) {
            throw new ConnectionClosedException("address of " + address + ": listener closed");
        }
        return address;
    }

    void close() throws IOException {
        channel.close();
    }
}
