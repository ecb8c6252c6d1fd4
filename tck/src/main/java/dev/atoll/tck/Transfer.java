package dev.atoll.tck;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Large transfers checked by digest rather than held in memory: each side reports
 * "N bytes, sha-256 X", and the two reports must be equal.
 */
final class Transfer {

    private static final int BLOCK = 1 << 20;

    private Transfer() {
    }

    /** Where one block goes. */
    @FunctionalInterface
    interface BlockSink {
        void write(byte[] block) throws IOException;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static String describe(long bytes, MessageDigest digest) {
        return bytes + " bytes, sha-256 " + HexFormat.of().formatHex(digest.digest());
    }

    /** Sends {@code total} seeded random bytes in 1 MiB blocks and describes them. */
    static String send(BlockSink sink, long total, long seed) throws IOException {
        MessageDigest digest = sha256();
        Random random = new Random(seed);
        byte[] block = new byte[BLOCK];
        for (long sent = 0; sent < total; sent += BLOCK) {
            random.nextBytes(block);
            digest.update(block);
            sink.write(block);
        }
        return describe(total, digest);
    }

    /** Reads up to {@code total} bytes, or to the end of stream, and describes them. */
    static String receive(Peer peer, long total) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        while (received < total) {
            int n = peer.readSome(buffer);
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            received += n;
        }
        return describe(received, digest);
    }
}
