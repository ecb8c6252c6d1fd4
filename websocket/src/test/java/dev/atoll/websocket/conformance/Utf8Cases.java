package dev.atoll.websocket.conformance;

import static dev.atoll.websocket.conformance.Scripts.concat;
import static dev.atoll.websocket.conformance.Scripts.exchange;
import static dev.atoll.websocket.conformance.Scripts.textEvent;
import static dev.atoll.websocket.conformance.Scripts.utf8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Autobahn's group 6: valid and invalid UTF-8 in text messages, whole and fragmented, and
 * failing fast on the fragment that makes a text invalid. The sequences of 6.5 on are those of
 * Markus Kuhn's UTF-8 decoder stress test, each in a message of one frame.
 */
final class Utf8Cases {

    private Utf8Cases() {
    }

    /** How long a peer is given to show it accepts a valid prefix, and to fail on the invalid part. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration FAST_FAIL = Duration.ofSeconds(1);

    private static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");
    private static final byte[] EDITED = hex("656469746564");

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A subcategory of sequences: its title and each sequence, valid or not. */
    private record Group(String title, List<Object[]> sequences) {
    }

    private static Group group(String title, Object... validAndHex) {
        List<Object[]> s = new ArrayList<>();
        for (int i = 0; i < validAndHex.length; i += 2) {
            s.add(new Object[] {validAndHex[i], hex((String) validAndHex[i + 1])});
        }
        return new Group(title, s);
    }

