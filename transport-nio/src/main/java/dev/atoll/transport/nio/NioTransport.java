package dev.atoll.transport.nio;

import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.spi.PlainTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;

/**
 * Plain TCP on the JDK's blocking socket channels, named {@code nio}. Every operation blocks
 * the calling thread; on virtual threads the JDK parks instead of pinning. Sends are gathering
 * channel writes; {@code sendfile} is zero-copy through {@link java.nio.channels.FileChannel#transferTo}.
 * Besides {@link dev.atoll.transport.AtollOptions#RECV_CHUNK_SIZE} it supports every option of
 * {@link SocketChannel#supportedOptions()} on this JDK and platform that can be set, so
 * {@code jdk.net.ExtendedSocketOptions} such as {@code TCP_KEEPIDLE} work where the platform has
 * them.
 */
public final class NioTransport extends PlainTransport<NioSocket, NioListener> {

    /** The transport's name. */
    public static final String NAME = "nio";

    /** Makes the transport; it holds no resources until used. */
    public NioTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return NioSocket.supportedOptions();
    }

    @Override
    public NioListener listen(InetSocketAddress local, SocketOptions options) throws IOException {
        return NioListener.open(local, options);
    }

    @Override
    public NioSocket accept(NioListener listener, Duration timeout) throws IOException {
        return listener.accept(timeout);
    }

    @Override
    public InetSocketAddress listenerAddress(NioListener listener) throws IOException {
        return listener.address();
    }

    @Override
    public void closeListener(NioListener listener) throws IOException {
        listener.close();
    }

    @Override
    public NioSocket connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException {
        return NioSocket.connect(remote, options, timeout);
    }
}
