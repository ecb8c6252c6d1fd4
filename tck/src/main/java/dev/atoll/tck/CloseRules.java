package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.Transport;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Closing: idempotence, waking blocked callers, releasing resources. */
final class CloseRules {

    /** How many connections CLOSE-3 opens and closes in each topology. */
    static final int CHURN = 40;

    private CloseRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("close", List.of(
                Rule.of("CLOSE-1", "close is idempotent, the peer sees the end, and every later operation throws ConnectionClosedException",
                        CloseRules::idempotent),
                Rule.of("CLOSE-2", "close from another thread wakes a blocked recv with ConnectionClosedException",
                        CloseRules::wakesRecv),
                Rule.of("CLOSE-3", "opening and closing connections leaves no descriptor or thread behind", CloseRules::releases),
                Rule.of("CLOSE-4", "every byte sent before close reaches the peer, then the end, also when the peer "
                        + "sent bytes this side never read",
                        CloseRules::deliversWhatWasSent),
                Rule.of("CLOSE-6", "after close every operation on the transport itself, past the Connection view, throws "
                        + "ConnectionClosedException at once", CloseRules::closedOnTheTransport)));
    }

    /** What CLOSE-4 sends just before closing: more than the kernel's buffers hold. */
    static final int SENT_BEFORE_CLOSE = 4 << 20;

    /** What the peer sends in CLOSE-4 that this side never receives. */
    static final int UNREAD_BEFORE_CLOSE = 64 << 10;

    private static void deliversWhatWasSent(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            // Bytes this side never reads must not make its close a reset that destroys what it sent.
            pair.peer().write(tck.randomBytes(UNREAD_BEFORE_CLOSE));
            Thread.sleep(50);
            byte[] data = tck.randomBytes(SENT_BEFORE_CLOSE);
            var reader = tck.background("peer reads to the end, starting late", () -> {
                Thread.sleep(300);   // so that bytes are still on their way (or queued) when close is called
                return pair.peer().readToEnd();
            });
            pair.subject().send(data);
            pair.subject().close();
            byte[] got = reader.join();
            tck.require(got.length == data.length, "the peer got " + got.length + " of the " + data.length
                    + " bytes sent before close");
            tck.require(java.util.Arrays.equals(got, data), "the bytes sent before close arrived changed");
        });
    }

    private static void idempotent(TckContext tck) throws Exception {
        Path file = tck.tempFile(new byte[10]);
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            subject.close();
            subject.close();
            byte[] rest = tck.within(TckContext.SHORT_LIMIT, "the peer reading to the end after close", () -> pair.peer().readToEnd());
            tck.require(rest.length == 0, "the peer read " + rest.length + " bytes after close");
            String what = "after close: ";
            tck.requireThrows(ConnectionClosedException.class, what + "recv", () -> subject.recv(0, Duration.ofSeconds(1)));
            tck.requireThrows(ConnectionClosedException.class, what + "send", () -> subject.send(new byte[1]));
            tck.requireThrows(ConnectionClosedException.class, what + "sendfile", () -> subject.sendfile(file, 0, 0));
            tck.requireThrows(ConnectionClosedException.class, what + "getopt",
                    () -> subject.getopt(StandardSocketOptions.SO_RCVBUF));
            tck.requireThrows(ConnectionClosedException.class, what + "shutdown", () -> subject.shutdown(ShutdownHow.BOTH));
            tck.requireThrows(ConnectionClosedException.class, what + "peername", subject::peername);
        });
    }

    /** How long an operation on a closed handle may take to throw. */
    static final Duration AT_ONCE = Duration.ofSeconds(2);

    private static void closedOnTheTransport(TckContext tck) throws Exception {
        Path file = tck.tempFile(new byte[10]);
        tck.againstJdkPeerThroughSpi(pair -> {
            SpiConnection<?> s = pair.subject();
            // Bytes that arrived before the close must not be handed out after it.
            pair.peer().write(tck.randomBytes(100));
            Thread.sleep(50);
            s.close();
            s.close();
            Class<ConnectionClosedException> closed = ConnectionClosedException.class;
            List<String> wrong = new ArrayList<>();
            java.util.stream.Stream.of(
                    tck.failsWithin(closed, "recv(0) without a time limit", AT_ONCE, () -> s.recv(0, Transport.INFINITE)),
                    tck.failsWithin(closed, "recv(10) without a time limit", AT_ONCE, () -> s.recv(10, Transport.INFINITE)),
                    tck.failsWithin(closed, "recv(0) with a zero timeout", AT_ONCE, () -> s.recv(0, Duration.ZERO)),
                    tck.failsWithin(closed, "recv into a buffer", AT_ONCE, () -> s.recv(ByteBuffer.allocate(10), Transport.INFINITE)),
                    tck.failsWithin(closed, "unrecv", AT_ONCE, () -> {
                        s.unrecv(ByteBuffer.wrap(new byte[] {1}));
                        return null;
                    }),
                    tck.failsWithin(closed, "send", AT_ONCE, () -> {
                        s.send(ByteBuffer.wrap(new byte[] {1}));
                        return null;
                    }),
                    tck.failsWithin(closed, "shutdown(WRITE)", AT_ONCE, () -> {
                        s.shutdown(ShutdownHow.WRITE);
                        return null;
                    }),
                    tck.failsWithin(closed, "shutdown(READ)", AT_ONCE, () -> {
                        s.shutdown(ShutdownHow.READ);
                        return null;
                    }),
                    tck.failsWithin(closed, "setopt TCP_NODELAY", AT_ONCE, () -> {
                        s.setopt(StandardSocketOptions.TCP_NODELAY, true);
                        return null;
                    }),
                    tck.failsWithin(closed, "getopt SO_RCVBUF", AT_ONCE, () -> s.getopt(StandardSocketOptions.SO_RCVBUF)),
                    tck.failsWithin(closed, "peername", AT_ONCE, s::peername),
                    tck.failsWithin(closed, "sockname", AT_ONCE, s::sockname))
                    .filter(java.util.Objects::nonNull).forEach(wrong::add);
            if (tck.subject().claims(Capability.SENDFILE)) {
                String problem = tck.failsWithin(closed, "sendfile", AT_ONCE, () -> s.sendfile(file, 0, 0));
                if (problem != null) {
                    wrong.add(problem);
                }
            }
            tck.require(wrong.isEmpty(), "after close, called on the transport itself: " + String.join("; ", wrong));
        });
    }

    private static void wakesRecv(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            var blocked = tck.background("recv", () -> pair.subject().recv(0, Transport.INFINITE));
            Thread.sleep(200);
            pair.subject().close();
            tck.requireThrows(ConnectionClosedException.class, "recv blocked while another thread closed the connection",
                    () -> tck.within(Duration.ofSeconds(5), "a blocked recv after close", blocked::join));
        });
    }

    private static void releases(TckContext tck) throws Exception {
        ResourceSnapshot baseline = ResourceSnapshot.take();
        for (Topology topology : Topology.values()) {
            for (int i = 0; i < CHURN; i++) {
                Pair pair = tck.pair(topology);
                pair.subject().send(new byte[] {7});
                pair.peer().readExactly(1);
                tck.closeAll();
            }
        }
        if (!ResourceSnapshot.canCountDescriptors()) {
            throw new RuleSkipped("cannot count descriptors: no /proc/self/fd on this system");
        }
        String leaked = ResourceSnapshot.leakedSince(baseline, TckRun.SETTLE_MILLIS);
        tck.require(leaked == null, "after " + 3 * CHURN + " connections were opened and closed: " + leaked);
    }
}
