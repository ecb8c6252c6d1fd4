package dev.atoll.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.ServerConfig;
import dev.atoll.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 responder of {@code bench/run serve} on the server layer, driven by a plain JDK
 * socket: it answers well-formed requests and enforces its limits on every request, however
 * the bytes arrive.
 */
class HttpResponderTest {

    /** How long the client waits for any answer: far more than any limit of the responder under test. */
    private static final int CLIENT_TIMEOUT_MILLIS = 5_000;

    private AutoCloseable server;
    private InetSocketAddress address;

    private void start(Duration headTimeout) throws Exception {
        Servers.Running running = Servers.server(ServerConfig.builder(Transports.named("nio"))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), new HttpResponder("nio", headTimeout));
        server = running;
        address = running.address();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(address, CLIENT_TIMEOUT_MILLIS);
        s.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
        return s;
    }

    /** A response: its status code, whether it says {@code Connection: close}, and its body. */
    record Response(int status, boolean close, String body) {
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed after " + head.size() + " bytes of a response head: " + head);
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int length = 0;
        boolean close = false;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).strip());
            } else if (lower.equals("connection: close")) {
                close = true;
            }
        }
        return new Response(status, close, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** Reads a response that must be a refusal with {@code status}, followed by the end of the connection. */
    private static void assertRefused(int status, Socket s) throws IOException {
        Response r = read(s.getInputStream());
        assertEquals(status, r.status(), "status of " + r);
        assertTrue(r.close(), "a refusal says Connection: close: " + r);
        assertEquals(-1, s.getInputStream().read(), "the server closes the connection after " + status);
    }

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void answersPipelinedRequestsInOrderAndKeepsTheConnection() throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            write(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 0; i < 2; i++) {
                Response r = read(s.getInputStream());
                assertEquals(200, r.status());
                assertEquals("Hello from Atoll over nio\n", r.body());
                assertTrue(!r.close());
            }
            write(s, "GET /c HTTP/1.0\r\n\r\n");
            Response last = read(s.getInputStream());
            assertEquals(200, last.status());
            assertTrue(last.close(), "HTTP/1.0 without keep-alive closes");
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void skipsABodyWithinTheLimitAndAnswersTheNextRequest() throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            int length = 1024 * 1024;   // the limit, exactly
            write(s, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n");
            s.getOutputStream().write(new byte[length]);
            write(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, read(s.getInputStream()).status());
            assertEquals(200, read(s.getInputStream()).status());
        }
    }

    @Test
    void refusesAHeadOver16KiBSentInOneWrite() throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            write(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(60 * 1024) + "\r\n\r\n");
            assertRefused(431, s);
        }
    }

    @Test
    void refusesAHeadOver16KiBSentInPieces() throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            write(s, "GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 17; i++) {
                write(s, "X-Part-" + i + ": " + "a".repeat(1000) + "\r\n");
            }
            write(s, "\r\n");
            assertRefused(431, s);
        }
    }

    @Test
    void closesAHeadThatNeverEndsAfterTheHeadTimeout() throws Exception {
        start(Duration.ofMillis(500));
        try (Socket s = connect()) {
            write(s, "GET / HTTP/1.1\r\nHost: x\r\n");
            long started = System.nanoTime();
            assertRefused(408, s);
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "408 within the head timeout");
        }
    }

    @Test
    void theHeadTimeoutCoversTheWholeHeadHoweverSlowlyItDribbles() throws Exception {
        start(Duration.ofMillis(800));
        try (Socket s = connect()) {
            byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (byte b : head) {   // one byte every 50 ms: about 3 s for the whole head
                    s.getOutputStream().write(b);
                    Thread.sleep(50);
                }
            } catch (IOException closedByTheServer) {
                // the server gave up on the head while it dribbled in
            }
            assertRefused(408, s);
        }
    }

    @Test
    void refusesABodyOverTheLimitWithoutWaitingForIt() throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            write(s, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n");
            assertRefused(413, s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Length: 5\r\nContent-Length: 0",   // conflicting
        "Content-Length: 0\r\nContent-Length: 0",   // duplicate
        "Content-Length: 0, 0",                     // a list
        "Content-Length: +5",                       // not only digits
        "Content-Length: 0x10",
        "Content-Length: ",
        "Content-Length: 99999999999999999999",     // past a long
        "Content-Length: 3\r\nTransfer-Encoding: chunked",
    })
    void refusesAMalformedDuplicateOrConflictingContentLength(String fields) throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            write(s, "POST / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n\r\nabcde");
            assertRefused(400, s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GARBAGE",
        "GET /",
        "GET / HTTP/1.1 extra",
        "GET  / HTTP/1.1",
        "GET / FTP/1.1",
        "G(T / HTTP/1.1",
        "GET / HTTP/1.1\r\nHost x",                  // a field without a colon
        "GET / HTTP/1.1\r\nHost : x",                // white space before the colon
        "GET / HTTP/1.1\r\nHost: x\r\n folded",      // obsolete line folding
    })
    void refusesABadRequestLineOrField(String head) throws Exception {
        start(Duration.ofSeconds(10));
        try (Socket s = connect()) {
            write(s, head + "\r\n\r\n");
            assertRefused(400, s);
        }
    }
}
