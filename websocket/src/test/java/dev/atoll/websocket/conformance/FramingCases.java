package dev.atoll.websocket.conformance;

import static dev.atoll.websocket.conformance.Scripts.binaryEvent;
import static dev.atoll.websocket.conformance.Scripts.exchange;
import static dev.atoll.websocket.conformance.Scripts.pong;
import static dev.atoll.websocket.conformance.Scripts.repeat;
import static dev.atoll.websocket.conformance.Scripts.textEvent;
import static dev.atoll.websocket.conformance.Scripts.utf8;

import java.util.ArrayList;
import java.util.List;

/** Autobahn's groups 1 (framing), 2 (pings and pongs), 3 (reserved bits) and 4 (opcodes). */
final class FramingCases {

    private FramingCases() {
    }

    private static final String HELLO = "Hello, world!";

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        int[] sizes = {0, 125, 126, 127, 128, 65535, 65536};
        for (int binary = 0; binary <= 1; binary++) {
            String group = binary == 0 ? "1.1." : "1.2.";
            String kind = binary == 0 ? "text" : "binary";
            int opcode = binary == 0 ? Frame.TEXT : Frame.BINARY;
            int fill = binary == 0 ? '*' : 0xfe;
            for (int i = 0; i < sizes.length; i++) {
                byte[] payload = repeat(fill, sizes[i]);
                Event echo = binary == 0 ? textEvent(payload) : binaryEvent(payload);
                cases.add(exchange(group + (i + 1), "Send a " + kind + " message of " + sizes[i] + " bytes; expect its echo and a clean close.",
                        Expect.echo(echo), p -> p.send(new Frame(true, 0, opcode, payload))));
            }
            byte[] chopped = repeat(fill, 65536);
            Event echo = binary == 0 ? textEvent(chopped) : binaryEvent(chopped);
            cases.add(exchange(group + 8, "Send a " + kind + " message of 65536 bytes in writes of 997 bytes; expect its echo.",
                    Expect.echo(echo), p -> p.send(new Frame(true, 0, opcode, chopped), 997)));
            byte[] large = repeat(fill, 256 * 1024);
            Event largeEcho = binary == 0 ? textEvent(large) : binaryEvent(large);
            cases.add(exchange(group + 9, "Send a " + kind + " message of 262144 bytes (64-bit length); expect its echo.",
                    Expect.echo(largeEcho), p -> p.send(new Frame(true, 0, opcode, large))));
        }

