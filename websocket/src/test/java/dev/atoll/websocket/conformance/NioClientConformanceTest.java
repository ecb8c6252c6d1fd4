package dev.atoll.websocket.conformance;

/** The conformance suite as a server, against Atoll's WebSocket client over nio. */
class NioClientConformanceTest extends AtollClientConformanceTest {
    @Override
    String plain() {
        return "nio";
    }
}
