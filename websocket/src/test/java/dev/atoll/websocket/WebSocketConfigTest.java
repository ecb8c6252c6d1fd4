package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        WebSocketConfig d = WebSocketConfig.defaults();
        assertEquals(1 << 20, d.maxFrameSize());
        assertEquals(1 << 20, d.maxMessageSize());
        assertEquals(Duration.ofSeconds(60), d.idleTimeout());
        assertEquals(Duration.ZERO, d.pingInterval());
        assertEquals(Duration.ofSeconds(5), d.closeTimeout());
        assertEquals(Duration.ofSeconds(30), d.sendTimeout());
        assertEquals(Duration.ofSeconds(10), d.handshakeTimeout());
        assertEquals(16384, d.maxRequestHead());
        assertEquals(false, d.deflate());
        assertEquals(64, d.deflateThreshold());
        assertEquals(256, d.maxInflateRatio());
    }

    @Test
    void aMapSetsEveryKeyAndRefusesUnknownOnesAndBadValues() {
        WebSocketConfig c = WebSocketConfig.from(Map.ofEntries(Map.entry("atoll.websocket.max-frame-size", "4096"),
                Map.entry("atoll.websocket.max-message-size", "65536"), Map.entry("atoll.websocket.idle-timeout", "5s"),
                Map.entry("atoll.websocket.ping-interval", "2s"), Map.entry("atoll.websocket.close-timeout", "1s"),
                Map.entry("atoll.websocket.send-timeout", "3s"), Map.entry("atoll.websocket.handshake-timeout", "500ms"),
                Map.entry("atoll.websocket.max-request-head", "8192"), Map.entry("atoll.websocket.deflate", "true"),
                Map.entry("atoll.websocket.deflate-threshold", "0"), Map.entry("atoll.websocket.server-no-context-takeover", "true"),
                Map.entry("atoll.websocket.client-no-context-takeover", "true"), Map.entry("atoll.websocket.max-inflate-ratio", "50"),
                Map.entry("atoll.transport", "nio"))).build();
        assertEquals(4096, c.maxFrameSize());
        assertEquals(65536, c.maxMessageSize());
        assertEquals(Duration.ofSeconds(5), c.idleTimeout());
        assertEquals(Duration.ofSeconds(2), c.pingInterval());
        assertEquals(Duration.ofSeconds(1), c.closeTimeout());
        assertEquals(Duration.ofSeconds(3), c.sendTimeout());
        assertEquals(Duration.ofMillis(500), c.handshakeTimeout());
        assertEquals(8192, c.maxRequestHead());
        assertTrue(c.deflate() && c.serverNoContextTakeover() && c.clientNoContextTakeover());
        assertEquals(0, c.deflateThreshold());
        assertEquals(50, c.maxInflateRatio());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> WebSocketConfig.from(Map.of("atoll.websocket.max-size", "1")));
        assertTrue(unknown.getMessage().contains("atoll.websocket.max-size"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.from(Map.of("atoll.websocket.max-frame-size", "12")));
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.from(Map.of("atoll.websocket.idle-timeout", "soon")));
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().idleTimeout(Duration.ZERO));
    }

    @Test
    void theFrameLimitNeverExceedsTheMessageLimit() {
        assertEquals(1000, WebSocketConfig.builder().maxMessageSize(1000).build().maxFrameSize());
    }
}
