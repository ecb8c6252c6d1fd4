package dev.atoll.websocket;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A transport a WebSocket server or client runs over in the peer tests: plain ({@code ws:}) or
 * TLS ({@code wss:}), a server's on the TCK's test certificate for localhost, a client's
 * trusting the TCK's test CA.
 *
 * @param name      for test names
 * @param transport makes the transport
 * @param tls       whether clients speak TLS
 */
public record Backend(String name, Supplier<Transport<?, ?>> transport, boolean tls) {

    /** {@return nio and iouring, and jsse and bctls over nio} */
    public static List<Backend> all() {
        return List.of(plain("nio"), plain("iouring"), secure("jsse", "nio"), secure("bctls", "nio"));
    }

    /** {@return nio and iouring, and jsse and bctls over nio as clients, trusting the TCK's test CA} */
    public static List<Backend> clients() {
        return List.of(plain("nio"), plain("iouring"), secureClient("jsse", "nio"), secureClient("bctls", "nio"));
    }

    public static Backend plain(String name) {
        return new Backend(name, () -> Transports.named(name), false);
    }

    public static Backend secure(String name, String over) {
        return new Backend(name + " over " + over,
                () -> Transports.secure(name, TckTls.serverConfig(), Map.of(Transports.PROPERTY, over)), true);
    }

    /** {@return a client's TLS transport: trusting the TCK's test CA, verifying the server's name, ALPN http/1.1} */
    public static Backend secureClient(String name, String over) {
        return new Backend(name + " over " + over,
                () -> Transports.secure(name, ClientTest.TRUST_TEST_CA, Map.of(Transports.PROPERTY, over)), true);
    }

    /** Makes the transport, or skips the test saying why it cannot run here. */
    public Transport<?, ?> open() {
        try {
            return transport.get();
        } catch (IllegalStateException unavailable) {
            Assumptions.abort(name + " cannot run here: " + unavailable.getMessage());
            throw unavailable;
        }
    }

    /** {@return {@code wss} over TLS, {@code ws} otherwise} */
    public String scheme() {
        return tls ? "wss" : "ws";
    }

    @Override
    public String toString() {
        return name;
    }
}
