package dev.atoll.transport.nio;

import dev.atoll.transport.Connection;
import dev.atoll.transport.NotSecureException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import dev.atoll.transport.UnsupportedFeatureException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
public final class NioTransport implements Transport<NioSocket, NioListener> {

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
    public boolean secure() {
        return false;
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

    @Override
    public NioSocket handshake(NioSocket socket, Duration timeout) {
        return socket;
    }

    @Override
    public NioSocket upgrade(Connection plain, boolean server) throws IOException {
        throw new UnsupportedFeatureException("upgrade of " + plain + ": the nio transport is plain TCP and cannot "
                + "upgrade; upgrade with a secure transport such as jsse");
    }

    @Override
    public ByteBuffer recv(NioSocket socket, int length, Duration timeout) throws IOException {
        return socket.recv(length, timeout);
    }

    @Override
    public void send(NioSocket socket, ByteBuffer... data) throws IOException {
        socket.send(data);
    }

    @Override
    public long sendfile(NioSocket socket, Path path, long offset, long length) throws IOException {
        return socket.sendfile(path, offset, length);
    }

    @Override
    public <T> void setopt(NioSocket socket, SocketOption<T> option, T value) throws IOException {
        socket.setopt(option, value);
    }

    @Override
    public <T> T getopt(NioSocket socket, SocketOption<T> option) throws IOException {
        return socket.getopt(option);
    }

    @Override
    public SocketStats getstat(NioSocket socket) {
        return socket.stats();
    }

    @Override
    public Optional<String> negotiatedProtocol(NioSocket socket) throws IOException {
        throw new NotSecureException("negotiatedProtocol of " + socket.remote() + ": a nio connection is not secure");
    }

    @Override
    public List<Certificate> peercert(NioSocket socket) throws IOException {
        throw new NotSecureException("peercert of " + socket.remote() + ": a nio connection is not secure");
    }

    @Override
    public InetSocketAddress peername(NioSocket socket) throws IOException {
        return socket.remote();
    }

    @Override
    public InetSocketAddress sockname(NioSocket socket) throws IOException {
        return socket.local();
    }

    @Override
    public void shutdown(NioSocket socket, ShutdownHow how) throws IOException {
        socket.shutdown(how);
    }

    @Override
    public void close(NioSocket socket) throws IOException {
        socket.close();
    }
}
