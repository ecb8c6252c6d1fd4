package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.SocketStats;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Traffic counters. */
final class StatsRules {

    private StatsRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("stats", List.of(
                Rule.of("STATS-1", "getstat counts sent and received bytes and calls exactly", StatsRules::exactCounts),
                Rule.of("STATS-2", "a receive that times out changes no counter, and the receive that then completes is "
                        + "counted exactly", StatsRules::timeoutsUncounted)));
    }

    private static void exactCounts(TckContext tck) throws Exception {
        Path file = tck.tempFile(tck.randomBytes(1000));
        tck.inEveryTopology(pair -> {
            Connection c = pair.subject();
            tck.require(c.getstat().equals(SocketStats.ZERO), "a new connection's stats are " + c.getstat());
            c.send(tck.randomBytes(100));
            c.send(ByteBuffer.wrap(tck.randomBytes(1500)), ByteBuffer.wrap(tck.randomBytes(500)));
            c.send(tck.randomBytes(1));
            long sendCalls = 3;
            long sendOctets = 2101;
            long sendMax = 2000;
            if (tck.subject().claims(Capability.SENDFILE)) {
                c.sendfile(file, 0, 0);
                sendCalls++;
                sendOctets += 1000;
            }
            pair.peer().readExactly((int) sendOctets);
            pair.peer().write(tck.randomBytes(5000));
            c.recv(5000, TckContext.IO_TIMEOUT);
            pair.peer().write(tck.randomBytes(10));
            long recvCalls = 1;
            long recvOctets = 5000;
            long recvMax = 5000;
            while (recvOctets < 5010) {
                long n = c.recv(0, TckContext.IO_TIMEOUT).remaining();
                recvOctets += n;
                recvCalls++;
            }
            SocketStats expected = new SocketStats(recvOctets, recvCalls, recvMax, sendOctets, sendCalls, sendMax);
            tck.require(c.getstat().equals(expected), "stats are " + c.getstat() + ", expected " + expected);
        });
    }

    private static void timeoutsUncounted(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection c = pair.subject();
            Duration shortly = Duration.ofMillis(100);
            tck.requireThrows(SocketTimeoutException.class, "recv(0) from a silent peer", () -> c.recv(0, shortly));
            tck.requireThrows(SocketTimeoutException.class, "a zero-timeout recv(0) from a silent peer",
                    () -> c.recv(0, Duration.ZERO));
            tck.require(c.getstat().equals(SocketStats.ZERO), "after receives that timed out the stats are " + c.getstat());
            byte[] six = tck.randomBytes(6);
            pair.peer().write(Arrays.copyOfRange(six, 0, 3));
            tck.requireThrows(SocketTimeoutException.class, "recv(6) with 3 bytes sent", () -> c.recv(6, shortly));
            tck.require(c.getstat().equals(SocketStats.ZERO), "after recv(6) timed out with 3 bytes sent the stats are "
                    + c.getstat());
            pair.peer().write(Arrays.copyOfRange(six, 3, 6));
            tck.requireBytes(six, Bytes.of(c.recv(6, TckContext.IO_TIMEOUT)), "recv(6) after the timeouts");
            SocketStats expected = new SocketStats(6, 1, 6, 0, 0, 0);
            tck.require(c.getstat().equals(expected), "after the timeouts and one recv(6) the stats are " + c.getstat()
                    + ", expected " + expected);
        });
    }
}
