package dev.atoll.bench;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 responder over an Atoll connection, for load generators such as
 * {@code wrk} and {@code curl}: every request, whatever its method and path, is answered
 * {@code 200 OK} with a short text body. It keeps the connection alive (HTTP/1.1's default,
 * HTTP/1.0 with {@code Connection: keep-alive}), answers pipelined requests in order, skips
 * request bodies by {@code Content-Length}, and refuses a request head over 16 KiB with
 * {@code 431}, a bad {@code Content-Length} with {@code 400} and chunked request bodies with
 * {@code 411}, closing the connection.
 */
final class HttpResponder implements Workload {

    static final int MAX_HEAD = 16 * 1024;

    private final byte[] keepAlive;
    private final byte[] close;

    HttpResponder(String transportName) {
        String body = "Hello from Atoll over " + transportName + "\n";
        keepAlive = response("200 OK", body, false);
        close = response("200 OK", body, true);
    }

    private static byte[] response(String status, String body, boolean close) {
        return ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + (close ? "Connection: close\r\n" : "")
                + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void serve(Connection c) throws IOException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (true) {
            byte[] in = pending.toByteArray();
            int headEnd = indexOf(in, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (headEnd < 0) {
                if (in.length > MAX_HEAD) {
                    refuse(c, "431 Request Header Fields Too Large");
                    return;
                }
                ByteBuffer more = c.recv(0, Transport.INFINITE);
                pending.write(more.array(), more.arrayOffset() + more.position(), more.remaining());
                continue;
            }
            String head = new String(in, 0, headEnd, StandardCharsets.ISO_8859_1);
            Request request = Request.parse(head);
            if (request.contentLength < 0) {
                refuse(c, "400 Bad Request");
                return;
            }
            if (request.chunked) {
                refuse(c, "411 Length Required");
                return;
            }
            long consumed = headEnd + 4L + request.contentLength;
            while (in.length < consumed) {   // the body, read and dropped
                ByteBuffer more = c.recv(0, Transport.INFINITE);
                pending.write(more.array(), more.arrayOffset() + more.position(), more.remaining());
                in = pending.toByteArray();
            }
            c.send(request.keepAlive ? keepAlive : close);
            if (!request.keepAlive) {
                return;
            }
            pending.reset();
            pending.write(in, (int) consumed, in.length - (int) consumed);
        }
    }

    private static void refuse(Connection c, String status) throws IOException {
        c.send(response(status, status + "\n", true));
    }

    /** What the responder needs of a request head. */
    private record Request(boolean keepAlive, long contentLength, boolean chunked) {
        static Request parse(String head) {
            String[] lines = head.split("\r\n");
            boolean http10 = lines[0].endsWith("HTTP/1.0");
            boolean keepAlive = !http10;
            long length = 0;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "connection" -> keepAlive = value.contains("keep-alive") || (!http10 && !value.contains("close"));
                    case "content-length" -> length = parseLength(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    default -> { }
                }
            }
            return new Request(keepAlive, length, chunked);
        }
    }

    /** A Content-Length value, or -1 when it is not a count of bytes. */
    private static long parseLength(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
