package dev.atoll.websocket.conformance;

import static dev.atoll.websocket.conformance.Scripts.exchange;
import static dev.atoll.websocket.conformance.Scripts.pong;
import static dev.atoll.websocket.conformance.Scripts.textEvent;
import static dev.atoll.websocket.conformance.Scripts.utf8;

import java.util.ArrayList;
import java.util.List;

/** Autobahn's group 5 (fragmentation) and 10 (auto-fragmentation). */
final class FragmentationCases {

    private FragmentationCases() {
    }

    /** How frames go on the wire: all in one write, a write per frame, or a write per byte. */
    private enum Chops {
        ONE("sent in one write"), FRAMES("sent frame by frame"), OCTETS("sent in writes of one byte");

        final String words;

        Chops(String words) {
            this.words = words;
        }

        void send(Peer p, Frame... frames) throws java.io.IOException {
            switch (this) {
                case ONE -> p.send(frames);
                case FRAMES -> {
                    for (Frame f : frames) {
                        p.send(f);
                    }
                }
                case OCTETS -> {
                    for (Frame f : frames) {
                        p.send(f, 1);
                    }
                }
            }
        }
    }

    private static Frame frame(boolean fin, int opcode, String payload) {
        return new Frame(fin, 0, opcode, utf8(payload));
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(exchange("5.1", "Send a ping fragmented into 2 fragments; control frames must not be fragmented: expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(frame(false, Frame.PING, "fragment1"), frame(true, Frame.CONTINUATION, "fragment2"))));
        cases.add(exchange("5.2", "Send a pong fragmented into 2 fragments; expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(frame(false, Frame.PONG, "fragment1"), frame(true, Frame.CONTINUATION, "fragment2"))));
        Chops[] chops = Chops.values();
        for (int i = 0; i < 3; i++) {
            Chops c = chops[i];
            cases.add(exchange("5." + (3 + i), "Send a text message in 2 fragments, " + c.words + "; expect it echoed whole.",
                    Expect.echo(textEvent(utf8("fragment1fragment2"))),
                    p -> c.send(p, frame(false, Frame.TEXT, "fragment1"), frame(true, Frame.CONTINUATION, "fragment2"))));
        }
        for (int i = 0; i < 3; i++) {
            Chops c = chops[i];
            cases.add(exchange("5." + (6 + i), "Send a text message in 2 fragments with a ping between them, " + c.words
                    + "; expect the pong, then the message echoed.",
                    Expect.echo(pong(utf8("ping payload")), textEvent(utf8("fragment1fragment2"))),
                    p -> c.send(p, frame(false, Frame.TEXT, "fragment1"), frame(true, Frame.PING, "ping payload"),
                            frame(true, Frame.CONTINUATION, "fragment2"))));
        }
        for (int fin = 1; fin >= 0; fin--) {
            boolean f = fin == 1;
            for (int i = 0; i < 3; i++) {
                Chops c = chops[i];
                cases.add(exchange("5." + ((f ? 9 : 12) + i), "Send a continuation frame with FIN = " + f
                        + " where there is no message to continue, then a text message, " + c.words + "; expect a failure with 1002.",
                        Expect.failure(1002), p -> c.send(p, frame(f, Frame.CONTINUATION, "non-continuation payload"),
                                frame(true, Frame.TEXT, HELLO))));
            }
        }
        cases.add(exchange("5.15", "Send a text message in 2 fragments, then a continuation with FIN = false where there is nothing to"
                + " continue, then a text message, in one write; expect the first echoed, then a failure with 1002.",
                Expect.failure(1002, textEvent(utf8("fragment1fragment2"))), p -> p.send(frame(false, Frame.TEXT, "fragment1"),
                        frame(true, Frame.CONTINUATION, "fragment2"), frame(false, Frame.CONTINUATION, "fragment3"),
                        frame(true, Frame.TEXT, "fragment4"))));
        for (int fin = 0; fin <= 1; fin++) {
            boolean f = fin == 1;
            cases.add(exchange(f ? "5.17" : "5.16", "Twice: a continuation frame with FIN = " + f
                    + " where there is nothing to continue, then a text message in 2 fragments; expect a failure with 1002.",
                    Expect.failure(1002), p -> {
                        for (int k = 0; k < 2; k++) {
                            p.send(frame(f, Frame.CONTINUATION, "fragment1"), frame(false, Frame.TEXT, "fragment2"),
                                    frame(true, Frame.CONTINUATION, "fragment3"));
                        }
                    }));
        }
        cases.add(exchange("5.18", "Send a text message in 2 fragments, both with the text opcode; fragments after the first must be"
                + " continuations: expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(frame(false, Frame.TEXT, "fragment1"), frame(true, Frame.TEXT, "fragment2"))));
        for (int sync = 0; sync <= 1; sync++) {
            Chops c = sync == 0 ? Chops.ONE : Chops.FRAMES;
            cases.add(exchange(sync == 0 ? "5.19" : "5.20", "Send a text message in 5 fragments with a ping after the second and"
                    + " one before the last, pausing 1 s after the first ping, " + c.words
                    + "; expect the first pong before the rest is sent, the second, then the message echoed.",
                    Expect.echo(pong(utf8("pongme 1!")), pong(utf8("pongme 2!")),
                            textEvent(utf8("fragment1fragment2fragment3fragment4fragment5"))),
                    p -> {
                        c.send(p, frame(false, Frame.TEXT, "fragment1"), frame(false, Frame.CONTINUATION, "fragment2"),
                                frame(true, Frame.PING, "pongme 1!"));
                        Thread.sleep(1000);
                        c.send(p, frame(false, Frame.CONTINUATION, "fragment3"), frame(false, Frame.CONTINUATION, "fragment4"),
                                frame(true, Frame.PING, "pongme 2!"), frame(true, Frame.CONTINUATION, "fragment5"));
                    }));
        }
        byte[] big = Scripts.repeat('*', 65536);
        cases.add(Case.of("10.1.1", "Send a text message of 65536 bytes in fragments of 1300 bytes; expect it echoed whole"
                + " (the peer may fragment its echo as it likes).", run -> {
                    Peer p = run.open();
                    p.sendMessage(false, big, 1300);
                    return Expect.echo(textEvent(big)).judge(run, p, false);
                }));
        return cases;
    }

    private static final String HELLO = "Hello, world!";
}
