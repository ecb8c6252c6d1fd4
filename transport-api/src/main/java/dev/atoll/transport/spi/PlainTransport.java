package dev.atoll.transport.spi;

import dev.atoll.transport.Connection;
import dev.atoll.transport.NotSecureException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import dev.atoll.transport.UnsupportedFeatureException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The part every plain TCP transport shares: not secure, the handshake is a no-op, upgrade and
 * the TLS questions are refused, and the connection operations are the handle's own. A backend
 * extends it and gives listening, accepting and connecting.
 *
 * @param <S> the connection handle type
 * @param <L> the listener handle type
 */
public abstract class PlainTransport<S extends PlainSocket, L> implements Transport<S, L> {

    /** For subclasses. */
    protected PlainTransport() {
    }

    @Override
    public final boolean secure() {
        return false;
    }

    @Override
    public S handshake(S socket, Duration timeout) {
        return socket;
    }

    @Override
    public S upgrade(Connection plain, boolean server) throws IOException {
        throw new UnsupportedFeatureException("upgrade of " + plain + ": the " + name() + " transport is plain TCP and "
                + "cannot upgrade; upgrade with a secure transport such as jsse");
    }

    @Override
    public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
        return socket.recv(length, timeout);
    }

    @Override
    public int recv(S socket, ByteBuffer dst, Duration timeout) throws IOException {
        return socket.recv(dst, timeout);
    }

    @Override
    public void unrecv(S socket, ByteBuffer bytes) throws IOException {
        socket.unrecv(bytes);
    }

    @Override
    public void send(S socket, ByteBuffer... data) throws IOException {
        socket.send(data, null);
    }

    @Override
    public void send(S socket, Duration timeout, ByteBuffer... data) throws IOException {
        socket.send(data, timeout);
    }

    @Override
    public long sendfile(S socket, Path path, long offset, long length) throws IOException {
        return socket.sendfile(path, offset, length);
    }

    @Override
    public <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException {
        socket.setopt(option, value);
    }

    @Override
    public <T> T getopt(S socket, SocketOption<T> option) throws IOException {
        return socket.getopt(option);
    }

    @Override
    public SocketStats getstat(S socket) {
        return socket.stats();
    }

    @Override
    public Optional<String> negotiatedProtocol(S socket) throws IOException {
        throw new NotSecureException("negotiatedProtocol of " + socket.remote() + ": a " + name()
                + " connection is not secure");
    }

    @Override
    public List<Certificate> peercert(S socket) throws IOException {
        throw new NotSecureException("peercert of " + socket.remote() + ": a " + name() + " connection is not secure");
    }

    @Override
    public InetSocketAddress peername(S socket) throws IOException {
        return socket.remote();
    }

    @Override
    public InetSocketAddress sockname(S socket) throws IOException {
        return socket.local();
    }

    @Override
    public void shutdown(S socket, ShutdownHow how) throws IOException {
        socket.shutdown(how);
    }

    @Override
    public void close(S socket) throws IOException {
        socket.close();
    }
}
