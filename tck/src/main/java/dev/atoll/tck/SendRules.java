package dev.atoll.tck;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.SendTimeoutException;
import dev.atoll.transport.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Sends to a peer that does not read: the send timeout, as an option and per call, what the
 * peer receives after one, closing on one, and a close that wakes a blocked send.
 */
final class SendRules {

    /** More than the kernel's buffers on both ends hold, so that a send to a peer that does not read blocks. */
    static final int MORE_THAN_BUFFERS = 64 << 20;

    /** The time limit the rules give a send. */
    static final Duration LIMIT = Duration.ofMillis(300);

    /**
     * How much later than its limit a timed-out send may return: generous for a loaded two-core
     * machine, and still far from "waits for ever".
     */
    static final Duration LATE = Duration.ofSeconds(3);

    private SendRules() {
    }

    static RuleGroup group() {
        Capability c = Capability.SEND_TIMEOUT;
        return new RuleGroup("send timeout", List.of(
                Rule.of("SEND-2", c, "with the SEND_TIMEOUT option a send to a peer that does not read fails in time",
                        SendRules::optionTimeout),
                Rule.of("SEND-3", c, "a send's own time limit fails it with SendTimeoutException telling the bytes taken; "
                        + "the peer receives exactly those, then what is sent next", SendRules::perCallTimeout),
                Rule.of("SEND-4", c, "with SEND_TIMEOUT_CLOSE a timed-out send closes the connection",
                        SendRules::timeoutCloses),
                Rule.of("SEND-5", "a transport claiming send timeouts advertises their options; one that does not refuses "
                        + "a finite limit with UnsupportedFeatureException", SendRules::claimMatches),
                Rule.of("CLOSE-5", "close from another thread wakes a send blocked on a peer that does not read",
                        SendRules::closeWakesSend)));
    }

