package dev.atoll.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.TckTls;
import dev.atoll.transport.bctls.BctlsTransport;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Atoll's own test runs are quiet: with the logging configuration the build hands the tests,
 * Bouncy Castle's provider publishes nothing below WARNING for a good and a refused handshake
 * (it logs every connection at INFO and a stack trace per failed handshake otherwise).
 */
class BouncyCastleQuietLogTest {

    @Test
    void aGoodAndARefusedHandshakePublishNothingBelowWarning() throws Exception {
        List<LogRecord> published = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLoggerName() != null && record.getLoggerName().startsWith("org.bouncycastle")
                        && record.getLevel().intValue() < Level.WARNING.intValue()) {
                    published.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Duration t = Duration.ofSeconds(10);
        try (Transport<?, ?> nio = Transports.named("nio");
             Transport<?, ?> bctls = new BctlsTransport(TckTls.serverConfig(), nio);
             Listener listener = Listener.open(bctls, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            try (Socket raw = new Socket(listener.address().getAddress(), listener.address().getPort());
                 SSLSocket client = TckTls.layer(raw, true, null)) {
                var handshake = Thread.ofVirtual().start(() -> {
                    try {
                        client.startHandshake();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (Connection server = listener.accept(t).handshake(t)) {
                    handshake.join(t);
                }
            }
            try (Socket garbage = new Socket(listener.address().getAddress(), listener.address().getPort())) {
                garbage.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                Connection refused = listener.accept(t);
                assertThrows(IOException.class, () -> refused.handshake(t));
            }
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(published.isEmpty(), "Bouncy Castle published " + published.size() + " records below WARNING, first: "
                + (published.isEmpty() ? "" : published.get(0).getLevel() + " " + published.get(0).getMessage()));
    }
}
