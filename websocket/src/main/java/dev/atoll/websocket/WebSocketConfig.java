package dev.atoll.websocket;

import dev.atoll.transport.spi.SettingValues;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * A WebSocket endpoint's limits, timeouts and compression. Every limit is checked before the
 * bytes it bounds are buffered, so a peer can never make a session hold more than these say.
 * Built with {@link #builder()} or read from a configuration map with {@link #from(Map)}, whose
 * keys are these (every one optional; an unknown {@code atoll.websocket.*} key is an error):
 *
 * <table>
 *   <caption>Settings, their defaults and why</caption>
 *   <tr><th>key</th><th>default</th><th>meaning, and why that default</th></tr>
 *   <tr><td>{@code atoll.websocket.max-frame-size}</td><td>1 MiB</td><td>{@link #maxFrameSize()}:
 *       the largest frame payload, refused (1009) from its header before any of it is read</td></tr>
 *   <tr><td>{@code atoll.websocket.max-message-size}</td><td>1 MiB</td><td>{@link #maxMessageSize()}:
 *       the largest message, reassembled and inflated; 1 MiB as Python's {@code websockets}, enough
 *       for any chat or RPC message and small enough that 10,000 peers cannot exhaust a heap</td></tr>
 *   <tr><td>{@code atoll.websocket.idle-timeout}</td><td>60s</td><td>{@link #idleTimeout()}:
 *       Cowboy's; a session with nothing from the peer for this long is closed (1001)</td></tr>
 *   <tr><td>{@code atoll.websocket.ping-interval}</td><td>off</td><td>{@link #pingInterval()}:
 *       a keep-alive ping after this much silence, for peers behind NATs that forget idle flows</td></tr>
 *   <tr><td>{@code atoll.websocket.close-timeout}</td><td>5s</td><td>{@link #closeTimeout()}:
 *       how long a local close waits for the peer's close frame; hackney's 5 s</td></tr>
 *   <tr><td>{@code atoll.websocket.send-timeout}</td><td>30s</td><td>{@link #sendTimeout()}:
 *       how long a send may wait for a peer that does not read before the session fails</td></tr>
 *   <tr><td>{@code atoll.websocket.handshake-timeout}</td><td>10s</td><td>{@link #handshakeTimeout()}:
 *       the whole HTTP upgrade request must arrive within this (a slow-loris bound)</td></tr>
 *   <tr><td>{@code atoll.websocket.max-request-head}</td><td>16384</td><td>{@link #maxRequestHead()}:
 *       the request line and headers, in bytes; browsers send under 2 KiB, cookies included</td></tr>
 *   <tr><td>{@code atoll.websocket.deflate}</td><td>{@code false}</td><td>{@link #deflate()}: accept
 *       permessage-deflate when the client offers it; off as Cowboy's {@code compress} and
 *       {@code ws}'s server, since each compressing session holds about 300 KiB of zlib state</td></tr>
 *   <tr><td>{@code atoll.websocket.deflate-threshold}</td><td>64</td><td>{@link #deflateThreshold()}:
 *       messages shorter than this are sent uncompressed, where deflate would only add bytes</td></tr>
 *   <tr><td>{@code atoll.websocket.server-no-context-takeover}</td><td>{@code false}</td><td>{@link #serverNoContextTakeover()}:
 *       reset the compressor after each message, trading ratio for memory between messages</td></tr>
 *   <tr><td>{@code atoll.websocket.client-no-context-takeover}</td><td>{@code false}</td><td>{@link #clientNoContextTakeover()}:
 *       ask the client to reset its compressor after each message</td></tr>
 *   <tr><td>{@code atoll.websocket.max-inflate-ratio}</td><td>256</td><td>{@link #maxInflateRatio()}:
 *       a compressed message that grows past 64 KiB and more than this many times its size is
 *       refused (1009); text and JSON deflate by less than 20, a zip bomb by about 1000</td></tr>
 * </table>
 *
 * Durations are written {@code 500ms} or {@code 10s}.
 */
public final class WebSocketConfig {

    /** The prefix of the configuration keys. */
    public static final String PREFIX = "atoll.websocket.";

    /** Inflated size under which {@link #maxInflateRatio()} is not checked. */
    public static final int INFLATE_RATIO_FLOOR = 64 * 1024;

    private static final Set<String> KEYS = Set.of("max-frame-size", "max-message-size", "idle-timeout",
            "ping-interval", "close-timeout", "send-timeout", "handshake-timeout", "max-request-head", "deflate",
            "deflate-threshold", "server-no-context-takeover", "client-no-context-takeover", "max-inflate-ratio");

    private static final WebSocketConfig DEFAULTS = builder().build();

    private final int maxFrameSize;
    private final int maxMessageSize;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration closeTimeout;
    private final Duration sendTimeout;
    private final Duration handshakeTimeout;
    private final int maxRequestHead;
    private final boolean deflate;
    private final int deflateThreshold;
    private final int deflateLevel;
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int maxInflateRatio;

    private WebSocketConfig(Builder b) {
        this.maxFrameSize = Math.min(b.maxFrameSize, b.maxMessageSize);
        this.maxMessageSize = b.maxMessageSize;
        this.idleTimeout = b.idleTimeout;
        this.pingInterval = b.pingInterval;
        this.closeTimeout = b.closeTimeout;
        this.sendTimeout = b.sendTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxRequestHead = b.maxRequestHead;
        this.deflate = b.deflate;
        this.deflateThreshold = b.deflateThreshold;
        this.deflateLevel = b.deflateLevel;
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.maxInflateRatio = b.maxInflateRatio;
    }

    /** {@return the defaults of the class description} */
    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the {@code atoll.websocket.*} keys of a configuration map.
     *
     * @param config the configuration; other keys are ignored
     * @return a builder holding what the map says over the defaults
     * @throws IllegalArgumentException when a value is invalid or an {@code atoll.websocket.*} key unknown
     */
    public static Builder from(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key.substring(PREFIX.length()))) {
                throw new IllegalArgumentException(key + " is not a WebSocket setting; the settings are " + PREFIX + KEYS);
            }
        }
        Builder b = builder();
        String v;
        if ((v = value(config, "max-frame-size")) != null) b.maxFrameSize(SettingValues.integer(PREFIX + "max-frame-size", v, 125, Integer.MAX_VALUE));
        if ((v = value(config, "max-message-size")) != null) b.maxMessageSize(SettingValues.integer(PREFIX + "max-message-size", v, 125, Integer.MAX_VALUE));
        if ((v = value(config, "idle-timeout")) != null) b.idleTimeout(SettingValues.duration(PREFIX + "idle-timeout", v));
        if ((v = value(config, "ping-interval")) != null) b.pingInterval(v.equals("off") ? Duration.ZERO : SettingValues.duration(PREFIX + "ping-interval", v));
        if ((v = value(config, "close-timeout")) != null) b.closeTimeout(SettingValues.duration(PREFIX + "close-timeout", v));
        if ((v = value(config, "send-timeout")) != null) b.sendTimeout(SettingValues.duration(PREFIX + "send-timeout", v));
        if ((v = value(config, "handshake-timeout")) != null) b.handshakeTimeout(SettingValues.duration(PREFIX + "handshake-timeout", v));
        if ((v = value(config, "max-request-head")) != null) b.maxRequestHead(SettingValues.integer(PREFIX + "max-request-head", v, 256, 1 << 20));
        if ((v = value(config, "deflate")) != null) b.deflate(SettingValues.bool(PREFIX + "deflate", v));
        if ((v = value(config, "deflate-threshold")) != null) b.deflateThreshold(SettingValues.integer(PREFIX + "deflate-threshold", v, 0, Integer.MAX_VALUE));
        if ((v = value(config, "server-no-context-takeover")) != null) b.serverNoContextTakeover(SettingValues.bool(PREFIX + "server-no-context-takeover", v));
        if ((v = value(config, "client-no-context-takeover")) != null) b.clientNoContextTakeover(SettingValues.bool(PREFIX + "client-no-context-takeover", v));
        if ((v = value(config, "max-inflate-ratio")) != null) b.maxInflateRatio(SettingValues.integer(PREFIX + "max-inflate-ratio", v, 1, Integer.MAX_VALUE));
        return b;
    }

    private static String value(Map<String, String> config, String key) {
        String v = config.get(PREFIX + key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /**
     * {@return the largest frame payload accepted, in bytes, never more than {@link #maxMessageSize()};
     * a larger frame's header fails the session with 1009}
     */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** {@return the largest message accepted, in bytes, after reassembly and inflation; more fails the session with 1009} */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** {@return how long a session may go without a byte from the peer before it is closed with 1001} */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** {@return the silence after which a keep-alive ping is sent, or zero for none} */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** {@return how long a local close waits for the peer's close frame before closing the connection} */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** {@return how long a send may wait for a peer that does not read} */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /** {@return the time the opening handshake's request may take to arrive} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return the largest request head (request line and headers), in bytes; more gets 431} */
    public int maxRequestHead() {
        return maxRequestHead;
    }

    /** {@return whether permessage-deflate is accepted when offered} */
    public boolean deflate() {
        return deflate;
    }

    /** {@return the size under which messages are sent uncompressed} */
    public int deflateThreshold() {
        return deflateThreshold;
    }

    /** {@return the {@link Deflater} level messages are compressed at} */
    public int deflateLevel() {
        return deflateLevel;
    }

    /** {@return whether this side resets its compressor after each message (and says so in the handshake)} */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /** {@return whether the client is asked to reset its compressor after each message} */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** {@return the largest ratio of inflated to compressed size past {@link #INFLATE_RATIO_FLOOR}} */
    public int maxInflateRatio() {
        return maxInflateRatio;
    }

    @Override
    public String toString() {
        return "WebSocketConfig[maxFrameSize=" + maxFrameSize + ", maxMessageSize=" + maxMessageSize + ", idleTimeout="
                + idleTimeout + ", pingInterval=" + pingInterval + ", closeTimeout=" + closeTimeout + ", sendTimeout="
                + sendTimeout + ", handshakeTimeout=" + handshakeTimeout + ", maxRequestHead=" + maxRequestHead
                + ", deflate=" + deflate + ", deflateThreshold=" + deflateThreshold + ", deflateLevel=" + deflateLevel
                + ", serverNoContextTakeover=" + serverNoContextTakeover + ", clientNoContextTakeover="
                + clientNoContextTakeover + ", maxInflateRatio=" + maxInflateRatio + "]";
    }

    /** Builds a {@link WebSocketConfig}; every setter checks its value at once. */
    public static final class Builder {
        private int maxFrameSize = 1 << 20;
        private int maxMessageSize = 1 << 20;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ZERO;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration sendTimeout = Duration.ofSeconds(30);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxRequestHead = 16 * 1024;
        private boolean deflate;
        private int deflateThreshold = 64;
        private int deflateLevel = Deflater.DEFAULT_COMPRESSION;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int maxInflateRatio = 256;

        private Builder() {
        }

        /**
         * Sets {@link WebSocketConfig#maxFrameSize()}.
         * @param bytes the largest frame payload, at least 125 (a control frame's)
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = atLeast("maxFrameSize", bytes, 125);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#maxMessageSize()}.
         * @param bytes the largest message after reassembly and inflation, at least 125
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = atLeast("maxMessageSize", bytes, 125);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#idleTimeout()}.
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#pingInterval()}.
         * @param interval the silence before a keep-alive ping; zero for none
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            Objects.requireNonNull(interval, "pingInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("pingInterval: must be zero (none) or positive, not " + interval);
            }
            this.pingInterval = interval;
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#closeTimeout()}.
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#sendTimeout()}.
         * @param timeout positive
         * @return this builder
         */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = positive("sendTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#handshakeTimeout()}.
         * @param timeout positive
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#maxRequestHead()}.
         * @param bytes at least 256
         * @return this builder
         */
        public Builder maxRequestHead(int bytes) {
            this.maxRequestHead = atLeast("maxRequestHead", bytes, 256);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#deflate()}.
         * @param accept whether to accept permessage-deflate when offered
         * @return this builder
         */
        public Builder deflate(boolean accept) {
            this.deflate = accept;
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#deflateThreshold()}.
         * @param bytes messages shorter than this are sent uncompressed; 0 compresses all
         * @return this builder
         */
        public Builder deflateThreshold(int bytes) {
            this.deflateThreshold = atLeast("deflateThreshold", bytes, 0);
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#deflateLevel()}.
         * @param level a {@link Deflater} level, 1 to 9, or {@link Deflater#DEFAULT_COMPRESSION}
         * @return this builder
         */
        public Builder deflateLevel(int level) {
            if (level != Deflater.DEFAULT_COMPRESSION && (level < 1 || level > 9)) {
                throw new IllegalArgumentException("deflateLevel: must be 1 to 9 or -1 (zlib's default), not " + level);
            }
            this.deflateLevel = level;
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#serverNoContextTakeover()}.
         * @param reset whether this side resets its compressor after each message
         * @return this builder
         */
        public Builder serverNoContextTakeover(boolean reset) {
            this.serverNoContextTakeover = reset;
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#clientNoContextTakeover()}.
         * @param reset whether the client is asked to reset its compressor after each message
         * @return this builder
         */
        public Builder clientNoContextTakeover(boolean reset) {
            this.clientNoContextTakeover = reset;
            return this;
        }

        /**
         * Sets {@link WebSocketConfig#maxInflateRatio()}.
         * @param ratio at least 1
         * @return this builder
         */
        public Builder maxInflateRatio(int ratio) {
            this.maxInflateRatio = atLeast("maxInflateRatio", ratio, 1);
            return this;
        }

        /** {@return the configuration} */
        public WebSocketConfig build() {
            return new WebSocketConfig(this);
        }

        private static int atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + ": must be at least " + min + ", not " + value);
            }
            return value;
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
