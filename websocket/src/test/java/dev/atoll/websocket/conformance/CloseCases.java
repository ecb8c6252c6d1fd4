package dev.atoll.websocket.conformance;

import static dev.atoll.websocket.conformance.Scripts.closing;
import static dev.atoll.websocket.conformance.Scripts.exchange;
import static dev.atoll.websocket.conformance.Scripts.textEvent;
import static dev.atoll.websocket.conformance.Scripts.utf8;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Autobahn's group 7: the closing handshake and the close frame's structure. */
final class CloseCases {

    private CloseCases() {
    }

    private static final String HELLO = "Hello World!";
    private static final Expect NORMAL = Expect.closeAnswer(Set.of(1000), Set.of());
    private static final Expect PROTOCOL_ERROR = Expect.closeAnswer(Set.of(1002), Set.of());

    private static byte[] closePayload(int code, byte[] reason) {
        return Scripts.concat(Scripts.bytes(code >>> 8 & 0xff, code & 0xff), reason);
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(exchange("7.1.1", "Send a text message, then close once it is echoed; expect the echo and a clean close with 1000.",
                Expect.echo(textEvent(utf8(HELLO))), p -> p.send(Frame.of(Frame.TEXT, HELLO))));
        cases.add(closing("7.1.2", "Send two close frames; expect a clean close with 1000, the second close ignored.",
                NORMAL, p -> p.send(Frame.of(Frame.CLOSE, closePayload(1000, new byte[0])), Frame.of(Frame.CLOSE, new byte[0]))));
        cases.add(closing("7.1.3", "Send a close, then a ping; expect a clean close with 1000 and no pong.",
                NORMAL, p -> p.send(Frame.of(Frame.CLOSE, closePayload(1000, new byte[0])), Frame.of(Frame.PING, new byte[0]))));
        cases.add(closing("7.1.4", "Send a close, then a text message; expect a clean close with 1000, the message ignored.",
                NORMAL, p -> p.send(Frame.of(Frame.CLOSE, closePayload(1000, new byte[0])), Frame.of(Frame.TEXT, HELLO))));
        cases.add(closing("7.1.5", "Send the first fragment of a text message, a close, then the last fragment; expect a clean close"
                + " with 1000 and nothing echoed.", NORMAL, p -> p.send(new Frame(false, 0, Frame.TEXT, utf8("fragment1")),
                        Frame.of(Frame.CLOSE, closePayload(1000, new byte[0])), new Frame(true, 0, Frame.CONTINUATION, utf8("fragment2")))));
        byte[] large = Scripts.text("BAsd7&jh23", 256 * 1024);
        cases.add(Case.of("7.1.6", "Send a text message of 256 KiB, a small text, a close and a ping back to back; whether the"
                + " messages are echoed before the close answer is the peer's choice (INFORMATIONAL), but no pong may follow the close.",
                run -> {
                    Peer p = run.open();
                    p.send(Frame.of(Frame.TEXT, large), Frame.of(Frame.TEXT, HELLO), Frame.of(Frame.CLOSE, closePayload(1000, new byte[0])),
                            Frame.of(Frame.PING, new byte[0]));
                    List<Event> before = new ArrayList<>();
                    for (;;) {
                        Event e = p.next(run.left());
                        switch (e) {
                            case Event.Message m -> before.add(m);
                            case Event.Close c -> {
                                Verdict v = Verdict.informational(p.role().tested() + " sent " + before + " then " + c);
                                if (c.code() != null && c.code() != 1000) {
                                    v = Verdict.failed(p.role().tested() + " answered the close with " + c.code());
                                }
                                return v.and(Expect.tcpClose(run, p, p.role().tested()));
                            }
                            default -> {
                                return Verdict.failed(p.role().tested() + " sent " + e + " after " + before);
                            }
                        }
                    }
                }));

        cases.add(closing("7.3.1", "Send a close frame without payload; expect a clean close.",
                NORMAL, p -> p.send(Frame.of(Frame.CLOSE, new byte[0]))));
        cases.add(closing("7.3.2", "Send a close frame with a payload of 1 byte; expect a close with 1002 (or a TCP drop, NON-STRICT).",
                PROTOCOL_ERROR, p -> p.send(Frame.of(Frame.CLOSE, utf8("a")))));
        cases.add(closing("7.3.3", "Send a close frame with the code 1000; expect a clean close with 1000.",
                NORMAL, p -> p.sendClose(1000, "")));
        cases.add(closing("7.3.4", "Send a close frame with the code 1000 and a reason; expect a clean close with 1000.",
                NORMAL, p -> p.sendClose(1000, HELLO)));
        cases.add(closing("7.3.5", "Send a close frame with the code 1000 and a reason of the largest length (123 bytes); expect a"
                + " clean close with 1000.", NORMAL, p -> p.sendClose(1000, "*".repeat(123))));
        cases.add(closing("7.3.6", "Send a close frame with a reason of 124 bytes (a payload of 126, over a control frame's 125);"
                + " expect a close with 1002 (or a TCP drop, NON-STRICT).",
                PROTOCOL_ERROR, p -> p.send(Frame.of(Frame.CLOSE, closePayload(1000, Scripts.repeat('*', 124))))));
        byte[] invalidReason = Utf8Cases.hex("cebae1bdb9cf83cebcceb5eda080656469746564");
        cases.add(closing("7.5.1", "Send a close frame whose reason is not UTF-8; expect a close with 1007 (1002 is NON-STRICT).",
                Expect.closeAnswer(Set.of(1007), Set.of(1002)), p -> p.send(Frame.of(Frame.CLOSE, closePayload(1000, invalidReason)))));

        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            int code = valid[i];
            cases.add(closing("7.7." + (i + 1), "Send a close with the valid code " + code + "; expect a clean close with 1000 or " + code + ".",
                    Expect.closeAnswer(Set.copyOf(List.of(1000, code)), Set.of()), p -> p.sendClose(code, "")));
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015};
        for (int i = 0; i < invalid.length; i++) {
            int code = invalid[i];
            cases.add(closing("7.9." + (i + 1), "Send a close with the invalid code " + code + "; expect a close with 1002 (or a TCP"
                    + " drop, NON-STRICT).", PROTOCOL_ERROR, p -> p.sendClose(code, "")));
        }
        int[] undefined = {5000, 65535};
        for (int i = 0; i < undefined.length; i++) {
            int code = undefined[i];
            cases.add(closing("7.13." + (i + 1), "Send a close with the code " + code + ", outside every range RFC 6455 defines; expect"
                    + " a close with 1002 (or a TCP drop, NON-STRICT).", PROTOCOL_ERROR, p -> p.sendClose(code, "")));
        }
        return cases;
    }
}
