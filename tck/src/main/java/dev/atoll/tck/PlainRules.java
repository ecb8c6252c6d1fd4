package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.NotSecureException;
import dev.atoll.transport.UnsupportedFeatureException;
import java.time.Duration;
import java.util.List;

/** What a plain (not secure) transport answers to TLS operations. */
final class PlainRules {

    private PlainRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("plain", List.of(
                Rule.of("HANDSHAKE-1", "handshake on a plain connection returns the same connection, ready for data",
                        PlainRules::handshake),
                Rule.of("SECURE-1", "a plain connection answers NotSecureException for ALPN, peer certificates and the TLS session",
                        PlainRules::notSecure),
                Rule.of("UPGRADE-1", "upgrading with a plain transport is refused and leaves the connection usable",
                        PlainRules::upgradeRefused)));
    }

    private static void requirePlain(TckContext tck) {
        if (tck.transport().secure()) {
            throw new RuleSkipped(tck.transport().name() + " is secure; the TLS rules apply to it");
        }
    }

    private static void handshake(TckContext tck) throws Exception {
        requirePlain(tck);
        tck.inEveryTopology(pair -> {
            Connection c = pair.subject();
            Connection after = tck.within(Duration.ofSeconds(5), "a plain handshake", () -> c.handshake(Duration.ofSeconds(1)));
            tck.require(after == c, "handshake returned another connection: " + after);
            pair.peer().write(new byte[] {5});
            tck.requireBytes(new byte[] {5}, Bytes.of(c.recv(1, TckContext.IO_TIMEOUT)), "data after a plain handshake");
        });
    }

    private static void notSecure(TckContext tck) throws Exception {
        requirePlain(tck);
        Connection c = tck.pair(Topology.SUBJECT_SERVER).subject();
        tck.require(!c.secure(), "a plain transport's connection says it is secure");
        tck.requireThrows(NotSecureException.class, "negotiatedProtocol of a plain connection", c::negotiatedProtocol);
        tck.requireThrows(NotSecureException.class, "peercert of a plain connection", c::peercert);
        tck.requireThrows(NotSecureException.class, "tlsSession of a plain connection (SECURE-2)", c::tlsSession);
    }

    private static void upgradeRefused(TckContext tck) throws Exception {
        requirePlain(tck);
        tck.inEveryTopology(pair -> {
            Connection c = pair.subject();
            tck.requireThrows(UnsupportedFeatureException.class, "upgrade with a plain transport",
                    () -> c.upgrade(tck.transport(), true));
            c.send(new byte[] {9});
            tck.requireBytes(new byte[] {9}, pair.peer().readExactly(1), "data after a refused upgrade");
        });
    }
}
