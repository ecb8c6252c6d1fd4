package dev.atoll.transport.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/** What the TCK cannot see from outside: back-pressure, lazy daemon event loops, selection. */
class IoUringBehaviourTest {

    @BeforeAll
    static void onlyWhereIoUringRuns() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
    }

    @Test
    void aConnectionThatIsNotReadFromPushesBackOnTheSender() throws Exception {
        try (IoUringTransport iouring = new IoUringTransport(1);
             Listener listener = Listener.open(iouring, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket peer = new Socket()) {
            peer.connect(listener.address());
            Connection idle = listener.accept(Duration.ofSeconds(5));
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = peer.getOutputStream();
                    byte[] block = new byte[1 << 20];
                    for (int i = 0; i < 256; i++) {
                        out.write(block);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> flood.get(2, TimeUnit.SECONDS),
                    "256 MiB went into a connection nobody reads: the transport buffered without bound");
            assertTrue(idle.recv(1 << 20, Duration.ofSeconds(10)).remaining() > 0, "the bytes are there when asked for");
            idle.close();
        }
    }

    @Test
    void eventLoopThreadsStartOnFirstUseAreDaemonsAndStopOnClose() throws Exception {
        IoUringTransport iouring = new IoUringTransport(2);
        String prefix = iouring.threadNamePrefix() + "-";
        assertFalse(loopThreadsRunning(prefix), "threads before first use");
        try (Listener listener = Listener.open(iouring, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Connection c = Connection.connect(iouring, listener.address())) {
            assertTrue(loopThreadsRunning(prefix));
            Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix))
                    .forEach(t -> assertTrue(t.isDaemon(), t.getName() + " is not a daemon"));
        }
        iouring.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loopThreadsRunning(prefix) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(loopThreadsRunning(prefix), "event-loop threads after close");
    }

    private static boolean loopThreadsRunning(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
    }

    @Test
    void aPreferenceListTakesIoUringHereAndTheSettingSizesTheLoops() {
        Transport<?, ?> chosen = Transports.select("iouring,nio");
        assertInstanceOf(IoUringTransport.class, chosen);
        ((IoUringTransport) chosen).close();
        var e = assertThrows(IllegalArgumentException.class,
                () -> Transports.configured(Map.of("atoll.transport", "iouring", "atoll.iouring.threads", "many")));
        assertTrue(e.getMessage().contains("atoll.iouring.threads"), e.getMessage());
        assertEquals("", IoUringTransportProvider.reason());
    }
}
