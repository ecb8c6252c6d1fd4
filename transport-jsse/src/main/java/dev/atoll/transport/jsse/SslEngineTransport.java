package dev.atoll.transport.jsse;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import dev.atoll.transport.UnsupportedFeatureException;
import dev.atoll.transport.spi.ConnectionSettings;
import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.Provider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * TLS through an {@link SSLEngine}, layered over any plain transport: the whole of a secure
 * transport except the name of the JSSE provider, which a subclass gives. TLS connections are
 * made from the plain transport's connections (accepted, connected, or handed over by
 * {@link #upgrade}); the handshake runs in {@link #handshake}, on the caller's thread, or on the
 * first receive or send with the configuration's handshake timeout.
 *
 * <p>{@link #getstat} counts application bytes, before encryption and after decryption; the
 * plain connection's own counters (record framing and handshakes included) are not reported.
 * Options are the plain transport's, applied to the underlying socket;
 * {@link AtollOptions#RECV_CHUNK_SIZE} bounds the plaintext one {@code recv(0)} returns.
 */
public abstract class SslEngineTransport implements Transport<TlsSocket, TlsListener> {

    private final String name;
    private final TlsConfig config;
    private final Transport<?, ?> plain;
    private final boolean closesPlain;
    private final SslContexts contexts;
    private final Set<SocketOption<?>> options;
    private final SSLContext context;
    /**
     * Contexts made for configurations chosen per connection, by content: the least recently
     * used goes beyond {@link #CHOSEN_CONTEXTS}.
     */
    private final Map<TlsConfig, SSLContext> chosenContexts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TlsConfig, SSLContext> eldest) {
            return size() > CHOSEN_CONTEXTS;
        }
    };

    /** How many contexts for chosen configurations a transport keeps. */
    private static final int CHOSEN_CONTEXTS = 64;

    /**
     * A secure transport.
     *
     * @param name        the transport's name
     * @param provider    the JSSE provider, or {@code null} for the JDK's default
     * @param config      the TLS configuration; checked against the provider now
     * @param plain       the plain transport that carries the TLS records
     * @param closesPlain whether {@link #close()} closes {@code plain}: {@code true} when the
     *                    plain transport was made for this one (from configuration),
     *                    {@code false} when its owner handed it over
     * @throws IllegalArgumentException when the provider cannot do what the configuration asks
     */
    protected SslEngineTransport(String name, Provider provider, TlsConfig config, Transport<?, ?> plain,
                                 boolean closesPlain) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.plain = Objects.requireNonNull(plain, "plain");
        this.closesPlain = closesPlain;
        if (plain.secure()) {
            throw new IllegalArgumentException(name + " runs over a plain transport, not over " + plain.name());
        }
        Set<SocketOption<?>> all = new java.util.HashSet<>(plain.supportedOptions());
        all.addAll(ConnectionSettings.OPTIONS);
        this.options = Set.copyOf(all);
        this.contexts = new SslContexts(provider);
        this.context = createContext(contexts, config);
    }

    /**
     * The configuration this transport runs with.
     *
     * @return the configuration
     */
    public TlsConfig config() {
        return config;
    }

    /**
     * The plain transport under the TLS records.
     *
     * @return the plain transport
     */
    @Override
    public Transport<?, ?> plain() {
        return plain;
    }

    /**
     * Closes the plain transport when it was made for this one; one handed to a public
     * constructor is its owner's to close.
     */
    @Override
    public void close() {
        if (closesPlain) {
            plain.close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean secure() {
        return true;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return options;
    }

    @Override
    public TlsListener listen(InetSocketAddress local, SocketOptions options) throws IOException {
        requireIdentity("listen on " + local);
        return new TlsListener(Listener.open(plain, local, options));
    }

    @Override
    public TlsSocket accept(TlsListener listener, Duration timeout) throws IOException {
        return wrap(listener.plain().accept(timeout), false);
    }

    @Override
    public InetSocketAddress listenerAddress(TlsListener listener) {
        return listener.plain().address();
    }

    @Override
    public void closeListener(TlsListener listener) throws IOException {
        listener.plain().close();
    }

    @Override
    public TlsSocket connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException {
        TlsSocket socket = wrap(Connection.connect(plain, remote, plainOptions(options), timeout), true);
        socket.settings().setFrom(options);
        return socket;
    }

    /**
     * The options for the plain connection under a TLS one: all but those the TLS connection keeps
     * itself (the receive chunk and the send timeouts are the TLS connection's; the close linger
     * is both's).
     */
    private SocketOptions plainOptions(SocketOptions options) {
        SocketOptions plainOnes = SocketOptions.none();
        for (SocketOption<?> option : options.options()) {
            if (!ConnectionSettings.keeps(option)
                    || option == AtollOptions.CLOSE_LINGER && plain.supportedOptions().contains(option)) {
                plainOnes = withOption(plainOnes, options, option);
            }
        }
        return plainOnes;
    }

    private static <T> SocketOptions withOption(SocketOptions to, SocketOptions from, SocketOption<T> option) {
        return to.with(option, from.get(option));
    }

    @Override
    public TlsSocket upgrade(Connection established, boolean server) throws IOException {
        if (established.secure()) {
            throw new UnsupportedFeatureException("upgrade of " + established + ": the connection is already secure (TLS in "
                    + "TLS is not supported)");
        }
        if (server) {
            requireIdentity("upgrade of " + established + " to the server side");
        }
        return wrap(established, !server);
    }

    /**
     * A TLS server presents a certificate: a transport whose configuration has neither an
     * identity nor a ready-made context cannot serve, and says so before it takes a connection.
     */
    private void requireIdentity(String operation) {
        if (config.identity().isEmpty() && config.sslContext().isEmpty()) {
            throw new IllegalStateException(operation + ": " + name + " has no identity to present to clients; a TLS "
                    + "server needs TlsConfig.Builder.identity (or sslContext)");
        }
    }

    private TlsSocket wrap(Connection connection, boolean client) throws IOException {
        try {
            return new TlsSocket(connection, client, config, chosen -> engine(chosen, client, connection));
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private SSLEngine engine(TlsConfig chosen, boolean client, Connection connection) {
        try {
            SSLEngine engine = SslContexts.engine(contextFor(chosen), chosen, client, connection.peername());
            configureEngine(engine, chosen);
            return engine;
        } catch (IOException e) {
            throw new IllegalStateException("the connection closed before its TLS engine was made", e);
        }
    }

    /**
     * Makes the context for a configuration; a provider that reads settings only when a context
     * is made wraps this. Called from the constructor: an override must not use instance state.
     *
     * @param contexts makes contexts on this transport's provider
     * @param config   the configuration
     * @return the context
     */
    protected SSLContext createContext(SslContexts contexts, TlsConfig config) {
        return contexts.context(config);
    }

    /**
     * Applies what the JDK's {@link javax.net.ssl.SSLParameters} cannot say to this provider's
     * engine; the place for a provider's own API. Does nothing by default.
     *
     * @param engine the engine, already set up from the configuration
     * @param config the configuration it runs with
     */
    protected void configureEngine(SSLEngine engine, TlsConfig config) {
    }

    /** The context for a configuration: made once for each distinct one (by content). */
    SSLContext contextFor(TlsConfig chosen) {
        if (chosen.equals(config)) {
            return context;
        }
        synchronized (chosenContexts) {
            return chosenContexts.computeIfAbsent(chosen, c -> createContext(contexts, c));
        }
    }

    @Override
    public TlsSocket handshake(TlsSocket socket, Duration timeout) throws IOException {
        socket.handshake(config, timeout);
        return socket;
    }

    @Override
    public ClientHello clientHello(TlsSocket socket, Duration timeout) throws IOException {
        return socket.clientHello(timeout);
    }

    @Override
    public TlsSocket handshake(TlsSocket socket, TlsConfig chosen, Duration timeout) throws IOException {
        socket.handshake(chosen, timeout);
        return socket;
    }

    @Override
    public void cancelHandshake(TlsSocket socket) throws IOException {
        socket.cancelHandshake();
    }

    @Override
    public ByteBuffer recv(TlsSocket socket, int length, Duration timeout) throws IOException {
        return socket.recv(length, timeout);
    }

    @Override
    public int recv(TlsSocket socket, ByteBuffer dst, Duration timeout) throws IOException {
        return socket.recv(dst, timeout);
    }

    @Override
    public void unrecv(TlsSocket socket, ByteBuffer bytes) throws IOException {
        socket.unrecv(bytes);
    }

    @Override
    public void send(TlsSocket socket, ByteBuffer... data) throws IOException {
        socket.send(data, null);
    }

    @Override
    public void send(TlsSocket socket, Duration timeout, ByteBuffer... data) throws IOException {
        socket.send(data, timeout);
    }

    @Override
    public long sendfile(TlsSocket socket, Path path, long offset, long length) throws IOException {
        return socket.sendfile(path, offset, length);
    }

    @Override
    public <T> void setopt(TlsSocket socket, SocketOption<T> option, T value) throws IOException {
        if (!ConnectionSettings.keeps(option)) {
            socket.plain().setopt(option, value);
            return;
        }
        socket.settings().set(option, value);
        if (option == AtollOptions.CLOSE_LINGER && plain.supportedOptions().contains(option)) {
            socket.plain().setopt(option, value);   // the plain close lingers, after the close_notify
        }
    }

    @Override
    public <T> T getopt(TlsSocket socket, SocketOption<T> option) throws IOException {
        if (ConnectionSettings.keeps(option)) {
            return socket.settings().get(option);
        }
        return socket.plain().getopt(option);
    }

    @Override
    public SocketStats getstat(TlsSocket socket) {
        return socket.stats();
    }

    @Override
    public Optional<String> negotiatedProtocol(TlsSocket socket) throws IOException {
        return socket.negotiatedProtocol();
    }

    @Override
    public List<Certificate> peercert(TlsSocket socket) throws IOException {
        return socket.peercert();
    }

    @Override
    public dev.atoll.transport.tls.TlsSession tlsSession(TlsSocket socket) throws IOException {
        return socket.tlsSession();
    }

    @Override
    public InetSocketAddress peername(TlsSocket socket) throws IOException {
        return socket.plain().peername();
    }

    @Override
    public InetSocketAddress sockname(TlsSocket socket) throws IOException {
        return socket.plain().sockname();
    }

    @Override
    public void shutdown(TlsSocket socket, ShutdownHow how) throws IOException {
        socket.shutdown(how);
    }

    @Override
    public void close(TlsSocket socket) throws IOException {
        socket.close();
    }
}
