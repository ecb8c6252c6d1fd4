package dev.atoll.websocket.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn's group 9: large messages, whole, fragmented and written in small parts, and round
 * trips of many small ones. Every message is at most 4 MiB; each case records its time.
 */
final class SizeCases {

    private SizeCases() {
    }

    /** The time a case of this group may take. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private static final int MIB = 1 << 20;

    /** How the suite sends one message. */
    @FunctionalInterface
    private interface Send {
        void send(Peer p, boolean binary, byte[] data) throws java.io.IOException;
    }

    static byte[] payload(boolean binary, int size) {
        return binary ? Scripts.noise(size, size) : Scripts.text("BAsd7&jh23", size);
    }

    private static Case echoTimed(String id, String description, boolean binary, int size, int count, Send send) {
        return new Case(id, description, null, LIMIT, run -> {
            Peer p = run.open();
            byte[] data = payload(binary, size);
            Event expected = new Event.Message(binary, data);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                send.send(p, binary, data);
                Event e = p.next(run.left());
                if (!expected.equals(e)) {
                    return Verdict.failed("message " + (i + 1) + " of " + count + ": " + p.role().tested() + " sent " + e
                            + "; expected " + expected);
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return Verdict.ok((count == 1 ? "echoed" : count + " echoes") + " in " + millis + " ms")
                    .and(Expect.echo().judge(run, p, false));
        });
    }

    private static String kind(boolean binary) {
        return binary ? "binary" : "text";
    }

    private static String size(int bytes) {
        return bytes >= MIB ? bytes / MIB + " MiB" : bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        int[] sizes = {64 * 1024, 256 * 1024, MIB, 4 * MIB};
        for (int b = 0; b <= 1; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < sizes.length; i++) {
                cases.add(echoTimed("9." + (1 + b) + "." + (i + 1), "Send a " + kind(binary) + " message of " + size(sizes[i])
                        + " in one frame; expect it echoed (time recorded).", binary, sizes[i], 1,
                        (p, bin, data) -> p.sendMessage(bin, data, 0)));
            }
        }
        int[] fragments = {64, 256, 1024, 4096, 16 * 1024, 64 * 1024, 256 * 1024, MIB, 4 * MIB};
        for (int b = 0; b <= 1; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < fragments.length; i++) {
                int fragment = fragments[i];
                cases.add(echoTimed("9." + (3 + b) + "." + (i + 1), "Send a " + kind(binary) + " message of 4 MiB in fragments of "
                        + size(fragment) + "; expect it echoed (time recorded).", binary, 4 * MIB, 1,
                        (p, bin, data) -> p.sendMessage(bin, data, fragment)));
            }
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        for (int b = 0; b <= 1; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < chops.length; i++) {
                int chop = chops[i];
                cases.add(echoTimed("9." + (5 + b) + "." + (i + 1), "Send a " + kind(binary) + " message of 1 MiB in one frame written"
                        + " in parts of " + chop + " bytes; expect it echoed (time recorded).", binary, MIB, 1,
                        (p, bin, data) -> p.send(new Frame(true, 0, bin ? Frame.BINARY : Frame.TEXT, data), chop)));
            }
        }
        int[] small = {0, 16, 64, 256, 1024, 4096};
        for (int b = 0; b <= 1; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < small.length; i++) {
                cases.add(echoTimed("9." + (7 + b) + "." + (i + 1), "Send 1000 " + kind(binary) + " messages of " + size(small[i])
                        + " one after the other's echo; expect every echo (round-trip time recorded).", binary, small[i], 1000,
                        (p, bin, data) -> p.sendMessage(bin, data, 0)));
            }
        }
        return cases;
    }
}
