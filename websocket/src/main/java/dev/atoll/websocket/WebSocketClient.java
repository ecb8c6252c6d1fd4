package dev.atoll.websocket;

import dev.atoll.transport.Connection;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Opens WebSocket sessions to servers, in the manner of hackney's {@code hackney_ws}: connect
 * (through an HTTP proxy when configured), TLS for {@code wss}, the upgrade, then a
 * {@link WebSocket} that is used as on the server's side, blocking or by callbacks. Every frame
 * it sends is masked with a fresh key; a masked frame from the server fails the session (1002).
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.create();
 *      WebSocket socket = client.connect(URI.create("wss://example.org/chat"))) {
 *     socket.sendText("hello");
 *     Message reply = socket.receive(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * The upgrade is checked as RFC 6455 section 4.1 says: status 101, {@code Upgrade} and
 * {@code Connection}, a {@code Sec-WebSocket-Accept} matching the key (16 bytes from a
 * {@link java.security.SecureRandom}), a subprotocol and extensions only among those offered.
 * Any other status is a {@link WebSocketHandshakeException} with the status, headers and the
 * start of the body. A client is thread-safe; it owns the transports it made from configuration
 * and closes them with {@link #close()}.
 */
public final class WebSocketClient implements AutoCloseable {

    /**
     * From the first byte: a TLS flight or an upgrade request is one send each, and Nagle's
     * algorithm would hold a second write for the peer's delayed ACK.
     */
    private static final SocketOptions NO_DELAY = SocketOptions.of(java.net.StandardSocketOptions.TCP_NODELAY, true);

    private final WebSocketClientConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private Transport<?, ?> plain;
    private Transport<?, ?> secure;
    private final Map<String, Transport<?, ?>> secureByServerName = new HashMap<>();
    private boolean closed;

    private WebSocketClient(WebSocketClientConfig config) {
        this.config = config;
    }

    /** {@return a client with {@link WebSocketClientConfig#defaults()}} */
    public static WebSocketClient create() {
        return create(WebSocketClientConfig.defaults());
    }

    /**
     * A client with this configuration.
     * @param config how to connect
     * @return a client
     */
    public static WebSocketClient create(WebSocketClientConfig config) {
        return new WebSocketClient(Objects.requireNonNull(config, "config"));
    }

    /**
     * Connects with no subprotocol and no extra header.
     *
     * @param uri a {@code ws://} or {@code wss://} URI without a fragment
     * @return the open session
     * @throws IOException as {@link #connect(URI, ConnectOptions)}
     */
    public WebSocket connect(URI uri) throws IOException {
        return connect(uri, ConnectOptions.none());
    }

    /**
     * Connects, upgrades and returns the open session, for blocking use.
     *
     * @param uri     a {@code ws://} or {@code wss://} URI without a fragment
     * @param options subprotocols and extra headers
     * @return the open session
     * @throws IllegalArgumentException    when the URI is not a WebSocket URI
     * @throws WebSocketHandshakeException when the server (or the proxy) answers with another status
     * @throws WebSocketException          when the response breaks RFC 6455 or 7692
     * @throws java.net.SocketTimeoutException when the connection or the handshake takes too long
     * @throws IOException                 when the connection or the TLS handshake fails
     */
    public WebSocket connect(URI uri, ConnectOptions options) throws IOException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("connect: '" + uri + "' is not a ws:// or wss:// URI");
        }
        if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("connect: '" + uri + "' needs a host, and may have no fragment or user information");
        }
        boolean tls = scheme.equals("wss");
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String hostHeader = uri.getHost() + (uri.getPort() >= 0 && port != (tls ? 443 : 80) ? ":" + port : "");
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long deadline = System.nanoTime() + config.handshakeTimeout().toNanos();
        Connection connection = open(host, port, tls, deadline);
        try {
            return ClientHandshake.upgrade(connection, hostHeader, target, options, config, deadline);
        } catch (IOException | RuntimeException | Error e) {
            try {
                connection.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Connects as {@link #connect(URI, ConnectOptions)} does, then delivers the session's
     * messages to a handler on the session's own virtual thread (hackney's active mode) until
     * the session ends. {@link WebSocket#pauseDelivery()} and {@link WebSocket#resumeDelivery()}
     * stop and restart delivery; the session reads nothing while paused.
     *
     * @param uri     a {@code ws://} or {@code wss://} URI
     * @param options subprotocols and extra headers
     * @param handler called with the session's messages; {@link WebSocketHandler#onOpen} first
     * @return the open session, for sending from any thread
     * @throws IOException as {@link #connect(URI, ConnectOptions)}
     */
    public WebSocket connect(URI uri, ConnectOptions options, WebSocketHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        WebSocket socket = connect(uri, options);
        Thread.ofVirtual().name("websocket-client-" + uri.getHost()).start(() -> {
            try {
                Callbacks.run(socket, handler);
            } catch (Exception | Error e) {
                // the session is closed with 1011 and the handler told by terminate
            }
        });
        return socket;
    }

    private Connection open(String host, int port, boolean tls, long deadline) throws IOException {
        InetSocketAddress server = resolved(host, port);
        if (config.proxy().isEmpty()) {
            Connection connection = Connection.connect(transport(tls, null), server, NO_DELAY,
                    config.connectTimeout());
            return tls ? handshaken(connection, deadline) : connection;
        }
        URI proxy = config.proxy().get();
        InetSocketAddress proxyAddress = resolved(proxy.getHost(), proxy.getPort() >= 0 ? proxy.getPort() : 80);
        Connection tunnel = Connection.connect(transport(false, null), proxyAddress, NO_DELAY, config.connectTimeout());
        try {
            String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
            String credentials = proxy.getUserInfo();
            ClientHandshake.tunnel(tunnel, authority, credentials, config, deadline);
            if (!tls) {
                return tunnel;
            }
            // the peer of the tunnel is the proxy: TLS must name the server itself
            return handshaken(tunnel.upgrade(transport(true, host), false), deadline);
        } catch (IOException | RuntimeException e) {
            try {
                tunnel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Connection handshaken(Connection connection, long deadline) throws IOException {
        try {
            return connection.handshake(ClientHandshake.remaining(deadline));
        } catch (IOException | RuntimeException e) {
            try {
                connection.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static InetSocketAddress resolved(String host, int port) throws UnknownHostException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException("connect: the host '" + host + "' cannot be resolved");
        }
        return address;
    }

    /**
     * The transport for a connection: given in code, or made (once) from configuration. A
     * {@code serverName} asks for a TLS transport naming that server, for a tunnel.
     */
    private Transport<?, ?> transport(boolean tls, String serverName) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("connect: the client is closed");
            }
            if (config.transportsGiven()) {
                return (tls ? config.secureTransport() : config.plainTransport()).orElseThrow(() -> new IllegalStateException(
                        "connect: " + (tls ? "wss:// needs a secure transport, and the client was given only a plain one"
                                : "ws:// needs a plain transport, and the client was given only a secure one")));
            }
            if (!tls) {
                if (plain == null) {
                    plain = Transports.configured(withoutTls());
                }
                return plain;
            }
            String provider = config.transportConfig().getOrDefault(Transports.TLS_PROPERTY, "jsse");
            if (serverName == null) {
                if (secure == null) {
                    secure = Transports.secure(provider, config.tls(), withoutTls());
                }
                return secure;
            }
            return secureByServerName.computeIfAbsent(serverName, name -> Transports.secure(provider,
                    config.tls().serverName().isPresent() ? config.tls() : config.tls().toBuilder().serverName(name).build(),
                    withoutTls()));
        } finally {
            lock.unlock();
        }
    }

    private Map<String, String> withoutTls() {
        Map<String, String> map = new HashMap<>(config.transportConfig());
        map.remove(Transports.TLS_PROPERTY);
        return map;
    }

    /**
     * Closes the transports this client made from configuration; sessions still open on them
     * end with them. Transports given in code are left to their owner.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (!config.transportsGiven()) {
                closeQuietly(plain);
                closeQuietly(secure);
                secureByServerName.values().forEach(WebSocketClient::closeQuietly);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Transport<?, ?> transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }
}
