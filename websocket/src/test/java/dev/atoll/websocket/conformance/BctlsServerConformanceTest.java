package dev.atoll.websocket.conformance;

import dev.atoll.websocket.Backend;

/** The conformance suite against Atoll's WebSocket server over bctls over nio (wss). */
class BctlsServerConformanceTest extends AtollServerConformanceTest {
    @Override
    Backend backend() {
        return Backend.secure("bctls", "nio");
    }
}
