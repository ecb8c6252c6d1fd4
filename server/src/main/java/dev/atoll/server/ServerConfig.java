package dev.atoll.server;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import dev.atoll.transport.spi.SettingValues;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * How a {@link Server} runs: its transport, where it listens, its limits and its timeouts.
 * Built in code with {@link #builder(Transport)}, or from a configuration map with
 * {@link #from(Map)}, whose keys are these (every one optional; an unknown {@code atoll.server.*}
 * key is an error, so a misspelt one never goes unnoticed):
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code atoll.transport}, {@code atoll.tls}, ...</td><td>{@code nio}</td>
 *       <td>the transport, chosen by {@link Transports#configured(Map)} from the same map</td></tr>
 *   <tr><td>{@code atoll.server.address}</td><td>every interface</td><td>{@link #address()}'s host</td></tr>
 *   <tr><td>{@code atoll.server.port}</td><td>0</td><td>{@link #address()}'s port</td></tr>
 *   <tr><td>{@code atoll.server.backlog}</td><td>1024</td><td>{@link #backlog()}</td></tr>
 *   <tr><td>{@code atoll.server.listen-sockets}</td><td>1</td><td>{@link #listenSockets()}</td></tr>
 *   <tr><td>{@code atoll.server.acceptors}</td><td>one per listen socket</td><td>{@link #acceptors()}</td></tr>
 *   <tr><td>{@code atoll.server.max-connections}</td><td>16384</td><td>{@link #maxConnections()}</td></tr>
 *   <tr><td>{@code atoll.server.at-limit}</td><td>{@code pause}</td><td>{@link #limitPolicy()}: {@code pause} or {@code close}</td></tr>
 *   <tr><td>{@code atoll.server.limit-wait}</td><td>1s</td><td>{@link #limitWait()}</td></tr>
 *   <tr><td>{@code atoll.server.handshake-timeout}</td><td>10s</td><td>{@link #handshakeTimeout()}</td></tr>
 *   <tr><td>{@code atoll.server.read-timeout}</td><td>60s</td><td>{@link #readTimeout()}</td></tr>
 *   <tr><td>{@code atoll.server.shutdown-timeout}</td><td>15s</td><td>{@link #shutdownTimeout()}</td></tr>
 *   <tr><td>{@code atoll.server.proxy-protocol}</td><td>{@code none}</td><td>{@link #proxyProtocol()}: {@code none}, {@code v1}, {@code v2} or {@code any}</td></tr>
 *   <tr><td>{@code atoll.server.proxy-header-limit}</td><td>4096</td><td>{@link #proxyHeaderLimit()}</td></tr>
 * </table>
 *
 * Durations are written {@code 500ms} or {@code 10s}.
 */
public final class ServerConfig {

    /** The longest PROXY protocol header there is: a version 2 header with 65535 bytes after its first 16. */
    public static final int MAX_PROXY_HEADER = 16 + 0xFFFF;

    /** The most connections served at once unless configured otherwise ({@link #maxConnections()}). */
    public static final int DEFAULT_MAX_CONNECTIONS = 16_384;

    /** The prefix of the server's configuration keys. */
    public static final String PREFIX = "atoll.server.";

    private static final Set<String> KEYS = Set.of("address", "port", "backlog", "listen-sockets", "acceptors",
            "max-connections", "at-limit", "limit-wait", "handshake-timeout", "read-timeout", "shutdown-timeout", "proxy-protocol",
            "proxy-header-limit");

    private final Transport<?, ?> transport;
    private final Map<String, String> transportConfig;
    private final InetSocketAddress address;
    private final int backlog;
    private final int listenSockets;
    private final int acceptors;
    private final int maxConnections;
    private final LimitPolicy limitPolicy;
    private final Duration limitWait;
    private final Duration handshakeTimeout;
    private final Duration readTimeout;
    private final Duration shutdownTimeout;
    private final SocketOptions connectionOptions;
    private final Telemetry telemetry;
    private final ProxyProtocol proxyProtocol;
    private final int proxyHeaderLimit;

    private ServerConfig(Builder b) {
        this.transport = b.transport;
        this.transportConfig = b.transportConfig;
        this.address = b.address;
        this.backlog = b.backlog;
        this.listenSockets = b.listenSockets;
        this.acceptors = b.acceptors == 0 ? b.listenSockets : b.acceptors;
        this.maxConnections = b.maxConnections;
        this.limitPolicy = b.limitPolicy;
        this.limitWait = b.limitWait;
        this.handshakeTimeout = b.handshakeTimeout;
        this.readTimeout = b.readTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.connectionOptions = b.connectionOptions;
        this.telemetry = b.telemetry;
        this.proxyProtocol = b.proxyProtocol;
        this.proxyHeaderLimit = b.proxyHeaderLimit;
        if (acceptors < listenSockets) {
            throw new IllegalArgumentException("acceptors: " + acceptors + " cannot serve " + listenSockets
                    + " listen sockets; give at least one acceptor per listen socket");
        }
    }

    /**
     * A builder for a server on a transport made in code. The server does not close this
     * transport; its owner does.
     *
     * @param transport the transport, plain or TLS
     * @return the builder, with every default
     */
    public static Builder builder(Transport<?, ?> transport) {
        return new Builder(Objects.requireNonNull(transport, "transport"), null);
    }

    /**
     * Reads a configuration map: the transport as {@link Transports#configured(Map)} chooses it
     * from the same map, and the {@code atoll.server.*} keys of the class description. The server
     * makes that transport when it starts and closes it when it stops.
     *
     * @param config the configuration
     * @return a builder holding what the map says, for code to add the rest (telemetry,
     *         connection options)
     * @throws IllegalArgumentException when a value is invalid or an {@code atoll.server.*} key unknown
     */
    public static Builder from(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key.substring(PREFIX.length()))) {
                throw new IllegalArgumentException(key + " is not a server setting; the settings are " + PREFIX + KEYS);
            }
        }
        Builder b = new Builder(null, Map.copyOf(config));
        String host = config.get(PREFIX + "address");
        int port = intValue(config, "port", 0, 65_535, 0);
        b.address = host == null || host.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(host.strip(), port);
        if (b.address.isUnresolved()) {
            throw new IllegalArgumentException(PREFIX + "address: '" + host + "' cannot be resolved");
        }
        b.backlog(intValue(config, "backlog", 1, Integer.MAX_VALUE, b.backlog));
        b.listenSockets(intValue(config, "listen-sockets", 1, 1024, b.listenSockets));
        b.acceptors(intValue(config, "acceptors", 1, 4096, 0));
        b.maxConnections(intValue(config, "max-connections", 1, Integer.MAX_VALUE, b.maxConnections));
        String atLimit = config.get(PREFIX + "at-limit");
        if (atLimit != null) {
            b.limitPolicy(switch (atLimit.strip()) {
                case "pause" -> LimitPolicy.PAUSE_ACCEPTING;
                case "close" -> LimitPolicy.CLOSE_AFTER_WAIT;
                default -> throw new IllegalArgumentException(PREFIX + "at-limit: '" + atLimit + "' is not pause or close");
            });
        }
        b.limitWait(durationValue(config, "limit-wait", b.limitWait));
        b.handshakeTimeout(durationValue(config, "handshake-timeout", b.handshakeTimeout));
        b.readTimeout(durationValue(config, "read-timeout", b.readTimeout));
        b.shutdownTimeout(durationValue(config, "shutdown-timeout", b.shutdownTimeout));
        String proxy = config.get(PREFIX + "proxy-protocol");
        if (proxy != null && !proxy.isBlank()) {
            try {
                b.proxyProtocol(ProxyProtocol.named(proxy));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PREFIX + "proxy-protocol: " + e.getMessage(), e);
            }
        }
        b.proxyHeaderLimit(intValue(config, "proxy-header-limit", ProxyHeaderParser.V1_MAX, MAX_PROXY_HEADER, b.proxyHeaderLimit));
        return b;
    }

    /**
     * {@link #from(Map)} for {@link Properties}.
     *
     * @param config the configuration
     * @return the builder
     */
    public static Builder from(Properties config) {
        Map<String, String> map = new LinkedHashMap<>();
        config.stringPropertyNames().forEach(k -> map.put(k, config.getProperty(k)));
        return from(map);
    }

    private static int intValue(Map<String, String> config, String key, int min, int max, int otherwise) {
        String v = config.get(PREFIX + key);
        return v == null || v.isBlank() ? otherwise : SettingValues.integer(PREFIX + key, v, min, max);
    }

    private static Duration durationValue(Map<String, String> config, String key, Duration otherwise) {
        String v = config.get(PREFIX + key);
        return v == null || v.isBlank() ? otherwise : SettingValues.duration(PREFIX + key, v);
    }

    /** {@return whether the server makes its transport from a configuration map, and so closes it when it stops} */
    boolean ownsTransport() {
        return transport == null;
    }

    /** {@return the transport given in code, or a new one made from the configuration map} */
    Transport<?, ?> openTransport() {
        return transport != null ? transport : Transports.configured(transportConfig);
    }

    /** {@return the address to listen on; port 0 picks a free port, which {@link Server#address()} tells} */
    public InetSocketAddress address() {
        return address;
    }

    /** {@return the kernel's backlog of each listen socket ({@link AtollOptions#BACKLOG}), default 1024} */
    public int backlog() {
        return backlog;
    }

    /**
     * {@return how many listen sockets are bound to the address, default 1. More than one bind
     *         with {@code SO_REUSEPORT} to the same port (port 0 too: the first picks it), and
     *         the kernel spreads new connections over them.}
     */
    public int listenSockets() {
        return listenSockets;
    }

    /**
     * {@return how many acceptor threads take connections from the listen sockets (spread over
     *         them in turn), default one per listen socket. An acceptor only accepts and starts a
     *         virtual thread; one keeps up with tens of thousands of connections a second.}
     */
    public int acceptors() {
        return acceptors;
    }

    /** {@return the most connections served at once, default 16384 (changeable at run time: {@link Server#maxConnections(int)})} */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@return what happens at {@link #maxConnections()}, default {@link LimitPolicy#PAUSE_ACCEPTING}} */
    public LimitPolicy limitPolicy() {
        return limitPolicy;
    }

    /** {@return how long {@link LimitPolicy#CLOSE_AFTER_WAIT} lets an accepted connection wait for a place, default 1 s} */
    public Duration limitWait() {
        return limitWait;
    }

    /** {@return the limit of each connection's handshake (TLS, or the PROXY header), default 10 s} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * {@return how long a callback {@link Handler} waits for the peer's next bytes before
     *         {@link Handler#handleTimeout}, default 60 s (Thousand Island's)}
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** {@return the drain time of {@link Server#close()}, default 15 s (Thousand Island's)} */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** {@return options set on every accepted connection before its handshake, such as {@code TCP_NODELAY}} */
    public SocketOptions connectionOptions() {
        return connectionOptions;
    }

    /** {@return where the server reports its events, besides JFR; default none} */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** {@return whether connections begin with a PROXY protocol header, and of which version; default {@link ProxyProtocol#NONE}} */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /**
     * {@return the most bytes a PROXY header may take, default 4096 (a version 2 header with the
     *         usual TLVs takes a few hundred; a version 1 header never more than 107)}
     */
    public int proxyHeaderLimit() {
        return proxyHeaderLimit;
    }

    @Override
    public String toString() {
        return "ServerConfig[" + (transport != null ? transport.name() : "transport from configuration") + " on " + address + ", backlog " + backlog + ", listen sockets "
                + listenSockets + ", acceptors " + acceptors + ", max connections " + maxConnections + " (" + limitPolicy
                + (limitPolicy == LimitPolicy.CLOSE_AFTER_WAIT ? " after " + limitWait : "") + "), handshake timeout "
                + handshakeTimeout + ", read timeout " + readTimeout + ", shutdown timeout " + shutdownTimeout
                + (proxyProtocol == ProxyProtocol.NONE ? "" : ", PROXY protocol " + proxyProtocol + " up to " + proxyHeaderLimit
                + " bytes") + "]";
    }

    /** Builds a {@link ServerConfig}; every value is checked as it is set. */
    public static final class Builder {
        private final Transport<?, ?> transport;
        private final Map<String, String> transportConfig;
        private InetSocketAddress address = new InetSocketAddress(0);
        private int backlog = AtollOptions.DEFAULT_BACKLOG;
        private int listenSockets = 1;
        private int acceptors;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private LimitPolicy limitPolicy = LimitPolicy.PAUSE_ACCEPTING;
        private Duration limitWait = Duration.ofSeconds(1);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(15);
        private SocketOptions connectionOptions = SocketOptions.none();
        private Telemetry telemetry = Telemetry.NONE;
        private ProxyProtocol proxyProtocol = ProxyProtocol.NONE;
        private int proxyHeaderLimit = 4096;

        private Builder(Transport<?, ?> transport, Map<String, String> transportConfig) {
            this.transport = transport;
            this.transportConfig = transportConfig;
        }

        /**
         * Sets where to listen; port 0 for a free one.
         *
         * @param address where to listen; port 0 for a free one
         * @return this builder
         */
        public Builder address(InetSocketAddress address) {
            Objects.requireNonNull(address, "address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("address: " + address + " is unresolved");
            }
            this.address = address;
            return this;
        }

        /**
         * Sets the port on every interface, 0 for a free one.
         *
         * @param port the port on every interface, 0 for a free one
         * @return this builder
         */
        public Builder port(int port) {
            return address(new InetSocketAddress(address.getAddress(), port));
        }

        /**
         * Sets the kernel's backlog per listen socket, at least 1.
         *
         * @param backlog the kernel's backlog per listen socket, at least 1
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = atLeast("backlog", backlog, 1);
            return this;
        }

        /**
         * Sets how many listen sockets share the address, at least 1.
         *
         * @param listenSockets listen sockets on the one address, at least 1
         * @return this builder
         */
        public Builder listenSockets(int listenSockets) {
            this.listenSockets = atLeast("listenSockets", listenSockets, 1);
            return this;
        }

        /**
         * Sets how many acceptor threads there are, at least one per listen socket.
         *
         * @param acceptors acceptor threads, at least one per listen socket
         * @return this builder
         */
        public Builder acceptors(int acceptors) {
            this.acceptors = acceptors == 0 ? 0 : atLeast("acceptors", acceptors, 1);
            return this;
        }

        /**
         * Sets the most connections at once, at least 1.
         *
         * @param maxConnections the most connections at once, at least 1
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = atLeast("maxConnections", maxConnections, 1);
            return this;
        }

        /**
         * Sets what happens at the limit.
         *
         * @param limitPolicy what happens at the limit
         * @return this builder
         */
        public Builder limitPolicy(LimitPolicy limitPolicy) {
            this.limitPolicy = Objects.requireNonNull(limitPolicy, "limitPolicy");
            return this;
        }

        /**
         * Sets how long a connection accepted at the limit waits for a place.
         *
         * @param limitWait how long a connection accepted at the limit waits for a place
         * @return this builder
         */
        public Builder limitWait(Duration limitWait) {
            this.limitWait = nonNegative("limitWait", limitWait);
            return this;
        }

        /**
         * Sets the limit of each handshake, more than zero.
         *
         * @param handshakeTimeout the limit of each handshake, more than zero
         * @return this builder
         */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = positive("handshakeTimeout", handshakeTimeout);
            return this;
        }

        /**
         * Sets a callback handler's wait for the peer's bytes, more than zero.
         *
         * @param readTimeout a callback handler's wait for the peer's bytes, more than zero
         * @return this builder
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = positive("readTimeout", readTimeout);
            return this;
        }

        /**
         * Sets the drain time of {@link Server#close()}.
         *
         * @param shutdownTimeout the drain time of {@link Server#close()}
         * @return this builder
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = nonNegative("shutdownTimeout", shutdownTimeout);
            return this;
        }

        /**
         * Sets the options set on every accepted connection.
         *
         * @param connectionOptions options set on every accepted connection
         * @return this builder
         */
        public Builder connectionOptions(SocketOptions connectionOptions) {
            this.connectionOptions = Objects.requireNonNull(connectionOptions, "connectionOptions");
            return this;
        }

        /**
         * Sets where to report events.
         *
         * @param telemetry where to report events
         * @return this builder
         */
        public Builder telemetry(Telemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /**
         * Sets whether connections begin with a PROXY header, and which version.
         *
         * @param proxyProtocol whether connections begin with a PROXY header, and which version
         * @return this builder
         */
        public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxyProtocol = Objects.requireNonNull(proxyProtocol, "proxyProtocol");
            return this;
        }

        /**
         * Sets the most bytes a PROXY header may take, from 107 to {@link #MAX_PROXY_HEADER}.
         *
         * @param proxyHeaderLimit the most bytes a PROXY header may take, from 107 to {@link #MAX_PROXY_HEADER}
         * @return this builder
         */
        public Builder proxyHeaderLimit(int proxyHeaderLimit) {
            if (proxyHeaderLimit < ProxyHeaderParser.V1_MAX || proxyHeaderLimit > MAX_PROXY_HEADER) {
                throw new IllegalArgumentException("proxyHeaderLimit: " + proxyHeaderLimit + " is not between "
                        + ProxyHeaderParser.V1_MAX + " and " + MAX_PROXY_HEADER);
            }
            this.proxyHeaderLimit = proxyHeaderLimit;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException when the values do not fit together
         */
        public ServerConfig build() {
            return new ServerConfig(this);
        }

        private static int atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + ": " + value + " is less than " + min);
            }
            return value;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " is not more than zero");
            }
            return d;
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + ": " + d + " is negative");
            }
            return d;
        }
    }
}
