package dev.atoll.websocket;

import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Atoll's client against raw Netty's WebSocket server codec ({@link NettyReportingServer}) over
 * every client transport, {@code ws} and {@code wss} (Netty's {@code SslHandler} on a JDK context
 * with the TCK's test certificate), with {@code WebSocketServerCompressionHandler} (permessage-deflate)
 * and without: small and large text and binary echoes, a ping, and the client's close, whose code
 * and reason the server reports.
 */
@Timeout(60)
class ClientNettyPeerTest {

    static List<PeerExchange.ClientCase> cases() {
        return PeerExchange.ClientCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void echoesPingsAndCloses(PeerExchange.ClientCase c) throws Exception {
        try (NettyReportingServer server = new NettyReportingServer(c.deflate(),
                c.client().tls() ? TckTls.jdkContext(TestPki.get().server()) : null)) {
            List<String> extensions = c.exchange("Netty's server", server.port());
            PeerExchange.assertServerSaw("Netty's server", server.awaitClose(Duration.ofSeconds(10)), c.deflate(), extensions);
        }
    }
}