    private static List<Group> sequences() {
        List<Group> groups = new ArrayList<>();
        groups.add(group("Some valid UTF-8 sequences", true, "68656c6c6f24776f726c64", true, "68656c6c6fc2a2776f726c64",
                true, "68656c6c6fe282ac776f726c64", true, "68656c6c6ff0a4ada2776f726c64", true, "cebae1bdb9cf83cebcceb5"));
        List<Object> prefixes = new ArrayList<>();
        for (int i = 1; i <= KOSME.length; i++) {
            byte[] prefix = Arrays.copyOf(KOSME, i);
            prefixes.add(Peer.validUtf8(prefix));
            prefixes.add(HexFormat.of().formatHex(prefix));
        }
        groups.add(group("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes.toArray()));
        groups.add(group("First possible sequence of a certain length", true, "00", true, "c280", true, "e0a080", true, "f0908080"));
        groups.add(group("First possible sequence length 5/6 (invalid codepoints)", false, "f888808080", false, "fc8480808080"));
        groups.add(group("Last possible sequence of a certain length", true, "7f", true, "dfbf", true, "efbfbf", true, "f48fbfbf"));
        groups.add(group("Last possible sequence length 4/5/6 (invalid codepoints)", false, "f7bfbfbf", false, "fbbfbfbfbf",
                false, "fdbfbfbfbfbf"));
        groups.add(group("Other boundary conditions", true, "ed9fbf", true, "ee8080", true, "efbfbd", true, "f48fbfbf",
                false, "f4908080"));
        StringBuilder allContinuations = new StringBuilder();
        for (int b = 0x80; b < 0xbf; b++) {
            allContinuations.append(String.format("%02x", b));
        }
        groups.add(group("Unexpected continuation bytes", false, "80", false, "bf", false, "80bf", false, "80bf80",
                false, "80bf80bf", false, "80bf80bf80", false, "80bf80bf80bf", false, allContinuations.toString()));
        List<Object> lonely = new ArrayList<>();
        int[][] ranges = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        for (int[] r : ranges) {
            StringBuilder s = new StringBuilder();
            for (int b = r[0]; b < r[1]; b++) {
                s.append(String.format("%02x20", b));
            }
            lonely.add(false);
            lonely.add(s.toString());
        }
        groups.add(group("Lonely start characters", lonely.toArray()));
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};
        List<Object> lastMissing = new ArrayList<>();
        for (String m : missing) {
            lastMissing.add(false);
            lastMissing.add(m);
        }
        groups.add(group("Sequences with last continuation byte missing", lastMissing.toArray()));
        groups.add(group("Concatenation of incomplete sequences", false, String.join("", missing)));
        groups.add(group("Impossible bytes", false, "fe", false, "ff", false, "fefeffff"));
        groups.add(group("Examples of an overlong ASCII character", false, "c0af", false, "e080af", false, "f08080af",
                false, "f8808080af", false, "fc80808080af"));
        groups.add(group("Maximum overlong sequences", false, "c1bf", false, "e09fbf", false, "f08fbfbf", false, "f887bfbfbf",
                false, "fc83bfbfbfbf"));
        groups.add(group("Overlong representation of the NUL character", false, "c080", false, "e08080", false, "f0808080",
                false, "f880808080", false, "fc8080808080"));
        groups.add(group("Single UTF-16 surrogates", false, "eda080", false, "edadbf", false, "edae80", false, "edafbf",
                false, "edb080", false, "edbe80", false, "edbfbf"));
        groups.add(group("Paired UTF-16 surrogates", false, "eda080edb080", false, "eda080edbfbf", false, "edadbfedb080",
                false, "edadbfedbfbf", false, "edae80edb080", false, "edae80edbfbf", false, "edafbfedb080", false, "edafbfedbfbf"));
        List<Object> nonCharacters = new ArrayList<>(List.of(true, "efbfbe", true, "efbfbf"));
        for (int lead = 0xf0; lead <= 0xf4; lead++) {
            for (int second : new int[] {0x8f, 0x9f, 0xaf, 0xbf}) {
                if (lead == 0xf4 && second != 0x8f) {
                    continue;
                }
                for (int last : new int[] {0xbe, 0xbf}) {
                    if (lead == 0xf0 && second == 0x8f) {
                        continue;
                    }
                    nonCharacters.add(true);
                    nonCharacters.add(String.format("%02x%02xbf%02x", lead, second, last));
                }
            }
        }
        groups.add(group("Non-character code points (valid UTF-8)", nonCharacters.toArray()));
        groups.add(group("Unicode specials (i.e. replacement char)", true, "efbfb9", true, "efbfba", true, "efbfbb",
                true, "efbfbc", true, "efbfbd", true, "efbfbe", true, "efbfbf"));
        return groups;
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(exchange("6.1.1", "Send a text message of length 0; expect it echoed.",
                Expect.echo(textEvent(new byte[0])), p -> p.send(Frame.of(Frame.TEXT, new byte[0]))));
        cases.add(exchange("6.1.2", "Send a text message in 3 fragments of length 0; expect an empty text echoed.",
                Expect.echo(textEvent(new byte[0])), p -> p.send(new Frame(false, 0, Frame.TEXT, new byte[0]),
                        new Frame(false, 0, Frame.CONTINUATION, new byte[0]), new Frame(true, 0, Frame.CONTINUATION, new byte[0]))));
        cases.add(exchange("6.1.3", "Send a text message in 3 fragments, the first and last of length 0; expect the middle echoed.",
                Expect.echo(textEvent(utf8("middle frame payload"))), p -> p.send(new Frame(false, 0, Frame.TEXT, new byte[0]),
                        new Frame(false, 0, Frame.CONTINUATION, utf8("middle frame payload")),
                        new Frame(true, 0, Frame.CONTINUATION, new byte[0]))));
        byte[] hello = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
        cases.add(exchange("6.2.1", "Send valid UTF-8 text in one frame: 0x" + HexFormat.of().formatHex(hello) + "; expect it echoed.",
                Expect.echo(textEvent(hello)), p -> p.send(Frame.of(Frame.TEXT, hello))));
        byte[] hello1 = utf8("Hello-\u00b5@\u00df\u00f6\u00e4");
        byte[] hello2 = utf8("\u00fc\u00e0\u00e1-UTF-8!!");
        cases.add(exchange("6.2.2", "Send valid UTF-8 text in 2 fragments split on a code point boundary; expect it echoed.",
                Expect.echo(textEvent(hello)), p -> p.send(new Frame(false, 0, Frame.TEXT, hello1),
                        new Frame(true, 0, Frame.CONTINUATION, hello2))));
        cases.add(exchange("6.2.3", "Send valid UTF-8 text in fragments of one byte, ending inside code points; expect it echoed.",
                Expect.echo(textEvent(hello)), p -> p.sendMessage(false, hello, 1)));
        cases.add(exchange("6.2.4", "Send valid UTF-8 text (0x" + HexFormat.of().formatHex(KOSME)
                + ") in fragments of one byte, ending inside code points; expect it echoed.",
                Expect.echo(textEvent(KOSME)), p -> p.sendMessage(false, KOSME, 1)));
        byte[] invalid = concat(KOSME, hex("eda080"), EDITED);
        cases.add(exchange("6.3.1", "Send invalid UTF-8 text (0x" + HexFormat.of().formatHex(invalid)
                + ") in one frame; expect a failure with 1007.", Expect.failure(1007), p -> p.send(Frame.of(Frame.TEXT, invalid))));
        cases.add(exchange("6.3.2", "Send the invalid UTF-8 text of 6.3.1 in fragments of one byte; expect a failure with 1007.",
                Expect.failure(1007), p -> p.sendMessage(false, invalid, 1)));

        byte[] outOfRange = concat(KOSME, hex("f4908080"), EDITED);
        cases.add(fastFail("6.4.1", "in 3 frames: valid, the 4 bytes of a code point past U+10FFFF (0xf4908080), the rest",
                false, KOSME, hex("f4908080"), EDITED));
        cases.add(fastFail("6.4.2", "in 3 frames: valid, the one byte making it invalid (0x90), the rest",
                false, Arrays.copyOf(outOfRange, 12), new byte[] {outOfRange[12]}, Arrays.copyOfRange(outOfRange, 13, outOfRange.length)));
        cases.add(fastFail("6.4.3", "in one frame written in 3 parts: valid, the 4 bytes of a code point past U+10FFFF, the rest",
                true, KOSME, hex("f4908080"), EDITED));
        cases.add(fastFail("6.4.4", "in one frame written in 3 parts: valid, the one byte making it invalid (0x90), the rest",
                true, Arrays.copyOf(outOfRange, 12), new byte[] {outOfRange[12]}, Arrays.copyOfRange(outOfRange, 13, outOfRange.length)));

        int sub = 5;
        for (Group g : sequences()) {
            int n = 1;
            for (Object[] s : g.sequences()) {
                boolean valid = (Boolean) s[0];
                byte[] payload = (byte[]) s[1];
                String id = "6." + sub + "." + n++;
                String hex = HexFormat.of().formatHex(payload);
                if (valid) {
                    cases.add(exchange(id, g.title() + ": send valid UTF-8 in one frame, 0x" + hex + "; expect it echoed.",
                            Expect.echo(textEvent(payload)), p -> p.send(Frame.of(Frame.TEXT, payload))));
                } else {
                    cases.add(exchange(id, g.title() + ": send invalid UTF-8 in one frame, 0x" + hex + "; expect a failure with 1007.",
                            Expect.failure(1007), p -> p.send(Frame.of(Frame.TEXT, payload))));
                }
            }
            sub++;
        }
        return cases;
    }

    /**
     * Sends invalid text in three parts with pauses: the peer must accept the first, fail on the
     * second (OK), or at least after the third (NON-STRICT).
     */
    private static Case fastFail(String id, String how, boolean oneFrame, byte[] part1, byte[] part2, byte[] part3) {
        String description = "Send invalid UTF-8 text " + how + ", pausing after each; expect the first part accepted and a failure"
                + " with 1007 on the second (fail fast), else NON-STRICT if only after the third.";
        return Case.of(id, description, run -> {
            Peer p = run.open();
            List<byte[]> writes = new ArrayList<>();
            if (oneFrame) {
                byte[] frame = p.encode(Frame.of(Frame.TEXT, concat(part1, part2, part3)));
                int head = frame.length - part1.length - part2.length - part3.length;
                writes.add(Arrays.copyOf(frame, head + part1.length));
                writes.add(Arrays.copyOfRange(frame, head + part1.length, head + part1.length + part2.length));
                writes.add(Arrays.copyOfRange(frame, head + part1.length + part2.length, frame.length));
            } else {
                writes.add(p.encode(new Frame(false, 0, Frame.TEXT, part1)));
                writes.add(p.encode(new Frame(false, 0, Frame.CONTINUATION, part2)));
                writes.add(p.encode(new Frame(true, 0, Frame.CONTINUATION, part3)));
            }
            p.sendBytes(writes.get(0), Integer.MAX_VALUE);
            if (!p.silentFor(QUIET)) {
                return Expect.failure(1007).judge(run, p, false)
                        .and(Verdict.failed(p.role().tested() + " did not wait for the rest after the valid first part"));
            }
            p.sendBytes(writes.get(1), Integer.MAX_VALUE);
            if (!p.silentFor(FAST_FAIL)) {
                return Expect.failure(1007).judge(run, p, false).and(Verdict.ok("failed fast, on the part making the text invalid"));
            }
            p.sendBytes(writes.get(2), Integer.MAX_VALUE);
            return Expect.failure(1007).judge(run, p, false)
                    .and(Verdict.nonStrict(p.role().tested() + " did not fail within " + FAST_FAIL.toMillis()
                            + " ms of the part making the text invalid, only after the rest (not fail-fast)"));
        });
    }
}
