package dev.atoll.bench;

import dev.atoll.server.ServerConfig;
import dev.atoll.transport.Transport;
import dev.atoll.transport.Transports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code wrk} run per backend against {@link Serve}'s HTTP/1.1 responder on Atoll's server
 * layer (the same server code, started in this JVM): plain {@code nio} and {@code iouring}, TLS 1.3 {@code jsse} and
 * {@code bctls}. Arguments: the seconds of each run and the JSON file to write. Without
 * {@code wrk} on the PATH it writes why and stops.
 */
public final class WrkRun {

    private WrkRun() {
    }

    static final int CONNECTIONS = 64;
    static final List<String> BACKENDS = List.of("nio", "iouring", "jsse", "bctls");
    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

    /**
     * Runs wrk against every backend.
     *
     * @param args seconds per run, and the JSON file to write
     * @throws Exception when a server cannot start
     */
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        List<String> rows = new ArrayList<>();
        if (!onPath("wrk")) {
            System.out.println("wrk is not installed: no wrk runs");
            Files.writeString(out, "{\"skipped\": \"wrk is not installed\"}\n");
            return;
        }
        for (String backend : BACKENDS) {
            Tls tls = backend.equals("jsse") || backend.equals("bctls") ? new Tls("TLSv1.3") : null;
            Transport<?, ?> transport = tls == null ? Transports.named(backend) : tls.transport(backend);
            try (Servers.Running running = Servers.server(ServerConfig.builder(transport)
                    .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                    new HttpResponder(backend, HttpResponder.HEAD_TIMEOUT))) {
                String url = (tls == null ? "http" : "https") + "://127.0.0.1:" + running.address().getPort() + "/";
                List<String> command = List.of("wrk", "-t1", "-c" + CONNECTIONS, "-d" + seconds + "s", "--latency", url);
                System.out.println("== " + backend + ": " + String.join(" ", command));
                Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
                    throw new IOException("wrk failed against " + backend + ":\n" + output);
                }
                Matcher requests = REQUESTS.matcher(output);
                Matcher p99 = P99.matcher(output);
                if (!requests.find() || !p99.find()) {
                    throw new IOException("no Requests/sec or 99% latency in wrk's output:\n" + output);
                }
                double millis = Double.parseDouble(p99.group(1)) * switch (p99.group(2)) {
                    case "us" -> 0.001;
                    case "ms" -> 1.0;
                    default -> 1000.0;
                };
                System.out.printf(Locale.ROOT, "   %s requests/s, p99 %.2f ms%n", requests.group(1), millis);
                rows.add(String.format(Locale.ROOT,
                        "  {\"backend\": \"%s\", \"tls\": %b, \"connections\": %d, \"seconds\": %d, "
                                + "\"requestsPerSecond\": %s, \"p99Millis\": %.3f}",
                        backend, tls != null, CONNECTIONS, seconds, requests.group(1), millis));
            }
        }
        Files.writeString(out, "[\n" + String.join(",\n", rows) + "\n]\n");
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
