package dev.atoll.tck;

import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Half-closing each direction. */
final class ShutdownRules {

    private ShutdownRules() {
    }

    static RuleGroup group() {
        Capability c = Capability.HALF_CLOSE;
        return new RuleGroup("shutdown", List.of(
                Rule.of("SHUTDOWN-1", c, "shutdown(WRITE) gives the peer an end of stream while this side still receives",
                        ShutdownRules::shutdownWrite),
                Rule.of("SHUTDOWN-2", c, "shutdown(READ) makes recv report an end of stream while this side still sends",
                        ShutdownRules::shutdownRead),
                Rule.of("SHUTDOWN-3", c, "shutdown(READ) from another thread wakes a blocked recv with an end of stream",
                        ShutdownRules::shutdownReadWakesReceiver)));
    }

    private static void shutdownWrite(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            byte[] last = tck.randomBytes(10);
            pair.subject().send(last);
            pair.subject().shutdown(ShutdownHow.WRITE);
            byte[] got = tck.within(TckContext.SHORT_LIMIT, "the peer reading to the end after shutdown(WRITE)",
                    () -> pair.peer().readToEnd());
            tck.requireBytes(last, got, "what the peer read before the end of stream");
            byte[] reply = tck.randomBytes(100);
            pair.peer().write(reply);
            tck.requireBytes(reply, Bytes.of(pair.subject().recv(100, TckContext.IO_TIMEOUT)), "receiving after shutdown(WRITE)");
            tck.requireThrows(IOException.class, "send after shutdown(WRITE)", () -> pair.subject().send(new byte[] {1}));
        });
    }

    private static void shutdownRead(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            pair.subject().shutdown(ShutdownHow.READ);
            tck.requireThrows(EndOfStreamException.class, "recv after shutdown(READ)",
                    () -> tck.within(TckContext.SHORT_LIMIT, "recv after shutdown(READ)",
                            () -> pair.subject().recv(0, Duration.ofSeconds(2))));
            byte[] data = tck.randomBytes(100);
            pair.subject().send(data);
            tck.requireBytes(data, pair.peer().readExactly(100), "sending after shutdown(READ)");
        });
    }

    private static void shutdownReadWakesReceiver(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            var blocked = tck.background("recv", () -> pair.subject().recv(0, Transport.INFINITE));
            Thread.sleep(200);
            pair.subject().shutdown(ShutdownHow.READ);
            tck.requireThrows(EndOfStreamException.class, "recv blocked while another thread shut the input down",
                    () -> tck.within(Duration.ofSeconds(5), "a blocked recv after shutdown(READ)", blocked::join));
            byte[] data = tck.randomBytes(100);
            pair.subject().send(data);
            tck.requireBytes(data, pair.peer().readExactly(100), "sending after shutdown(READ) woke the receiver");
        });
    }
}
