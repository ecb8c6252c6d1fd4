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
 * Plain TCP on the JDK's socket channels, named {@code nio}. Every operation blocks the calling
 * thread, which parks (a virtual thread does not pin its carrier) while one daemon poller thread
 * per transport watches the non-blocking channels; so receives and sends both honour time
 * limits, and a close wakes either at once. Sends are gathering channel writes; {@code sendfile}
 * is zero-copy through {@link java.nio.channels.FileChannel#transferTo}.
 * Besides {@link dev.atoll.transport.AtollOptions#RECV_CHUNK_SIZE} it supports every option of
 * {@link SocketChannel#supportedOptions()} on this JDK and platform that can be set, so
 * {@code jdk.net.ExtendedSocketOptions} such as {@code TCP_KEEPIDLE} work where the platform has
 * them.
 */
public final class NioTransport extends PlainTransport<NioSocket, NioListener> {

    /** The transport's name. */
    public static final String NAME = "nio";

    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private final String pollerName = "atoll-nio-poller-" + INSTANCES.incrementAndGet();
    private NioPoller poller;

    /** Makes the transport; it holds no resources until used. */
    public NioTransport() {
    }

    /**
     * Registers a connection's channel with this transport's poller, started by the first
     * connection and again after an idle one retired.
     */
    synchronized NioPoller.Registration register(java.nio.channels.SocketChannel channel, NioPoller.Readiness readiness)
            throws IOException {
        if (poller == null) {
            poller = new NioPoller(pollerName, this::retireIfIdle);
        }
        return new NioPoller.Registration(poller, poller.register(channel, readiness));
    }

    /** The poller's question when it had nothing to do for a while: it may end if still idle. */
    private synchronized boolean retireIfIdle(NioPoller idle) {
        if (poller == idle && idle.isIdle()) {
            poller = null;
            return true;
        }
        return poller != idle;
    }

    /**
     * Stops the poller thread of this transport now, after its connections are closed; a later
     * connection starts a new one. (An idle poller also ends by itself after a second.)
     */
    @Override
    public void close() {
        NioPoller stopping;
        synchronized (this) {
            stopping = poller;
            poller = null;
        }
        if (stopping != null) {
            stopping.stop();
        }
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
        return listener.accept(timeout, this);
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
        return NioSocket.connect(remote, options, timeout, this);
    }
}
