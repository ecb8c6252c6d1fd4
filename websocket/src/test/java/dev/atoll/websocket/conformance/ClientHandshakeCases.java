package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's side of the opening handshake (RFC 6455 section 4.1), which Autobahn leaves out:
 * a 101 the client must refuse, and a masked frame from the server. Cases for the suite as a
 * server only.
 */
final class ClientHandshakeCases {

    private ClientHandshakeCases() {
    }

    private static final String PROBE = "a message the client must not echo";

    private static Case serverCase(String id, String description, Case.Script script) {
        return new Case(id, description, Role.SERVER, Case.LIMIT, script);
    }

    /**
     * Answers the client's request with a 101 carrying these fields, sends a text message, and
     * judges: the client closing TCP (or sending a close frame with 1002) is OK, another close
     * frame NON-STRICT, an echo, any other frame or nothing in time FAILED.
     */
    private static Verdict refused(CaseRun run, String why, FieldsOf fields) throws Exception {
        FuzzingServer.Upgrade upgrade = run.server().accept(run.left());
        run.track(upgrade.socket());
        upgrade.respond(FuzzingServer.SWITCHING, fields.of(upgrade));
        Peer peer = run.track(upgrade.peer());
        peer.send(Frame.of(Frame.TEXT, PROBE));
        Event e = peer.next(run.left());
        return switch (e) {
            case Event.TcpClosed t -> Verdict.ok("the client refused " + why + ": TCP " + t.how());
            case Event.Close c when c.code() != null && c.code() == 1002 -> Verdict.ok("the client refused " + why + " with " + c);
            case Event.Close c -> Verdict.nonStrict("the client refused " + why + " with " + c + "; a connection that was never"
                    + " established is failed by closing TCP (or 1002)");
            default -> Verdict.failed("the client took " + why + " and then: " + e);
        };
    }

    /** The fields of a 101, from the request it answers. */
    @FunctionalInterface
    private interface FieldsOf {
        String of(FuzzingServer.Upgrade upgrade) throws IOException;
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(serverCase("0.7", "Answer the upgrade with a 101 whose Sec-WebSocket-Accept is not the key's, then send a text"
                + " message; expect the client to fail the connection (TCP close, or a close with 1002), nothing echoed.",
                run -> refused(run, "a wrong Sec-WebSocket-Accept",
                        u -> FuzzingServer.switching(FuzzingClient.acceptOf(FuzzingClient.newKey())))));
        cases.add(serverCase("0.8", "Answer the upgrade with a 101 naming the subprotocol x-not-offered, which the client did not"
                + " offer, then send a text message; expect the client to fail the connection (TCP close, or a close with 1002).",
                run -> refused(run, "a subprotocol it did not offer", u -> FuzzingServer.switching(FuzzingClient.acceptOf(u.key()))
                        + "Sec-WebSocket-Protocol: x-not-offered\r\n")));
        cases.add(serverCase("0.9", "Answer the upgrade with a 101 agreeing to the extension x-not-offered, which the client did"
                + " not offer, then send a text message; expect the client to fail the connection (TCP close, or a close with 1002).",
                run -> refused(run, "an extension it did not offer", u -> FuzzingServer.switching(FuzzingClient.acceptOf(u.key()))
                        + "Sec-WebSocket-Extensions: x-not-offered\r\n")));
        cases.add(serverCase("0.10", "Answer the upgrade with a 101 without Connection: Upgrade, then send a text message; expect"
                + " the client to fail the connection (TCP close, or a close with 1002).",
                run -> refused(run, "a 101 without Connection: Upgrade",
                        u -> "Upgrade: websocket\r\nSec-WebSocket-Accept: " + FuzzingClient.acceptOf(u.key()) + "\r\n")));
        cases.add(serverCase("0.11", "After a valid upgrade, send a masked text frame (a server must not mask); expect the client to"
                + " fail the connection with 1002 (or a TCP drop, NON-STRICT), nothing echoed.", run -> {
                    Peer peer = run.open();
                    peer.sendBytes(Frame.of(Frame.TEXT, PROBE).encode(new byte[] {0x11, 0x22, 0x33, 0x44}), Integer.MAX_VALUE);
                    return Expect.failure(1002).judge(run, peer, false);
                }));
        return cases;
    }
}
