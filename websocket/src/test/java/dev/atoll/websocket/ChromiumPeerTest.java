package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Headless Chromium against the server over every backend: a page ({@code peers/peer.html},
 * opened as a file) exchanges small and large text and binary messages with the
 * permessage-deflate the browser offers, closes with a code and reason, meets the server's close
 * on a second connection, and reports what it saw on a third. For {@code wss:} the browser trusts exactly the server's key
 * ({@code --ignore-certificate-errors-spki-list}), in a fresh profile. A browser cannot send a
 * ping. Skipped, saying why, where Chromium is not installed.
 */
@Timeout(120)
class ChromiumPeerTest {

    /** How long the page may take, browser start included. */
    private static final Duration PAGE_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static List<Backend> backends() {
        return Backend.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void echoesAndCloses(Backend backend) throws Exception {
        Path chromium = ExternalProcess.onPath("chromium");
        if (chromium == null) {
            Assumptions.abort("chromium is not installed (Debian: apt-get install chromium)");
        }
        try (RecordingEchoServer server = new RecordingEchoServer(backend)) {
            String page = ExternalProcess.script("peer.html").toUri() + "?echo=" + query(server.url("/echo")) + "&closing="
                    + query(server.url("/closing")) + "&report=" + query(server.url("/report"));
            List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--enable-logging=stderr",
                    "--user-data-dir=" + Files.createDirectory(dir.resolve("profile"))));
            if (backend.tls()) {
                command.add("--ignore-certificate-errors-spki-list=" + RecordingEchoServer.serverKeyPin());
            }
            command.add(page);
            try (ExternalProcess browser = ExternalProcess.start("chromium", dir, command)) {
                String report = server.report(PAGE_LIMIT);
                if (report == null) {
                    fail("the page reported nothing within " + PAGE_LIMIT + " over " + backend + "\n" + pageLog(dir));
                }
                PeerExchange.assertPeerSaw("Chromium", report, false,
                        PeerExchange.answeredClose() + " clean",
                        PeerExchange.serverClose() + " clean");
            }
            RecordingEchoServer.assertExchanged(server.session(), true, false);
            server.assertCloseAnswered();
        }
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@return the page's console and the browser's errors, without its complaints about a missing D-Bus} */
    private static String pageLog(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("chromium.err")).stream()
                .filter(line -> line.contains("CONSOLE") || line.contains("ERROR") && !line.contains("dbus"))
                .collect(Collectors.joining("\n", "chromium's console and errors:\n", ""));
    }
}
