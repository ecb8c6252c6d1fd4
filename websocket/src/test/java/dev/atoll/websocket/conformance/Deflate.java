package dev.atoll.websocket.conformance;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The suite's own permessage-deflate (RFC 7692) on {@link java.util.zip}, for one connection as
 * agreed: messages are raw DEFLATE ended by a sync flush whose last four bytes
 * ({@code 00 00 ff ff}) are left off.
 *
 * <p>The JDK's {@link Deflater} always uses a 15-bit window, so when the peer limits the suite's
 * window below 15 bits the suite keeps to it as the RFC lets a sender: a fresh compressor for
 * each message, and stored (uncompressed) blocks for a message longer than the window. When the
 * peer agreed to {@code server_no_context_takeover} (or the client's, when the suite is the
 * server), each of its messages is inflated by a fresh inflater, which proves it kept to it.
 */
final class Deflate {

    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    /**
     * What a permessage-deflate negotiation agreed.
     *
     * @param serverNoContextTakeover the server resets its compressor after each message
     * @param clientNoContextTakeover the client resets its compressor after each message
     * @param serverMaxWindowBits     the server's window
     * @param clientMaxWindowBits     the client's window
     */
    record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
            int clientMaxWindowBits) {
    }

    private final boolean ownNoContextTakeover;
    private final int ownWindowBits;
    private final boolean peerNoContextTakeover;
    private Deflater deflater;
    private Inflater inflater;

    Deflate(Agreement agreement, Role role) {
        boolean client = role == Role.CLIENT;
        this.ownNoContextTakeover = client ? agreement.clientNoContextTakeover() : agreement.serverNoContextTakeover();
        this.ownWindowBits = client ? agreement.clientMaxWindowBits() : agreement.serverMaxWindowBits();
        this.peerNoContextTakeover = client ? agreement.serverNoContextTakeover() : agreement.clientNoContextTakeover();
    }

    /** {@return the payload of a compressed message carrying data} */
    byte[] compress(byte[] data) {
        boolean limited = ownWindowBits < 15;
        if (deflater == null || ownNoContextTakeover || limited) {
            if (deflater != null) {
                deflater.end();
            }
            boolean fitsWindow = data.length <= 1 << ownWindowBits;
            deflater = new Deflater(limited && !fitsWindow ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION, true);
        }
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        byte[] chunk = new byte[64 * 1024];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput());
        byte[] compressed = out.toByteArray();
        int end = compressed.length;
        if (end >= 4 && compressed[end - 4] == 0 && compressed[end - 3] == 0 && compressed[end - 2] == (byte) 0xff
                && compressed[end - 1] == (byte) 0xff) {
            end -= 4;
        }
        return java.util.Arrays.copyOf(compressed, end);
    }

    /**
     * Inflates a compressed message's payload.
     *
     * @param payload the reassembled payload
     * @param limit   the largest message the suite takes
     * @return the message
     * @throws DataFormatException when the payload is not valid DEFLATE (for a fresh inflater
     *                             when the peer agreed not to take over its context)
     */
    byte[] decompress(byte[] payload, int limit) throws DataFormatException {
        if (inflater == null || peerNoContextTakeover) {
            if (inflater != null) {
                inflater.end();
            }
            inflater = new Inflater(true);
        }
        byte[] input = java.util.Arrays.copyOf(payload, payload.length + TAIL.length);
        System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 4 + 64);
        byte[] chunk = new byte[64 * 1024];
        while (true) {
            int n = inflater.inflate(chunk);
            out.write(chunk, 0, n);
            if (out.size() > limit) {
                throw new DataFormatException("inflates past " + limit + " bytes");
            }
            if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                break;
            }
            if (n == 0 && inflater.needsDictionary()) {
                throw new DataFormatException("needs a dictionary");
            }
        }
        if (inflater.finished()) {
            // a final block: the next message needs a new stream
            inflater.end();
            inflater = null;
        }
        return out.toByteArray();
    }

    void end() {
        if (deflater != null) {
            deflater.end();
        }
        if (inflater != null) {
            inflater.end();
        }
    }
}
