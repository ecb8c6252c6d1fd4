package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a case expects of the peer, and the judgement Autobahn makes of it: the events the peer
 * sends (messages and pongs, in order) must match the list that is OK or the one that is
 * NON-STRICT, and the closing must come from the right side with an expected code.
 *
 * <ul>
 *   <li>When the suite closes ({@code suiteCloses}), it sends its close (1000) once the events
 *       match, and the peer must answer with a close frame of an expected code (or none) and
 *       close TCP; a close or TCP drop by the peer before that is FAILED.</li>
 *   <li>When the peer must fail the connection, a close frame with an expected code followed by
 *       the peer's TCP close is OK; a close without a code, a TCP drop without a close frame, or
 *       no TCP close after the close handshake is NON-STRICT; another code, no failure within the
 *       time, or a message it should have refused is FAILED.</li>
 * </ul>
 *
 * @param ok          the events that are OK
 * @param nonStrict   the events that are NON-STRICT, or {@code null}
 * @param suiteCloses whether the suite starts the closing handshake
 * @param codes       the close codes expected of the peer
 * @param laxCodes    close codes the RFC allows but does not prefer here (NON-STRICT)
 */
record Expect(List<Event> ok, List<Event> nonStrict, boolean suiteCloses, Set<Integer> codes, Set<Integer> laxCodes) {

    /** How long the suite waits for the peer's TCP close after the close handshake. */
    static final Duration TCP_CLOSE_WAIT = Duration.ofSeconds(2);

    /** The peer answers with these events, then the suite closes normally. */
    static Expect echo(Event... ok) {
        return new Expect(List.of(ok), null, true, Set.of(1000), Set.of());
    }

    /** The suite has sent a close frame; the peer answers with one of the codes (or none) and closes TCP. */
    static Expect closeAnswer(Set<Integer> codes, Set<Integer> laxCodes) {
        return new Expect(List.of(), null, true, codes, laxCodes);
    }

    /** The peer sends these events (or, NON-STRICT, none of them), then fails the connection with the code. */
    static Expect failure(int code, Event... before) {
        return new Expect(List.of(before), before.length == 0 ? null : List.of(), false, Set.of(code), Set.of());
    }

    /**
     * Judges what the peer does from now on.
     *
     * @param run       the case's run, for the time left
     * @param peer      the connection
     * @param closeSent whether the suite already sent its close frame
     * @return the verdict
     */
    Verdict judge(CaseRun run, Peer peer, boolean closeSent) throws IOException {
        String tested = peer.role().tested();
        java.util.ArrayList<Event> received = new java.util.ArrayList<>();
        if (suiteCloses && !closeSent) {
            while (!received.equals(ok)) {
                Event e = peer.next(run.left());
                switch (e) {
                    case Event.Message m -> received.add(m);
                    case Event.Pong p -> received.add(p);
                    default -> {
                        return Verdict.failed(describe(e, tested) + " after " + received + "; expected " + ok);
                    }
                }
                if (!prefix(received, ok)) {
                    return Verdict.failed(tested + " sent " + received + "; expected " + ok);
                }
            }
            peer.sendClose(1000, "");
            closeSent = true;
        }
        for (;;) {
            Event e = peer.next(run.left());
            switch (e) {
                case Event.Message m -> received.add(m);
                case Event.Pong p -> received.add(p);
                case Event.Close c -> {
                    Verdict events = events(received, tested);
                    if (events.outcome() == Outcome.FAILED) {
                        return events;
                    }
                    Verdict close = closeCode(c, tested);
                    if (!closeSent) {
                        if (c.code() == null) {
                            peer.send(Frame.of(Frame.CLOSE, new byte[0]));
                        } else {
                            peer.sendClose(c.code() < 3000 && c.code() != 1005 && c.code() != 1006 ? c.code() : 1000, "");
                        }
                    }
                    return events.and(close).and(tcpClose(run, peer, tested));
                }
                case Event.TcpClosed t -> {
                    Verdict events = events(received, tested);
                    if (suiteCloses && codes.contains(1000)) {
                        return events.and(Verdict.failed(tested + " dropped TCP without answering the close frame"));
                    }
                    return events.and(Verdict.nonStrict(tested + " dropped TCP without a close frame"));
                }
                case Event.TimedOut t -> {
                    return Verdict.failed(closeSent ? tested + " did not answer the close frame in time; received " + received
                            : tested + " did not fail the connection in time; received " + received + ", expected " + ok);
                }
                case Event.Violation v -> {
                    return Verdict.failed(v.what());
                }
            }
            if (!prefix(received, ok) && (nonStrict == null || !prefix(received, nonStrict))) {
                return Verdict.failed(tested + " sent " + received + "; expected " + ok);
            }
        }
    }

    private Verdict events(List<Event> received, String tested) {
        if (received.equals(ok)) {
            return Verdict.ok(ok.isEmpty() ? "nothing received before the close, as expected" : "received " + received);
        }
        if (received.equals(nonStrict)) {
            return Verdict.nonStrict(tested + " sent " + received + " before failing; preferred " + ok);
        }
        return Verdict.failed(tested + " sent " + received + "; expected " + ok);
    }

    private Verdict closeCode(Event.Close c, String tested) {
        if (c.code() == null) {
            return codes.contains(1000) ? Verdict.ok("closed without a code")
                    : Verdict.nonStrict(tested + " closed without a code; expected " + codes);
        }
        if (laxCodes.contains(c.code())) {
            return Verdict.nonStrict(tested + " closed with " + c.code() + "; preferred " + codes);
        }
        if (!codes.contains(c.code())) {
            return Verdict.failed(tested + " closed with " + c.code() + "; expected " + codes);
        }
        return Verdict.ok("closed with " + c.code());
    }

    /** After the close handshake, a server closes TCP first (RFC 6455 section 7.1.1); a client leaves it to the server. */
    static Verdict tcpClose(CaseRun run, Peer peer, String tested) throws IOException {
        if (peer.role() == Role.SERVER) {
            peer.close();
            return Verdict.ok("TCP closed");
        }
        Event e = peer.next(run.left(TCP_CLOSE_WAIT));
        return switch (e) {
            case Event.TcpClosed t -> Verdict.ok("TCP " + t.how());
            case Event.TimedOut t -> Verdict.nonStrict(tested + " did not close TCP within " + TCP_CLOSE_WAIT.toSeconds()
                    + " s of the close handshake");
            default -> Verdict.failed(tested + " sent " + e + " after the close handshake");
        };
    }

    private static String describe(Event e, String tested) {
        return switch (e) {
            case Event.Close c -> tested + " sent " + c + " (it closed, the suite was to)";
            case Event.TcpClosed t -> tested + " dropped TCP (" + t.how() + ")";
            case Event.TimedOut t -> "timed out";
            default -> e.toString();
        };
    }

    private static boolean prefix(List<Event> received, List<Event> expected) {
        return received.size() <= expected.size() && expected.subList(0, received.size()).equals(received);
    }
}
