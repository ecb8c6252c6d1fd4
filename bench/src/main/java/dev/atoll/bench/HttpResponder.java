package dev.atoll.bench;

import dev.atoll.server.ConnectionContext;
import dev.atoll.server.ConnectionHandler;
import dev.atoll.transport.Connection;
import dev.atoll.transport.LimitExceededException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal HTTP/1.1 responder, a handler of Atoll's server layer, for load generators such as
 * {@code wrk} and {@code curl}: every request, whatever its method and path, is answered
 * {@code 200 OK} with a short text body. It keeps the connection alive (HTTP/1.1's default,
 * HTTP/1.0 with {@code Connection: keep-alive}) until the server stops, answers pipelined
 * requests in order, and reads and drops request bodies by {@code Content-Length}.
 *
 * <p>Its limits hold however the bytes arrive; each refusal is answered with
 * {@code Connection: close}, and the connection is closed:
 * <ul>
 *   <li>{@code 431} for a head (request line and fields) over {@value #MAX_HEAD} bytes;</li>
 *   <li>{@code 408} for a head that does not arrive whole within the head timeout, counted
 *       from the end of the previous request (an idle keep-alive connection is closed so too);</li>
 *   <li>{@code 400} for a malformed request line (not {@code METHOD SP target SP HTTP/1.0|1.1}),
 *       a malformed field line (no colon, white space before it, obsolete line folding), a
 *       {@code Content-Length} that is not only digits, fits no {@code long}, is a list or comes
 *       twice, and a {@code Content-Length} beside a {@code Transfer-Encoding};</li>
 *   <li>{@code 411} for a body with a {@code Transfer-Encoding} (chunked bodies are not read);</li>
 *   <li>{@code 413} for a {@code Content-Length} over {@value #MAX_BODY} bytes, answered at
 *       once, before any of the body is read.</li>
 * </ul>
 * A body within the limit is read through a small buffer, each wait for its bytes bounded by
 * the head timeout too; nothing a client sends is held whole.
 */
final class HttpResponder implements ConnectionHandler {

    /** The most bytes of a request head, its final empty line included. */
    static final int MAX_HEAD = 16 * 1024;
    /** The most bytes of a request body. */
    static final int MAX_BODY = 1024 * 1024;
    /** The default time a whole request head may take. */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
    private static final Pattern REQUEST_LINE = Pattern.compile("(" + TOKEN + ") [^ \\x00-\\x1f\\x7f]+ HTTP/1\\.([01])");
    private static final Pattern FIELD_NAME = Pattern.compile(TOKEN);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private final byte[] keepAlive;
    private final byte[] close;
    private final Duration headTimeout;

    /**
     * A responder.
     *
     * @param transportName named in the body of every answer
     * @param headTimeout   how long a whole request head may take
     */
    HttpResponder(String transportName, Duration headTimeout) {
        String body = "Hello from Atoll over " + transportName + "\n";
        this.keepAlive = response("200 OK", body, false);
        this.close = response("200 OK", body, true);
        this.headTimeout = Objects.requireNonNull(headTimeout, "headTimeout");
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("headTimeout: " + headTimeout + " is not more than zero");
        }
    }

    private static byte[] response(String status, String body, boolean close) {
        return ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + (close ? "Connection: close\r\n" : "")
                + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Connection c, ConnectionContext context) throws IOException {
        ByteBuffer skipped = null;
        while (true) {
            ByteBuffer head;
            try {
                head = c.recvUntil(END_OF_HEAD, MAX_HEAD, headTimeout);
            } catch (LimitExceededException e) {
                refuse(c, "431 Request Header Fields Too Large");
                return;
            } catch (SocketTimeoutException e) {
                refuse(c, "408 Request Timeout");
                return;
            }
            Request request;
            try {
                request = Request.parse(StandardCharsets.ISO_8859_1.decode(head).toString());
            } catch (Refusal r) {
                refuse(c, r.getMessage());
                return;
            }
            if (request.contentLength > MAX_BODY) {
                refuse(c, "413 Content Too Large");
                return;
            }
            if (request.contentLength > 0) {
                if (skipped == null) {
                    skipped = ByteBuffer.allocate(16 * 1024);
                }
                for (long left = request.contentLength; left > 0; ) {
                    left -= c.recv(skipped.clear().limit((int) Math.min(skipped.capacity(), left)), headTimeout);
                }
            }
            boolean more = request.keepAlive && !context.stopping();
            c.send(more ? keepAlive : close);
            if (!more) {
                return;
            }
        }
    }

    private static void refuse(Connection c, String status) throws IOException {
        c.send(response(status, status + "\n", true));
    }

    /** A request the responder refuses; the message is the status line's code and reason. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String status) {
            super(status, null, false, false);
        }
    }

    /** What the responder needs of a request head. */
    private record Request(boolean keepAlive, long contentLength) {

        /** Parses a head, its final empty line included. */
        static Request parse(String head) throws Refusal {
            String[] lines = head.substring(0, head.length() - END_OF_HEAD.length).split("\r\n", -1);
            Matcher requestLine = REQUEST_LINE.matcher(lines[0]);
            if (!requestLine.matches()) {
                throw new Refusal("400 Bad Request");
            }
            boolean http10 = requestLine.group(2).equals("0");
            boolean keepAliveAsked = false;
            boolean closeAsked = false;
            long length = -1;
            boolean transferEncoding = false;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                int colon = line.indexOf(':');
                if (colon < 0 || !FIELD_NAME.matcher(line).region(0, colon).matches()) {
                    throw new Refusal("400 Bad Request");   // no colon, white space before it, or a folded line
                }
                String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                switch (name) {
                    case "connection" -> {
                        for (String option : value.toLowerCase(Locale.ROOT).split(",")) {
                            keepAliveAsked |= option.strip().equals("keep-alive");
                            closeAsked |= option.strip().equals("close");
                        }
                    }
                    case "content-length" -> {
                        if (length >= 0 || !DIGITS.matcher(value).matches()) {
                            throw new Refusal("400 Bad Request");
                        }
                        length = Long.parseLong(value);
                    }
                    case "transfer-encoding" -> transferEncoding = true;
                    default -> { }
                }
            }
            if (transferEncoding) {
                throw new Refusal(length >= 0 ? "400 Bad Request" : "411 Length Required");
            }
            return new Request(!closeAsked && (!http10 || keepAliveAsked), Math.max(length, 0));
        }
    }
}
