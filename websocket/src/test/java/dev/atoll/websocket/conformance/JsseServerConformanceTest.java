package dev.atoll.websocket.conformance;

import dev.atoll.websocket.Backend;

/** The conformance suite against Atoll's WebSocket server over jsse over nio (wss). */
class JsseServerConformanceTest extends AtollServerConformanceTest {
    @Override
    Backend backend() {
        return Backend.secure("jsse", "nio");
    }
}
