package dev.atoll.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening socket of one transport: the view application code accepts connections with.
 *
 * <pre>{@code
 * try (Listener listener = Listener.open(transport, new InetSocketAddress("127.0.0.1", 0))) {
 *     Connection c = listener.accept(Transport.INFINITE).handshake(Duration.ofSeconds(10));
 *     Thread.ofVirtual().start(() -> serve(c));
 * }
 * }</pre>
 */
public final class Listener implements AutoCloseable {

    private final Transport<Object, Object> transport;
    private final Object handle;
    private final InetSocketAddress address;
    private volatile boolean closed;

    private Listener(Transport<Object, Object> transport, Object handle, InetSocketAddress address) {
        this.transport = transport;
        this.handle = handle;
        this.address = address;
    }

    /**
     * Listens with the default options; see {@link Transport#listen}.
     *
     * @param transport the transport
     * @param local     the address to bind, port 0 for any free port
     * @return the listener
     * @throws IOException when the address cannot be bound
     */
    public static Listener open(Transport<?, ?> transport, InetSocketAddress local) throws IOException {
        return open(transport, local, SocketOptions.none());
    }

    /**
     * Listens; see {@link Transport#listen} (LISTEN-1).
     *
     * @param transport the transport
     * @param local     the address to bind, port 0 for any free port
     * @param options   listener options such as {@link AtollOptions#BACKLOG}
     * @return the listener
     * @throws IOException when the address cannot be bound
     */
    @SuppressWarnings("unchecked") // the listener handle only ever goes back to its own transport
    public static Listener open(Transport<?, ?> transport, InetSocketAddress local, SocketOptions options)
            throws IOException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(options, "options");
        Transport<Object, Object> t = (Transport<Object, Object>) transport;
        Object handle = t.listen(local, options);
        InetSocketAddress bound;
        try {
            bound = t.listenerAddress(handle);
        } catch (IOException | RuntimeException e) {
            t.closeListener(handle);
            throw e;
        }
        return new Listener(t, handle, bound);
    }

    /**
     * Waits for the next connection; see {@link Transport#accept} (ACCEPT-1, ACCEPT-2). Call
     * {@link Connection#handshake} on the result, on the connection's own thread.
     *
     * @param timeout how long to wait
     * @return the accepted connection
     * @throws IOException on timeout, close or failure
     */
    public Connection accept(Duration timeout) throws IOException {
        Connection.checkTimeout(timeout);
        if (closed) {
            throw new ConnectionClosedException("accept on " + address + ": listener closed");
        }
        return Connection.bind(transport, transport.accept(handle, timeout));
    }

    /**
     * The bound address with the actual port.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The transport this listener belongs to.
     *
     * @return the transport
     */
    public Transport<?, ?> transport() {
        return transport;
    }

    /**
     * Stops listening. Idempotent; wakes a caller blocked in {@link #accept}.
     *
     * @throws IOException on an I/O error while closing
     */
    @Override
    public void close() throws IOException {
        closed = true;
        transport.closeListener(handle);
    }

    @Override
    public String toString() {
        return transport.name() + " listener on " + address + (closed ? " (closed)" : "");
    }
}
