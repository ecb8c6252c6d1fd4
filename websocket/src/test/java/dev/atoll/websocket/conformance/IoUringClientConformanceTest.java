package dev.atoll.websocket.conformance;

/** The conformance suite as a server, against Atoll's WebSocket client over iouring. */
class IoUringClientConformanceTest extends AtollClientConformanceTest {
    @Override
    String plain() {
        return "iouring";
    }
}
