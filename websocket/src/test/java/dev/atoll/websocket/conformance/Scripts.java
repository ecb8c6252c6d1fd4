package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The building blocks of the cases: a connection, what the suite sends, what it expects. */
final class Scripts {

    private Scripts() {
    }

    /** What the suite sends on an open connection. */
    @FunctionalInterface
    interface Sender {
        void send(Peer peer) throws IOException, InterruptedException;
    }

    /** A case on one connection without extensions: the suite sends, then judges against the expectation. */
    static Case exchange(String id, String description, Expect expect, Sender sender) {
        return Case.of(id, description, run -> {
            Peer peer = run.open();
            sender.send(peer);
            return expect.judge(run, peer, false);
        });
    }

    /** A case whose sender ends with the suite's close frame. */
    static Case closing(String id, String description, Expect expect, Sender sender) {
        return Case.of(id, description, run -> {
            Peer peer = run.open();
            sender.send(peer);
            return expect.judge(run, peer, true);
        });
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] repeat(int b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    /** {@return n bytes of text repeating a pattern} */
    static byte[] text(String pattern, int n) {
        byte[] p = utf8(pattern);
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = p[i % p.length];
        }
        return a;
    }

    /** {@return n bytes of a fixed pseudo-random sequence (xorshift), the same every run} */
    static byte[] noise(int n, int seed) {
        byte[] a = new byte[n];
        int x = 0x9E3779B9 ^ seed;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            a[i] = (byte) x;
        }
        return a;
    }

    static Event.Message textEvent(byte[] data) {
        return new Event.Message(false, data);
    }

    static Event.Message binaryEvent(byte[] data) {
        return new Event.Message(true, data);
    }

    static Event.Pong pong(byte[] data) {
        return new Event.Pong(data);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
