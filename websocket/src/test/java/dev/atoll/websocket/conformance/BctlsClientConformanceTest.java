package dev.atoll.websocket.conformance;

/** The conformance suite as a server, against Atoll's WebSocket client over bctls over nio (wss). */
class BctlsClientConformanceTest extends AtollClientConformanceTest {
    @Override
    String plain() {
        return "nio";
    }

    @Override
    String secure() {
        return "bctls";
    }
}
