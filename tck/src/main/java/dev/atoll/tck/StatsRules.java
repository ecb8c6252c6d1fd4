package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.SocketStats;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** Traffic counters. */
final class StatsRules {

    private StatsRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("stats", List.of(
                Rule.of("STATS-1", "getstat counts sent and received bytes and calls exactly", StatsRules::exactCounts)));
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
}
