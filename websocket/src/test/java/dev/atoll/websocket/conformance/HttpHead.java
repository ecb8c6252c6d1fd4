package dev.atoll.websocket.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 message head (RFC 9112): the start line and the header fields.
 *
 * @param startLine the request or status line
 * @param fields    the fields in order, each name and value
 */
record HttpHead(String startLine, List<String[]> fields) {

    /** The largest head the suite reads. */
    static final int LIMIT = 64 * 1024;

    /** {@return the value of the first field of that name} */
    Optional<String> field(String name) {
        return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).findFirst();
    }

    /** {@return every value of the fields of that name, comma-separated lists split} */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                for (String v : f[1].split(",")) {
                    if (!v.isBlank()) {
                        values.add(v.trim());
                    }
                }
            }
        }
        return values;
    }

    /** {@return whether a field of that name holds the token, compared without case} */
    boolean hasToken(String name, String token) {
        return values(name).stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).equals(token));
    }

    /** {@return the status code of a response} */
    int status() {
        String[] parts = startLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            return -1;
        }
        return Integer.parseInt(parts[1]);
    }

    /**
     * Reads a head byte by byte, leaving what follows it in the stream.
     *
     * @param socket   for its timeout
     * @param in       the stream
     * @param deadline {@link System#nanoTime()} by which it must have arrived
     * @return the head, or empty when the connection closed first
     * @throws SocketTimeoutException when it did not arrive in time
     */
    static Optional<HttpHead> read(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no complete head in time: " + bytes.toString(StandardCharsets.ISO_8859_1));
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException reset) {
                b = -1;
            }
            if (b < 0) {
                return Optional.empty();
            }
            bytes.write(b);
            if (bytes.size() > LIMIT) {
                throw new IOException("a head over " + LIMIT + " bytes");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                fields.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
        }
        return Optional.of(new HttpHead(lines[0], fields));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(startLine);
        for (String[] f : fields) {
            s.append(" | ").append(f[0]).append(": ").append(f[1]);
        }
        return s.toString();
    }
}
