package dev.atoll.server;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;

/**
 * A transport the server suite runs over, and the independent client that talks to it: a JDK
 * {@link Socket}, or a JDK {@link SSLSocket} trusting the TCK's test CA.
 *
 * @param name      for test names
 * @param transport makes the transport
 * @param tls       whether clients speak TLS
 */
record Backend(String name, Supplier<Transport<?, ?>> transport, boolean tls) {

    static Backend plain(String name) {
        return new Backend(name, () -> Transports.named(name), false);
    }

    static Backend secure(String name, String over) {
        return new Backend(name + " over " + over,
                () -> Transports.secure(name, TckTls.serverConfig(), Map.of(Transports.PROPERTY, over)), true);
    }

    /** Makes the transport, or skips the test saying why it cannot run here. */
    Transport<?, ?> open() {
        try {
            return transport.get();
        } catch (IllegalStateException unavailable) {
            Assumptions.abort(name + " cannot run here: " + unavailable.getMessage());
            throw unavailable;
        }
    }

    /** Connects a client, handshaken when the backend is TLS. */
    Socket connect(InetSocketAddress server) throws IOException {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
        raw.setSoTimeout(10_000);
        if (!tls) {
            return raw;
        }
        SSLSocket socket = (SSLSocket) TckTls.jdkContext(null).getSocketFactory().createSocket(raw, "localhost",
                server.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(java.util.List.of(new SNIHostName("localhost")));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    @Override
    public String toString() {
        return name;
    }
}
