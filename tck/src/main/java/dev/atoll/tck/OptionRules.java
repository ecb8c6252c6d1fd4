package dev.atoll.tck;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.SendTimeoutException;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.UnsupportedFeatureException;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** Socket options: round trips, refusal of unknown ones, options given at connect, options set on a live connection. */
final class OptionRules {

    /** An option no transport advertises. */
    static final SocketOption<Boolean> UNKNOWN = new SocketOption<>() {
        @Override
        public String name() {
            return "ATOLL_TCK_UNKNOWN";
        }

        @Override
        public Class<Boolean> type() {
            return Boolean.class;
        }
    };

    /** Values to try for integer options whose range is known; others get their own value back. */
    private static final Map<String, Integer> INTEGER_VALUES = Map.of(
            "SO_LINGER", 7,
            "IP_TOS", 0x20,
            "TCP_KEEPIDLE", 61,
            "TCP_KEEPINTERVAL", 11,
            "TCP_KEEPCOUNT", 4,
            "ATOLL_RECV_CHUNK_SIZE", 4096);

    /** Options for which the kernel may round a value up. */
    private static final List<String> KERNEL_ROUNDED = List.of("SO_RCVBUF", "SO_SNDBUF");

    private OptionRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("options", List.of(
                Rule.of("OPT-1", "every advertised option round-trips through setopt and getopt", OptionRules::roundTrip),
                Rule.of("OPT-2", "an option the transport does not advertise is refused with UnsupportedFeatureException",
                        OptionRules::unknownRefused),
                Rule.of("OPT-3", "options given to connect are in effect on the new connection", OptionRules::atConnect),
                Rule.of("OPT-4", "an option set on a live connection takes effect there and only there: after SO_LINGER 0 "
                        + "its close is a reset the JDK peer sees, while another connection still closes in order",
                        OptionRules::liveOptionOnItsConnectionOnly),
                Rule.of("OPT-5", Capability.SEND_TIMEOUT, "SEND_TIMEOUT set on a live connection bounds its sends to a JDK "
                        + "peer that does not read, while a send with no limit on another connection stays blocked until a "
                        + "close wakes it", OptionRules::liveSendTimeoutOnItsConnectionOnly),
                Rule.of("OPT-6", "RECV_CHUNK_SIZE set on a live connection bounds what its recv(0) returns from then on, and "
                        + "leaves another connection's as it was", OptionRules::liveRecvChunkOnItsConnectionOnly)));
    }

    /** The other topology with a JDK peer, for a second connection beside one in {@code topology}. */
    private static Topology other(Topology topology) {
        return topology == Topology.SUBJECT_SERVER ? Topology.SUBJECT_CLIENT : Topology.SUBJECT_SERVER;
    }

    /** A byte each way through the subject of every pair, so that each connection is established and in use. */
    private static void exchangeByte(TckContext tck, List<Pair> pairs) throws Exception {
        for (Pair pair : pairs) {
            pair.subject().send(new byte[] {7});
            tck.require(pair.peer().readExactly(1)[0] == 7, "a byte sent before the option was set did not arrive");
        }
    }

    private static void roundTrip(TckContext tck) throws Exception {
        Connection c = tck.pair(Topology.SUBJECT_SERVER).subject();
        tck.require(tck.transport().supportedOptions().contains(AtollOptions.RECV_CHUNK_SIZE),
                "the transport does not advertise " + AtollOptions.RECV_CHUNK_SIZE.name());
        List<String> broken = new ArrayList<>();
        for (SocketOption<?> option : tck.transport().supportedOptions()) {
            String problem = roundTrip(c, option);
            if (problem != null) {
                broken.add(problem);
            }
        }
        tck.require(broken.isEmpty(), "options that do not round-trip: " + broken);
    }

    private static <T> String roundTrip(Connection c, SocketOption<T> option) {
        try {
            T before = c.getopt(option);
            T value = valueToSet(option, before);
            c.setopt(option, value);
            T after = c.getopt(option);
            boolean ok = KERNEL_ROUNDED.contains(option.name())
                    ? ((Integer) after) >= ((Integer) value)
                    : Objects.equals(value, after);
            return ok ? null : option.name() + " set to " + value + " reads back " + after;
        } catch (Exception e) {
            return option.name() + " threw " + TckContext.describe(e);
        }
    }

    private static <T> T valueToSet(SocketOption<T> option, T current) {
        Object value = current;
        if (option.type() == Boolean.class) {
            value = !((Boolean) current);
        } else if (option.type() == Integer.class) {
            if (KERNEL_ROUNDED.contains(option.name())) {
                value = 96 * 1024;
            } else {
                value = INTEGER_VALUES.getOrDefault(option.name(), (Integer) current);
            }
        }
        return option.type().cast(value);
    }

    private static void unknownRefused(TckContext tck) throws Exception {
        Connection c = tck.pair(Topology.SUBJECT_SERVER).subject();
        tck.requireThrows(UnsupportedFeatureException.class, "setopt of an unknown option", () -> c.setopt(UNKNOWN, true));
        tck.requireThrows(UnsupportedFeatureException.class, "getopt of an unknown option", () -> c.getopt(UNKNOWN));
        tck.requireThrows(IllegalArgumentException.class, "setopt of RECV_CHUNK_SIZE 0",
                () -> c.setopt(AtollOptions.RECV_CHUNK_SIZE, 0));
        ServerSocket server = tck.jdkServer();
        tck.requireThrows(UnsupportedFeatureException.class, "connect with an unknown option",
                () -> tck.connect((InetSocketAddress) server.getLocalSocketAddress(), SocketOptions.of(UNKNOWN, true)));
        c.send(new byte[] {1});
    }

    private static void liveOptionOnItsConnectionOnly(TckContext tck) throws Exception {
        if (!tck.transport().supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
            throw new RuleSkipped(tck.transport().name() + " does not advertise SO_LINGER");
        }
        for (Topology abortive : List.of(Topology.SUBJECT_SERVER, Topology.SUBJECT_CLIENT)) {
            Pair aborted = tck.pair(abortive);
            Pair orderly = tck.pair(other(abortive));
            exchangeByte(tck, List.of(aborted, orderly));
            aborted.subject().setopt(StandardSocketOptions.SO_LINGER, 0);
            aborted.subject().close();
            orderly.subject().close();
            String where = " (SO_LINGER 0 set on the " + abortive.description() + " connection)";
            tck.requireThrows(java.io.IOException.class, "the JDK peer reading after a close with SO_LINGER 0 set on the live "
                    + "connection" + where, () -> tck.within(TckContext.SHORT_LIMIT, "the JDK peer reading to the end",
                            () -> aborted.peer().readToEnd()));
            byte[] rest = tck.within(TckContext.SHORT_LIMIT, "the JDK peer of the other connection reading to the end",
                    () -> orderly.peer().readToEnd());
            tck.require(rest.length == 0, "the peer of the other connection read " + rest.length + " bytes after close" + where);
            tck.closeAll();
        }
    }

    private static void liveSendTimeoutOnItsConnectionOnly(TckContext tck) throws Exception {
        byte[] data = tck.randomBytes(SendRules.MORE_THAN_BUFFERS);
        for (Topology limitedTopology : List.of(Topology.SUBJECT_SERVER, Topology.SUBJECT_CLIENT)) {
            String where = " (SEND_TIMEOUT set on the " + limitedTopology.description() + " connection)";
            Pair limited = tck.pair(limitedTopology);
            Pair unlimited = tck.pair(other(limitedTopology));
            exchangeByte(tck, List.of(limited, unlimited));
            Duration unlimitedBefore = unlimited.subject().getopt(AtollOptions.SEND_TIMEOUT);
            limited.subject().setopt(AtollOptions.SEND_TIMEOUT, SendRules.LIMIT);
            Duration unlimitedAfter = unlimited.subject().getopt(AtollOptions.SEND_TIMEOUT);
            tck.require(unlimitedBefore.equals(unlimitedAfter), "SEND_TIMEOUT set on one connection changed another's from "
                    + unlimitedBefore + " to " + unlimitedAfter + where);

            AtomicReference<String> unlimitedEnd = new AtomicReference<>();
            long unlimitedStart = System.nanoTime();
            var unlimitedSend = tck.background("a send with no limit on the other connection", () -> {
                try {
                    unlimited.subject().send(ByteBuffer.wrap(data));
                    unlimitedEnd.set("returned");
                } catch (Exception e) {
                    unlimitedEnd.set("threw " + TckContext.describe(e));
                    throw e;
                }
                return null;
            });
            SendTimeoutException e = SendRules.timedOut(tck, () -> limited.subject().send(ByteBuffer.wrap(data)));
            tck.require(e.bytesTaken() < data.length, "the send that timed out says it took all " + e.bytesTaken() + " bytes"
                    + where);

            long waitedNanos = System.nanoTime() - unlimitedStart;
            long blockedAtLeast = SendRules.LIMIT.plus(SendRules.LATE).toNanos();
            if (waitedNanos < blockedAtLeast) {
                Thread.sleep((blockedAtLeast - waitedNanos) / 1_000_000 + 1);
            }
            String end = unlimitedEnd.get();
            tck.require(end == null, "a send with no limit on another connection, to a peer that does not read, "
                    + end + " within " + (System.nanoTime() - unlimitedStart) / 1_000_000 + " ms" + where);
            unlimited.subject().close();
            tck.requireThrows(ConnectionClosedException.class, "the send with no limit on the other connection, blocked "
                    + "while it was closed" + where,
                    () -> tck.within(Duration.ofSeconds(2), "a blocked send after close", unlimitedSend::join));
            tck.closeAll();
        }
    }

    private static void liveRecvChunkOnItsConnectionOnly(TckContext tck) throws Exception {
        int chunk = 1000;
        for (Topology chunkedTopology : List.of(Topology.SUBJECT_SERVER, Topology.SUBJECT_CLIENT)) {
            String where = " (RECV_CHUNK_SIZE set on the " + chunkedTopology.description() + " connection)";
            Pair chunked = tck.pair(chunkedTopology);
            Pair other = tck.pair(other(chunkedTopology));
            exchangeByte(tck, List.of(chunked, other));
            int otherBefore = other.subject().getopt(AtollOptions.RECV_CHUNK_SIZE);
            chunked.subject().setopt(AtollOptions.RECV_CHUNK_SIZE, chunk);
            int otherAfter = other.subject().getopt(AtollOptions.RECV_CHUNK_SIZE);
            tck.require(otherBefore == otherAfter, "RECV_CHUNK_SIZE set on one connection changed another's from "
                    + otherBefore + " to " + otherAfter + where);
            byte[] data = tck.randomBytes(20 * chunk);
            chunked.peer().write(data);
            other.peer().write(data);
            Thread.sleep(100);   // let every byte arrive, so that a receive could return more than the chunk
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (got.size() < data.length) {
                ByteBuffer received = chunked.subject().recv(0, TckContext.IO_TIMEOUT);
                tck.require(received.remaining() <= chunk, "recv(0) returned " + received.remaining()
                        + " bytes after RECV_CHUNK_SIZE " + chunk + " was set on the live connection" + where);
                got.writeBytes(Bytes.of(received));
            }
            tck.requireBytes(data, got.toByteArray(), "bytes received in chunks of " + chunk + where);
            tck.requireBytes(data, Bytes.of(other.subject().recv(data.length, TckContext.IO_TIMEOUT)),
                    "bytes received on the other connection" + where);
            tck.closeAll();
        }
    }

    private static void atConnect(TckContext tck) throws Exception {
        ServerSocket server = tck.jdkServer();
        SocketOptions options = SocketOptions.of(StandardSocketOptions.TCP_NODELAY, true)
                .with(AtollOptions.RECV_CHUNK_SIZE, 1000);
        Connection c = tck.connect((InetSocketAddress) server.getLocalSocketAddress(), options);
        var peer = tck.track(new JdkSocketPeer(tck.jdkAccept(server), "JDK server"));
        tck.require(Boolean.TRUE.equals(c.getopt(StandardSocketOptions.TCP_NODELAY)), "TCP_NODELAY given to connect is not set");
        tck.require(c.getopt(AtollOptions.RECV_CHUNK_SIZE) == 1000, "RECV_CHUNK_SIZE given to connect is not set");
        byte[] data = tck.randomBytes(5000);
        var writer = tck.background("peer writes 5000 bytes", () -> {
            peer.write(data);
            return null;
        });
        c.handshake(TckContext.IO_TIMEOUT);
        writer.join();
        Thread.sleep(50);
        ByteBuffer got = c.recv(0, TckContext.IO_TIMEOUT);
        tck.require(got.remaining() <= 1000, "recv(0) with RECV_CHUNK_SIZE 1000 returned " + got.remaining() + " bytes");
    }
}
