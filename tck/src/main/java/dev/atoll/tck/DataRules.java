package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.EndOfStreamException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Receiving and sending: echo, exact and available lengths, timeouts, end of stream, reset. */
final class DataRules {

    /** The size of the large transfer of ECHO-2, each way. */
    static final long LARGE_TRANSFER = 64L << 20;

    private DataRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("data", List.of(
                Rule.of("ECHO-1", "random data in random chunks comes back intact", DataRules::echoRandomChunks),
                Rule.of("ECHO-2", "64 MiB each way at the same time arrive intact (one reader and one writer at once)",
                        DataRules::largeDuplexTransfer),
                Rule.of("RECV-1", "recv(n) returns exactly n bytes however the peer splits them", DataRules::recvExact),
                Rule.of("RECV-2", "recv(0) returns at least one byte and never more than was sent", DataRules::recvAvailable),
                Rule.of("RECV-3", "a recv timeout throws SocketTimeoutException, loses nothing, and the connection stays usable",
                        DataRules::recvTimeout),
                Rule.of("RECV-4", "a zero timeout probes without waiting", DataRules::recvProbe),
                Rule.of("RECV-5", "an orderly end of stream throws EndOfStreamException carrying the partial bytes",
                        DataRules::endOfStream),
                Rule.of("RECV-10", "a zero-timeout probe returns at once the bytes the transport already holds: the rest of "
                        + "an arrival a recv(1) took, and bytes handed back with unrecv", DataRules::probeOfHeldBytes),
                Rule.of("RESET-1", "a reset by the peer is an IOException distinct from end of stream, timeout and close",
                        DataRules::reset),
                Rule.of("RESET-2", "a reset right behind data, while a recv waits: the data (or less) and then the reset, "
                        + "never a wait", DataRules::resetBehindData),
                Rule.of("SEND-1", "a gathering send delivers every buffer in order and consumes them", DataRules::gatheringSend),
                Rule.of("ERROR-1", "the message of a receive's timeout, an end of stream, a reset, a send timeout and an "
                        + "operation on a closed connection names the operation and the peer", DataRules::errorsNamePeer)));
    }

    private static void echoRandomChunks(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            byte[] data = tck.randomBytes(256 * 1024 + tck.random().nextInt(1000));
            Random chunks = new Random(tck.random().nextLong());
            var writer = tck.background("peer writes", () -> {
                for (int at = 0; at < data.length; ) {
                    int n = Math.min(data.length - at, 1 + chunks.nextInt(8192));
                    pair.peer().write(Arrays.copyOfRange(data, at, at + n));
                    at += n;
                }
                return null;
            });
            var reader = tck.background("peer reads the echo", () -> pair.peer().readExactly(data.length));
            Connection subject = pair.subject();
            for (int echoed = 0; echoed < data.length; ) {
                int remaining = data.length - echoed;
                int ask = tck.random().nextBoolean() ? 0 : 1 + tck.random().nextInt(Math.min(remaining, 20_000));
                ByteBuffer got = subject.recv(ask, TckContext.IO_TIMEOUT);
                tck.require(ask == 0 ? got.remaining() >= 1 : got.remaining() == ask,
                        "recv(" + ask + ") returned " + got.remaining() + " bytes");
                echoed += got.remaining();
                subject.send(got);
            }
            writer.join();
            tck.requireBytes(data, reader.join(), "echoed data");
        });
    }

    private static void largeDuplexTransfer(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            long seed = tck.random().nextLong();
            var subjectSends = tck.background("transport sends 64 MiB",
                    () -> Transfer.send(block -> pair.subject().send(ByteBuffer.wrap(block)), LARGE_TRANSFER, seed));
            var peerSends = tck.background("peer sends 64 MiB", () -> Transfer.send(pair.peer()::write, LARGE_TRANSFER, ~seed));
            var peerReceives = tck.background("peer receives 64 MiB", () -> Transfer.receive(pair.peer(), LARGE_TRANSFER));
            MessageDigest digest = Transfer.sha256();
            long received = 0;
            while (received < LARGE_TRANSFER) {
                ByteBuffer got = pair.subject().recv(0, TckContext.IO_TIMEOUT);
                received += got.remaining();
                digest.update(got);
            }
            String subjectGot = Transfer.describe(received, digest);
            String peerSent = peerSends.join();
            String subjectSent = subjectSends.join();
            tck.require(subjectGot.equals(peerSent), "the transport received " + subjectGot + ", the peer sent " + peerSent);
            String peerGot = peerReceives.join();
            tck.require(peerGot.equals(subjectSent), "the peer received " + peerGot + ", the transport sent " + subjectSent);
        });
    }

    private static void recvExact(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            byte[] data = tck.randomBytes(10_000);
            var writer = tck.background("peer writes in small pieces", () -> {
                int piece = 1;
                for (int at = 0; at < data.length; at += piece, piece = piece % 97 + 1) {
                    pair.peer().write(Arrays.copyOfRange(data, at, Math.min(data.length, at + piece)));
                    if (piece % 10 == 0) {
                        Thread.sleep(1);
                    }
                }
                return null;
            });
            ByteBuffer got = pair.subject().recv(data.length, TckContext.IO_TIMEOUT);
            writer.join();
            tck.requireBytes(data, Bytes.of(got), "recv(" + data.length + ") of data sent in pieces of 1 to 97 bytes");

            byte[] more = tck.randomBytes(100);
            pair.peer().write(more);
            Thread.sleep(50);
            ByteBuffer first = pair.subject().recv(40, TckContext.IO_TIMEOUT);
            tck.require(first.remaining() == 40, "recv(40) with 100 bytes waiting returned " + first.remaining() + " bytes");
            ByteBuffer rest = pair.subject().recv(60, TckContext.IO_TIMEOUT);
            tck.require(rest.remaining() == 60, "recv(60) of the remaining 60 bytes returned " + rest.remaining() + " bytes");
            tck.requireBytes(more, concat(first, rest), "two exact receives of one 100-byte write");
        });
    }

    private static void recvAvailable(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            byte[] small = tck.randomBytes(5);
            pair.peer().write(small);
            requireAvailable(tck, pair.subject(), small, "5 bytes");
            byte[] larger = tck.randomBytes(3000);
            pair.peer().write(larger);
            requireAvailable(tck, pair.subject(), larger, "3000 bytes");
        });
    }

    private static void requireAvailable(TckContext tck, Connection subject, byte[] sent, String what) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < sent.length) {
            ByteBuffer chunk = subject.recv(0, TckContext.IO_TIMEOUT);
            tck.require(chunk.remaining() >= 1, "recv(0) returned an empty buffer");
            tck.require(got.size() + chunk.remaining() <= sent.length, "recv(0) returned " + (got.size() + chunk.remaining())
                    + " bytes in all after the peer sent " + what);
            got.writeBytes(Bytes.of(chunk));
        }
        tck.requireBytes(sent, got.toByteArray(), "recv(0) of " + what);
    }

    private static void recvTimeout(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            tck.requireTimesOut("recv(0) with a 200 ms timeout from a silent peer", Duration.ofMillis(200),
                    () -> subject.recv(0, Duration.ofMillis(200)));
            tck.requireTimesOut("recv into a buffer with a 200 ms timeout from a silent peer", Duration.ofMillis(200),
                    () -> subject.recv(ByteBuffer.allocate(16), Duration.ofMillis(200)));

            byte[] six = tck.randomBytes(6);
            pair.peer().write(Arrays.copyOfRange(six, 0, 3));
            tck.requireTimesOut("recv(6) with 3 bytes sent and a 300 ms timeout", Duration.ofMillis(300),
                    () -> subject.recv(6, Duration.ofMillis(300)));
            tck.requireTimesOut("recvUntil a delimiter that does not come, with 3 bytes sent and a 300 ms timeout",
                    Duration.ofMillis(300), () -> subject.recvUntil(new byte[] {'\r', '\n'}, 1000, Duration.ofMillis(300)));
            pair.peer().write(Arrays.copyOfRange(six, 3, 6));
            tck.requireBytes(six, Bytes.of(subject.recv(6, TckContext.IO_TIMEOUT)),
                    "recv(6) after timed-out receives took the first 3 bytes");
            subject.send(new byte[] {42});
            tck.requireBytes(new byte[] {42}, pair.peer().readExactly(1), "a send after the timeouts");
        });
    }

    private static void recvProbe(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            long elapsedNanos = tck.within(Duration.ofSeconds(5), "recv(0) with a zero timeout from a silent peer", () -> {
                long start = System.nanoTime();
                tck.requireThrows(SocketTimeoutException.class, "recv(0) with a zero timeout from a silent peer",
                        () -> subject.recv(0, Duration.ZERO));
                return System.nanoTime() - start;
            });
            tck.require(elapsedNanos < 500_000_000L,
                    "a zero-timeout recv waited " + elapsedNanos / 1_000_000 + " ms; it must not wait");
            byte[] data = tck.randomBytes(4);
            pair.peer().write(data);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (got.size() < data.length && System.nanoTime() < deadline) {
                try {
                    got.writeBytes(Bytes.of(subject.recv(0, Duration.ZERO)));
                } catch (SocketTimeoutException notYet) {
                    Thread.sleep(10);
                }
            }
            tck.requireBytes(data, got.toByteArray(), "zero-timeout probes of 4 bytes that arrived");
        });
    }

    private static void probeOfHeldBytes(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            byte[] data = tck.randomBytes(100);
            pair.peer().write(data);
            Thread.sleep(50);   // all of it has arrived
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.writeBytes(Bytes.of(subject.recv(1, TckContext.IO_TIMEOUT)));
            ByteBuffer probed = tck.within(Duration.ofSeconds(5), "a zero-timeout recv(0) after recv(1) of 100 bytes that arrived",
                    () -> subject.recv(0, Duration.ZERO));
            got.writeBytes(Bytes.of(probed));
            if (got.size() < data.length) {
                got.writeBytes(Bytes.of(subject.recv(data.length - got.size(), TckContext.IO_TIMEOUT)));
            }
            tck.requireBytes(data, got.toByteArray(), "recv(1), a zero-timeout probe and the rest");

            byte[] back = Arrays.copyOf(data, 3);
            subject.unrecv(ByteBuffer.wrap(back));
            tck.requireBytes(back, Bytes.of(tck.within(Duration.ofSeconds(5), "a zero-timeout recv(0) after unrecv",
                    () -> subject.recv(0, Duration.ZERO))), "a zero-timeout recv(0) after unrecv of 3 bytes");
            subject.unrecv(ByteBuffer.wrap(back));
            ByteBuffer into = ByteBuffer.allocate(10);
            int n = tck.within(Duration.ofSeconds(5), "a zero-timeout recv into a buffer after unrecv",
                    () -> subject.recv(into, Duration.ZERO));
            tck.requireBytes(back, Arrays.copyOf(into.array(), n), "a zero-timeout recv into a buffer after unrecv of 3 bytes");
        });
    }

    private static void endOfStream(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            byte[] three = tck.randomBytes(3);
            pair.peer().write(three);
            pair.peer().shutdownOutput();
            EndOfStreamException end = tck.requireThrows(EndOfStreamException.class,
                    "recv(10) when the peer sent 3 bytes and shut down writing",
                    () -> tck.within(TckContext.SHORT_LIMIT, "recv(10) at the end of stream",
                            () -> subject.recv(10, TckContext.IO_TIMEOUT)));
            tck.requireBytes(three, Bytes.of(end.partial()), "the partial bytes of the EndOfStreamException");
            tck.requireThrows(EndOfStreamException.class, "recv(0) after the end of stream",
                    () -> tck.within(TckContext.SHORT_LIMIT, "recv(0) after the end of stream",
                            () -> subject.recv(0, TckContext.IO_TIMEOUT)));
        });
    }

    private static void reset(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            pair.peer().reset();
            Throwable thrown = tck.requireThrows(IOException.class, "recv after the peer reset the connection",
                    () -> tck.within(TckContext.SHORT_LIMIT, "recv after a reset",
                            () -> pair.subject().recv(0, TckContext.IO_TIMEOUT)));
            tck.require(!(thrown instanceof EndOfStreamException) && !(thrown instanceof SocketTimeoutException)
                    && !(thrown instanceof ConnectionClosedException),
                    "a reset was reported as " + TckContext.describe(thrown));
        });
    }

    /** How many fresh pairs RESET-2 tries in each topology: the race it looks for is narrow. */
    private static final int RESET_BEHIND_DATA_ROUNDS = 5;

    /**
     * What RESET-2's peer sends before it resets: more than one read takes, so that the reset
     * arrives while the receiving side is still reading.
     */
    private static final int RESET_BEHIND_DATA_SIZE = 256 * 1024;

    private static void resetBehindData(TckContext tck) throws Exception {
        for (int round = 0; round < RESET_BEHIND_DATA_ROUNDS; round++) {
            tck.inEveryTopology(pair -> {
                byte[] data = tck.randomBytes(RESET_BEHIND_DATA_SIZE + tck.random().nextInt(1000));
                tck.background("peer writes and at once resets", () -> {
                    Thread.sleep(50);   // so that the recv below is waiting when the bytes and the reset arrive
                    pair.peer().write(data);
                    pair.peer().reset();
                    return null;
                });
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                Throwable thrown = tck.requireThrows(IOException.class, "recv while the peer sends and resets",
                        () -> tck.within(TckContext.SHORT_LIMIT, "recv of data followed by a reset", () -> {
                            while (true) {
                                got.writeBytes(Bytes.of(pair.subject().recv(0, TckContext.IO_TIMEOUT)));
                            }
                        }));
                tck.require(!(thrown instanceof EndOfStreamException) && !(thrown instanceof SocketTimeoutException)
                                && !(thrown instanceof ConnectionClosedException),
                        "a reset behind data was reported as " + TckContext.describe(thrown));
                byte[] received = got.toByteArray();
                tck.requireBytes(Arrays.copyOf(data, received.length), received,
                        "the bytes received before the reset (a prefix of those sent)");
            });
        }
    }

    private static void gatheringSend(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            byte[] a = tck.randomBytes(1000);
            byte[] c = tck.randomBytes(5000);
            byte[] d = tck.randomBytes(300);
            ByteBuffer direct = ByteBuffer.allocateDirect(c.length).put(c).flip();
            ByteBuffer sliced = ByteBuffer.wrap(new byte[d.length + 20], 10, d.length).slice().put(d).flip();
            ByteBuffer[] buffers = {ByteBuffer.wrap(a), ByteBuffer.allocate(0), direct, sliced};
            pair.subject().send(buffers);
            for (ByteBuffer b : buffers) {
                tck.require(!b.hasRemaining(), "send left " + b.remaining() + " bytes unconsumed in a buffer");
            }
            tck.requireBytes(concat(a, c, d), pair.peer().readExactly(a.length + c.length + d.length), "a gathering send");

            byte[][] large = {tck.randomBytes(3 << 20), tck.randomBytes(1), tck.randomBytes(2 << 20)};
            var reader = tck.background("peer reads 5 MiB", () -> pair.peer().readExactly(large[0].length + 1 + large[2].length));
            pair.subject().send(ByteBuffer.wrap(large[0]), ByteBuffer.wrap(large[1]), ByteBuffer.wrap(large[2]));
            tck.requireBytes(concat(large), reader.join(), "a 5 MiB gathering send");
        });
    }

    private static void errorsNamePeer(TckContext tck) throws Exception {
        tck.againstJdkPeerThroughSpi(pair -> {
            SpiConnection<?> s = pair.subject();
            int port = pair.peer().local().getPort();
            List<String> anonymous = new ArrayList<>();
            requireNames(anonymous, "recv", port, "a recv timeout", tck.requireThrows(SocketTimeoutException.class,
                    "recv(0) with a 100 ms timeout", () -> s.recv(0, Duration.ofMillis(100))));
            requireNames(anonymous, "recv", port, "a zero-timeout recv", tck.requireThrows(SocketTimeoutException.class,
                    "recv(0) with a zero timeout", () -> s.recv(0, Duration.ZERO)));
            if (tck.subject().claims(Capability.SEND_TIMEOUT)) {
                requireNames(anonymous, "send", port, "a send timeout", tck.requireThrows(SocketTimeoutException.class,
                        "a 64 MiB send with a 300 ms limit to a peer that does not read", () -> tck.within(TckContext.SHORT_LIMIT,
                                "a timed send", () -> {
                                    s.view().send(Duration.ofMillis(300), ByteBuffer.allocate(SendRules.MORE_THAN_BUFFERS));
                                    return null;
                                })));
            }
            pair.peer().shutdownOutput();
            requireNames(anonymous, "recv", port, "an end of stream", tck.requireThrows(EndOfStreamException.class,
                    "recv(0) after the peer shut down writing", () -> tck.within(TckContext.SHORT_LIMIT, "recv at the end",
                            () -> s.recv(0, TckContext.IO_TIMEOUT))));
            s.close();
            requireNames(anonymous, "recv", port, "a recv on the closed connection",
                    tck.requireThrows(ConnectionClosedException.class, "recv(0) after close", () -> tck.within(
                            TckContext.SHORT_LIMIT, "recv after close", () -> s.recv(0, TckContext.IO_TIMEOUT))));
            requireNames(anonymous, "send", port, "a send on the closed connection",
                    tck.requireThrows(ConnectionClosedException.class, "send after close", () -> s.send(ByteBuffer.allocate(1))));

            TckContext.SpiPair reset = tck.spiPair(pair.topology());
            int resetPort = reset.peer().local().getPort();
            reset.peer().reset();
            requireNames(anonymous, "recv", resetPort, "a reset", tck.requireThrows(java.io.IOException.class,
                    "recv(0) after the peer reset the connection", () -> tck.within(TckContext.SHORT_LIMIT, "recv after a reset",
                            () -> reset.subject().recv(0, TckContext.IO_TIMEOUT))));
            tck.require(anonymous.isEmpty(), "messages that do not name the operation and the peer: "
                    + String.join("; ", anonymous));
        });
    }

    private static void requireNames(List<String> anonymous, String operation, int peerPort, String what, Throwable e) {
        String message = e.getMessage();
        if (message == null || !message.contains(operation) || !message.contains(String.valueOf(peerPort))) {
            anonymous.add(what + " (" + operation + ", port " + peerPort + "): " + TckContext.describe(e));
        }
    }

    static byte[] concat(ByteBuffer... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer p : parts) {
            all.writeBytes(Bytes.of(p));
        }
        return all.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }
}
