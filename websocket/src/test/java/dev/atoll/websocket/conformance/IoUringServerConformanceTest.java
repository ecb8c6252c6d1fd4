package dev.atoll.websocket.conformance;

import dev.atoll.websocket.Backend;

/** The conformance suite against Atoll's WebSocket server over iouring. */
class IoUringServerConformanceTest extends AtollServerConformanceTest {
    @Override
    Backend backend() {
        return Backend.plain("iouring");
    }
}