        cases.add(exchange("2.1", "Send a ping without payload; expect a pong without payload.",
                Expect.echo(pong(new byte[0])), p -> p.send(Frame.of(Frame.PING, new byte[0]))));
        cases.add(exchange("2.2", "Send a ping with a small text payload; expect a pong with the same payload.",
                Expect.echo(pong(utf8(HELLO))), p -> p.send(Frame.of(Frame.PING, HELLO))));
        byte[] nonUtf8 = Scripts.bytes(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff);
        cases.add(exchange("2.3", "Send a ping with a small binary (not UTF-8) payload; expect a pong with the same payload.",
                Expect.echo(pong(nonUtf8)), p -> p.send(Frame.of(Frame.PING, nonUtf8))));
        byte[] p125 = repeat(0xfe, 125);
        cases.add(exchange("2.4", "Send a ping with a binary payload of 125 bytes; expect a pong with the same payload.",
                Expect.echo(pong(p125)), p -> p.send(Frame.of(Frame.PING, p125))));
        cases.add(exchange("2.5", "Send a ping with a payload of 126 bytes; control frames carry at most 125: expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(Frame.of(Frame.PING, repeat(0xfe, 126)))));
        cases.add(exchange("2.6", "Send a ping with a payload of 125 bytes in writes of one byte; expect a pong with the same payload.",
                Expect.echo(pong(p125)), p -> p.send(Frame.of(Frame.PING, p125), 1)));
        cases.add(Scripts.closing("2.7", "Send an unsolicited pong without payload, then a close; expect nothing but the close answered.",
                Expect.echo(), p -> {
                    p.send(Frame.of(Frame.PONG, new byte[0]));
                    p.sendClose(1000, "");
                }));
        cases.add(Scripts.closing("2.8", "Send an unsolicited pong with payload, then a close; expect nothing but the close answered.",
                Expect.echo(), p -> {
                    p.send(Frame.of(Frame.PONG, "unsolicited pong payload"));
                    p.sendClose(1000, "");
                }));
        cases.add(exchange("2.9", "Send an unsolicited pong, then a ping with payload; expect only the ping's pong.",
                Expect.echo(pong(utf8("ping payload"))), p -> p.send(Frame.of(Frame.PONG, "unsolicited pong payload"),
                        Frame.of(Frame.PING, "ping payload"))));
        for (int chop : new int[] {0, 1}) {
            Event[] pongs = new Event[10];
            Frame[] pings = new Frame[10];
            for (int i = 0; i < 10; i++) {
                pings[i] = Frame.of(Frame.PING, "payload-" + i);
                pongs[i] = pong(utf8("payload-" + i));
            }
            cases.add(exchange(chop == 0 ? "2.10" : "2.11", "Send 10 pings with payloads" + (chop == 0 ? "" : " in writes of one byte")
                    + "; expect their 10 pongs in order (the RFC lets a peer answer only the last; Autobahn checks for all).",
                    Expect.echo(pongs), p -> {
                        for (Frame ping : pings) {
                            if (chop == 0) {
                                p.send(ping);
                            } else {
                                p.send(ping, 1);
                            }
                        }
                    }));
        }

        cases.add(exchange("3.1", "Send a small text message with RSV = 1 (no extension agreed); expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(new Frame(true, 1, Frame.TEXT, utf8(HELLO)))));
        int[][] rsvThenPing = {{2, 0}, {3, 1}, {4, 2}};
        for (int[] r : rsvThenPing) {
            int rsv = r[0];
            String how = r[1] == 0 ? "in one write" : r[1] == 1 ? "frame by frame" : "in writes of one byte";
            cases.add(exchange("3." + rsv, "Send a small text message, then again with RSV = " + rsv + ", then a ping, " + how
                    + "; expect the first echoed, then a failure with 1002 and no pong.",
                    Expect.failure(1002, textEvent(utf8(HELLO))), p -> {
                        Frame[] frames = {Frame.of(Frame.TEXT, HELLO), new Frame(true, rsv, Frame.TEXT, utf8(HELLO)),
                                Frame.of(Frame.PING, new byte[0])};
                        if (r[1] == 0) {
                            p.send(frames);
                        } else {
                            for (Frame f : frames) {
                                if (r[1] == 1) {
                                    p.send(f);
                                } else {
                                    p.send(f, 1);
                                }
                            }
                        }
                    }));
        }
        cases.add(exchange("3.5", "Send a small binary message with RSV = 5; expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(new Frame(true, 5, Frame.BINARY, nonUtf8))));
        cases.add(exchange("3.6", "Send a ping with RSV = 6; expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(new Frame(true, 6, Frame.PING, utf8(HELLO)))));
        cases.add(exchange("3.7", "Send a close with RSV = 7; expect a failure with 1002.",
                Expect.failure(1002), p -> p.send(new Frame(true, 7, Frame.CLOSE, new byte[0]))));

        for (int group = 1; group <= 2; group++) {
            int base = group == 1 ? 3 : 11;
            String kind = group == 1 ? "non-control" : "control";
            cases.add(exchange("4." + group + ".1", "Send a frame with the reserved " + kind + " opcode " + base + "; expect a failure with 1002.",
                    Expect.failure(1002), p -> p.send(Frame.of(base, new byte[0]))));
            cases.add(exchange("4." + group + ".2", "Send a frame with the reserved " + kind + " opcode " + (base + 1)
                    + " and a payload; expect a failure with 1002.",
                    Expect.failure(1002), p -> p.send(Frame.of(base + 1, "reserved opcode payload"))));
            for (int k = 3; k <= 5; k++) {
                int opcode = base + k - 1;
                boolean withPayload = k > 3;
                boolean byteWise = group == 1 && k == 5;
                cases.add(exchange("4." + group + "." + k, "Send a small text message, then a frame with the reserved " + kind
                        + " opcode " + opcode + (withPayload ? " and a payload" : "") + ", then a ping"
                        + (byteWise ? ", in writes of one byte" : "") + "; expect the echo, then a failure with 1002 and no pong.",
                        Expect.failure(1002, textEvent(utf8(HELLO))), p -> {
                            Frame[] frames = {Frame.of(Frame.TEXT, HELLO), Frame.of(opcode, withPayload ? utf8(HELLO) : new byte[0]),
                                    Frame.of(Frame.PING, new byte[0])};
                            if (byteWise) {
                                for (Frame f : frames) {
                                    p.send(f, 1);
                                }
                            } else {
                                p.send(frames);
                            }
                        }));
            }
        }
        return cases;
    }
}
