package dev.atoll.websocket.conformance;

import dev.atoll.websocket.Backend;

/** The conformance suite against Atoll's WebSocket server over nio. */
class NioServerConformanceTest extends AtollServerConformanceTest {
    @Override
    Backend backend() {
        return Backend.plain("nio");
    }
}
