package dev.atoll.websocket.conformance;

/** The conformance suite as a server, against Atoll's WebSocket client over jsse over nio (wss). */
class JsseClientConformanceTest extends AtollClientConformanceTest {
    @Override
    String plain() {
        return "nio";
    }

    @Override
    String secure() {
        return "jsse";
    }
}
