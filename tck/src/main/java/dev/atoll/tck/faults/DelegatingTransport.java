package dev.atoll.tck.faults;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsConfig;

/**
 * Forwards every operation to a correct transport; each fault of {@link Faults} overrides one
 * to break a rule.
 *
 * @param <S> the connection handle type
 * @param <L> the listener handle type
 */
public class DelegatingTransport<S, L> implements Transport<S, L> {

    /** The correct transport. */
    protected final Transport<S, L> delegate;
    private final String name;

    /**
     * Wraps a transport; the wrapper's name is the transport's, a dash, and the fault's.
     *
     * @param delegate the correct transport
     * @param fault    a short name of the fault
     */
    public DelegatingTransport(Transport<S, L> delegate, String fault) {
        this.delegate = delegate;
        this.name = delegate.name() + "-" + fault;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean secure() {
        return delegate.secure();
    }

    @Override
    public Transport<?, ?> plain() {
        return delegate.secure() ? delegate.plain() : this;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return delegate.supportedOptions();
    }

    @Override
    public L listen(InetSocketAddress local, SocketOptions options) throws IOException {
        return delegate.listen(local, options);
    }

    @Override
    public S accept(L listener, Duration timeout) throws IOException {
        return delegate.accept(listener, timeout);
    }

    @Override
    public InetSocketAddress listenerAddress(L listener) throws IOException {
        return delegate.listenerAddress(listener);
    }

    @Override
    public void closeListener(L listener) throws IOException {
        delegate.closeListener(listener);
    }

    @Override
    public S connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException {
        return delegate.connect(remote, options, timeout);
    }

    @Override
    public S handshake(S socket, Duration timeout) throws IOException {
        return delegate.handshake(socket, timeout);
    }

    @Override
    public S upgrade(Connection plain, boolean server) throws IOException {
        return delegate.upgrade(plain, server);
    }

    @Override
    public ClientHello clientHello(S socket, Duration timeout) throws IOException {
        return delegate.clientHello(socket, timeout);
    }

    @Override
    public S handshake(S socket, TlsConfig chosen, Duration timeout) throws IOException {
        return delegate.handshake(socket, chosen, timeout);
    }

    @Override
    public void cancelHandshake(S socket) throws IOException {
        delegate.cancelHandshake(socket);
    }

    @Override
    public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
        return delegate.recv(socket, length, timeout);
    }

    @Override
    public void send(S socket, ByteBuffer... data) throws IOException {
        delegate.send(socket, data);
    }

    @Override
    public void send(S socket, Duration timeout, ByteBuffer... data) throws IOException {
        delegate.send(socket, timeout, data);
    }

    @Override
    public int recv(S socket, ByteBuffer dst, Duration timeout) throws IOException {
        return delegate.recv(socket, dst, timeout);
    }

    @Override
    public void unrecv(S socket, ByteBuffer bytes) throws IOException {
        delegate.unrecv(socket, bytes);
    }

    @Override
    public long sendfile(S socket, Path path, long offset, long length) throws IOException {
        return delegate.sendfile(socket, path, offset, length);
    }

    @Override
    public <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException {
        delegate.setopt(socket, option, value);
    }

    @Override
    public <T> T getopt(S socket, SocketOption<T> option) throws IOException {
        return delegate.getopt(socket, option);
    }

    @Override
    public SocketStats getstat(S socket) throws IOException {
        return delegate.getstat(socket);
    }

    @Override
    public Optional<String> negotiatedProtocol(S socket) throws IOException {
        return delegate.negotiatedProtocol(socket);
    }

    @Override
    public List<Certificate> peercert(S socket) throws IOException {
        return delegate.peercert(socket);
    }

    @Override
    public InetSocketAddress peername(S socket) throws IOException {
        return delegate.peername(socket);
    }

    @Override
    public InetSocketAddress sockname(S socket) throws IOException {
        return delegate.sockname(socket);
    }

    @Override
    public void shutdown(S socket, ShutdownHow how) throws IOException {
        delegate.shutdown(socket, how);
    }

    @Override
    public void close(S socket) throws IOException {
        delegate.close(socket);
    }
}
