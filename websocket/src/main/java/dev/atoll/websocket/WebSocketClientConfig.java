package dev.atoll.websocket;

import dev.atoll.transport.Transport;
import dev.atoll.transport.tls.TlsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link WebSocketClient} connects: which transports, TLS, time limits, an HTTP proxy,
 * and the sessions' own {@link WebSocketConfig}.
 *
 * <ul>
 *   <li><b>Transports.</b> By default from the configuration map ({@link #transportConfig()}):
 *       {@code ws://} on the plain transport {@code atoll.transport} chooses, {@code wss://} on
 *       the TLS provider {@code atoll.tls} names ({@code jsse} by default) over it. A
 *       {@code wss} URI always gets TLS, whatever the map says; a {@code ws} URI never does.
 *       Transports given in code ({@link Builder#transports}) are used as they are and not
 *       closed by the client.</li>
 *   <li><b>TLS</b> ({@link #tls()}): the JDK's trust store, hostname verification on, SNI and
 *       the verified name from the URI's host, ALPN {@code http/1.1}.</li>
 *   <li><b>Time</b>: {@link #connectTimeout()} 8 s (hackney's), {@link #handshakeTimeout()} 10 s
 *       for the TLS handshake and the upgrade response together; the response head is at most
 *       {@link #maxResponseHead()} (64 KiB).</li>
 *   <li><b>Proxy</b> ({@link #proxy()}): an HTTP proxy reached with {@code CONNECT}, with basic
 *       authentication when its URI has user information ({@code http://user:secret@proxy:3128}).</li>
 *   <li><b>Sessions</b> ({@link #session()}): limits, idle and close timeouts; with
 *       {@link WebSocketConfig#deflate()}, permessage-deflate is offered (with
 *       {@code client_no_context_takeover} and {@code server_no_context_takeover} as that
 *       configuration asks).</li>
 * </ul>
 */
public final class WebSocketClientConfig {

    /** The most bytes of an error response's body a {@link WebSocketHandshakeException} keeps. */
    public static final int MAX_ERROR_BODY = 8192;

    private static final WebSocketClientConfig DEFAULTS = builder().build();

    private final Map<String, String> transportConfig;
    private final Transport<?, ?> plain;
    private final Transport<?, ?> secure;
    private final TlsConfig tls;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final int maxResponseHead;
    private final URI proxy;
    private final WebSocketConfig session;

    private WebSocketClientConfig(Builder b) {
        this.transportConfig = b.transportConfig;
        this.plain = b.plain;
        this.secure = b.secure;
        this.tls = b.tls;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxResponseHead = b.maxResponseHead;
        this.proxy = b.proxy;
        this.session = b.session;
    }

    /** {@return the defaults of the class description} */
    public static WebSocketClientConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the configuration the client's transports are made from, when none are given in code} */
    public Map<String, String> transportConfig() {
        return transportConfig;
    }

    /** {@return whether the transports were given in code (and are not made from configuration)} */
    boolean transportsGiven() {
        return plain != null || secure != null;
    }

    /** {@return the plain transport given in code for {@code ws}, if any} */
    Optional<Transport<?, ?>> plainTransport() {
        return Optional.ofNullable(plain);
    }

    /** {@return the secure transport given in code for {@code wss}, if any} */
    Optional<Transport<?, ?>> secureTransport() {
        return Optional.ofNullable(secure);
    }

    /** {@return the TLS configuration of {@code wss} connections} */
    public TlsConfig tls() {
        return tls;
    }

    /** {@return how long the TCP connection (to the server or the proxy) may take} */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@return how long the proxy's answer, the TLS handshake and the upgrade response may take together} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return the largest response head accepted, in bytes} */
    public int maxResponseHead() {
        return maxResponseHead;
    }

    /** {@return the HTTP proxy, if any} */
    public Optional<URI> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** {@return the sessions' limits, timeouts and compression} */
    public WebSocketConfig session() {
        return session;
    }

    /** Builds a {@link WebSocketClientConfig}. */
    public static final class Builder {
        private Map<String, String> transportConfig = Map.of();
        private Transport<?, ?> plain;
        private Transport<?, ?> secure;
        private TlsConfig tls = TlsConfig.builder().alpn("http/1.1").build();
        private Duration connectTimeout = Duration.ofSeconds(8);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxResponseHead = 64 * 1024;
        private URI proxy;
        private WebSocketConfig session = WebSocketConfig.defaults();

        private Builder() {
        }

        /**
         * Sets {@link #transportConfig()}.
         * @param config the map the transports are chosen and set up from ({@code atoll.transport},
         *               {@code atoll.tls} and their settings)
         * @return this builder
         */
        public Builder transportConfig(Map<String, String> config) {
            this.transportConfig = Map.copyOf(config);
            return this;
        }

        /**
         * Transports made in code, which the client uses and does not close.
         *
         * @param plain  for {@code ws} URIs: a plain transport, or {@code null} to refuse them
         * @param secure for {@code wss} URIs: a secure transport (its own TLS configuration
         *               applies, and {@link #tls} does not), or {@code null} to refuse them
         * @return this builder
         * @throws IllegalArgumentException when {@code plain} is secure or {@code secure} is not,
         *         or both are {@code null}
         */
        public Builder transports(Transport<?, ?> plain, Transport<?, ?> secure) {
            if (plain == null && secure == null) {
                throw new IllegalArgumentException("transports: give a plain transport, a secure one or both");
            }
            if (plain != null && plain.secure()) {
                throw new IllegalArgumentException("transports: " + plain.name() + " is secure; ws:// needs a plain transport");
            }
            if (secure != null && !secure.secure()) {
                throw new IllegalArgumentException("transports: " + secure.name() + " is plain; wss:// needs a secure transport");
            }
            this.plain = plain;
            this.secure = secure;
            return this;
        }

        /**
         * Sets {@link WebSocketClientConfig#tls()}.
         * @param config the TLS configuration of {@code wss} connections made from configuration
         * @return this builder
         */
        public Builder tls(TlsConfig config) {
            this.tls = Objects.requireNonNull(config, "tls");
            return this;
        }

        /**
         * Sets {@link WebSocketClientConfig#connectTimeout()}.
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link WebSocketClientConfig#handshakeTimeout()}.
         * @param timeout positive
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link WebSocketClientConfig#maxResponseHead()}.
         * @param bytes at least 256
         * @return this builder
         */
        public Builder maxResponseHead(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxResponseHead: must be at least 256, not " + bytes);
            }
            this.maxResponseHead = bytes;
            return this;
        }

        /**
         * Sets {@link WebSocketClientConfig#proxy()}.
         * @param proxy an {@code http://} URI of a proxy that allows {@code CONNECT}, with
         *              {@code user:password@} for basic authentication; {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException when it is not such a URI
         */
        public Builder proxy(URI proxy) {
            if (proxy != null && (!"http".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null)) {
                throw new IllegalArgumentException("proxy: '" + proxy + "' is not an http://host:port URI");
            }
            this.proxy = proxy;
            return this;
        }

        /**
         * Sets {@link WebSocketClientConfig#session()}.
         * @param config the sessions' limits, timeouts and compression
         * @return this builder
         */
        public Builder session(WebSocketConfig config) {
            this.session = Objects.requireNonNull(config, "session");
            return this;
        }

        /** {@return the configuration} */
        public WebSocketClientConfig build() {
            return new WebSocketClientConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": must be positive, not " + value);
            }
            return value;
        }
    }
}