    private static void optionTimeout(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            subject.setopt(AtollOptions.SEND_TIMEOUT, LIMIT);
            tck.require(LIMIT.equals(subject.getopt(AtollOptions.SEND_TIMEOUT)), "SEND_TIMEOUT did not read back as set");
            ByteBuffer data = ByteBuffer.wrap(tck.randomBytes(MORE_THAN_BUFFERS));
            SendTimeoutException e = timedOut(tck, () -> subject.send(data));
            tck.require(e.bytesTaken() == data.position(), "the exception says " + e.bytesTaken()
                    + " bytes were taken, the buffer's position says " + data.position());
        });
    }

    private static void perCallTimeout(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            byte[] bytes = tck.randomBytes(MORE_THAN_BUFFERS);
            ByteBuffer first = ByteBuffer.wrap(bytes, 0, MORE_THAN_BUFFERS / 2).slice();
            ByteBuffer second = ByteBuffer.wrap(bytes, MORE_THAN_BUFFERS / 2, MORE_THAN_BUFFERS / 2).slice();
            SendTimeoutException e = timedOut(tck, () -> subject.send(LIMIT, first, second));
            long taken = e.bytesTaken();
            tck.require(!e.connectionClosed(), "a send timeout without SEND_TIMEOUT_CLOSE says the connection was closed");
            tck.require(taken == first.position() + second.position(), "the exception says " + taken
                    + " bytes were taken, the buffers' positions say " + (first.position() + second.position()));
            tck.require(taken < bytes.length, "a send to a peer that does not read took all " + taken + " bytes");
            // The connection stays usable: the peer gets exactly the bytes taken, then the next send's.
            byte[] next = "after the timeout".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            var reader = tck.background("peer reads what was taken and what follows",
                    () -> pair.peer().readExactly((int) taken + next.length));
            subject.send(next);
            byte[] got = reader.join();
            tck.require(Arrays.equals(got, 0, (int) taken, bytes, 0, (int) taken),
                    "the peer did not receive exactly the " + taken + " bytes the timed-out send took");
            tck.require(Arrays.equals(got, (int) taken, got.length, next, 0, next.length),
                    "after the bytes a timed-out send took, the peer did not receive the next send's bytes");
        });
    }

    private static void timeoutCloses(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            subject.setopt(AtollOptions.SEND_TIMEOUT_CLOSE, true);
            ByteBuffer data = ByteBuffer.wrap(tck.randomBytes(MORE_THAN_BUFFERS));
            SendTimeoutException e = timedOut(tck, () -> subject.send(LIMIT, data));
            tck.require(e.connectionClosed(), "the send timeout with SEND_TIMEOUT_CLOSE does not say the connection was closed");
            tck.requireThrows(ConnectionClosedException.class, "a send after a timeout with SEND_TIMEOUT_CLOSE",
                    () -> subject.send(new byte[1]));
            tck.within(TckContext.SHORT_LIMIT, "the peer reading to the end after the timeout closed the connection", () -> {
                try {
                    pair.peer().readToEnd();
                } catch (java.io.IOException reset) {
                    // a close with bytes still queued may end in a reset; what counts is that it ends
                }
                return null;
            });
            tck.require(e.getMessage() != null && !e.getMessage().isEmpty(), "the send timeout has no message");
        });
    }

    private static void claimMatches(TckContext tck) throws Exception {
        boolean claimed = tck.subject().claims(Capability.SEND_TIMEOUT);
        var options = tck.transport().supportedOptions();
        if (claimed) {
            tck.require(options.contains(AtollOptions.SEND_TIMEOUT) && options.contains(AtollOptions.SEND_TIMEOUT_CLOSE),
                    "claims send timeouts but does not advertise ATOLL_SEND_TIMEOUT and ATOLL_SEND_TIMEOUT_CLOSE");
            return;
        }
        tck.inEveryTopology(pair -> {
            tck.requireThrows(dev.atoll.transport.UnsupportedFeatureException.class,
                    "a send with a 5 s limit on a transport that does not claim send timeouts",
                    () -> pair.subject().send(Duration.ofSeconds(5), ByteBuffer.wrap(new byte[1])));
            pair.subject().send(ByteBuffer.wrap(new byte[] {42}));
            tck.require(pair.peer().readExactly(1)[0] == 42, "a send without a limit after the refused one did not arrive");
        });
    }

    private static void closeWakesSend(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            byte[] data = tck.randomBytes(MORE_THAN_BUFFERS);
            var blocked = tck.background("send to a peer that does not read", () -> {
                subject.send(Transport.INFINITE, ByteBuffer.wrap(data));
                return null;
            });
            Thread.sleep(300);
            long start = System.nanoTime();
            subject.close();
            tck.requireThrows(ConnectionClosedException.class, "a send blocked while another thread closed the connection",
                    () -> tck.within(Duration.ofSeconds(2), "a blocked send after close", blocked::join));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            tck.require(tookMillis < 2000, "a blocked send woke " + tookMillis + " ms after close");
        });
    }

    /** Runs a send that must time out after {@link #LIMIT}, not before and not much later. */
    static SendTimeoutException timedOut(TckContext tck, TckContext.Action send) throws Exception {
        long start = System.nanoTime();
        SendTimeoutException e = tck.requireThrows(SendTimeoutException.class,
                "a send with a " + LIMIT.toMillis() + " ms limit to a peer that does not read",
                () -> tck.within(LIMIT.plus(LATE).plus(Duration.ofSeconds(5)), "a timed send", () -> {
                    send.run();
                    return null;
                }));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        tck.require(tookMillis >= LIMIT.toMillis() - 5, "the send timed out after " + tookMillis + " ms, before its "
                + LIMIT.toMillis() + " ms limit");
        tck.require(tookMillis <= LIMIT.plus(LATE).toMillis(), "the send timed out after " + tookMillis + " ms, far past its "
                + LIMIT.toMillis() + " ms limit");
        return e;
    }
}
