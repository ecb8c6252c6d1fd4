package dev.atoll.transport.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/** What the TCK cannot see from outside: back-pressure both ways, writes behind, lazy daemon event loops, selection. */
class IoUringBehaviourTest {

    @BeforeAll
    static void onlyWhereIoUringRuns() {
        var availability = new IoUringTransportProvider().availability();
        Assumptions.assumeTrue(availability.available(), availability.reason());
    }

    @Test
    void nettyPollsOneShotSoThatAResetOrEndDuringAReadIsHeard() {
        assertFalse(io.netty.channel.uring.IoUring.isPollAddMultishotEnabled(),
                "Netty's io_uring uses multishot POLLIN polls, which drop a reset that arrives during a read");
        assertEquals("", NettyIoUring.multishotPollRefusal(false));
        assertTrue(NettyIoUring.multishotPollRefusal(true).contains("-D" + NettyIoUring.MULTISHOT_POLL + "=false"));
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
    void sendsWriteBehindBoundedAndCloseDeliversWhatWasQueued() throws Exception {
        try (IoUringTransport iouring = new IoUringTransport(1);
             Listener listener = Listener.open(iouring, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket peer = new Socket()) {
            peer.setReceiveBufferSize(64 * 1024);
            peer.connect(listener.address());
            Connection sender = listener.accept(Duration.ofSeconds(5));
            byte[] block = new byte[1 << 20];
            new java.util.Random(7).nextBytes(block);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 64; i++) {
                        sender.send(block);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> flood.get(2, TimeUnit.SECONDS),
                    "64 MiB were taken by sends to a peer that reads nothing: the queue of writes is not bounded");
            var reading = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.getInputStream().readAllBytes();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            flood.get(60, TimeUnit.SECONDS);
            sender.close();   // with up to 512 KiB and more still queued: they go out before the end
            byte[] got = reading.get(60, TimeUnit.SECONDS);
            assertEquals(64 << 20, got.length, "every byte sent before close arrives, then the end");
            for (int i = 0; i < 64; i++) {
                assertTrue(java.util.Arrays.equals(block, 0, block.length, got, i << 20, (i + 1) << 20), "block " + i);
            }
        }
    }

    @Test
    void aListenerTakesFromTheKernelsBacklogOnlyWhatAcceptAsksFor() throws Exception {
        int backlog = 8;
        try (IoUringTransport iouring = new IoUringTransport(1);
             Listener listener = Listener.open(iouring, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     SocketOptions.of(AtollOptions.BACKLOG, backlog))) {
            List<Socket> clients = new ArrayList<>();
            try {
                int held = connectUntilRefused(listener.address(), clients, 3 * backlog);
                assertTrue(held > 0 && held <= backlog + 1, held + " clients got into a backlog of " + backlog
                        + " nobody accepted from");
                listener.accept(Duration.ofSeconds(5)).close();
                // One accept submitted takes one connection; a multishot one all the backlog holds.
                int ahead = io.netty.channel.uring.IoUring.isAcceptMultishotEnabled() ? backlog : 1;
                int room = connectUntilRefused(listener.address(), clients, 3 * backlog);
                assertTrue(room <= 1 + ahead, "one accept made room for " + room + " more clients in the kernel's backlog: "
                        + "the listener took " + (room - 1) + " connections ahead of accept, more than " + ahead);
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    /** Connects clients one at a time until one cannot connect within 300 ms; how many could. */
    private static int connectUntilRefused(InetSocketAddress address, List<Socket> clients, int most) throws Exception {
        for (int n = 0; n < most; n++) {
            Socket client = new Socket();
            clients.add(client);
            try {
                client.connect(address, 300);
            } catch (java.io.IOException full) {
                return n;
            }
        }
        return most;
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
