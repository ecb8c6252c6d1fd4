package dev.atoll.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a results folder of {@code bench/run} as {@code RESULTS.md} (one table per workload,
 * with the ratios against the baselines measured in the same run, and the targets met or
 * missed) and {@code chart.svg} (every target ratio against its target). Reads
 * {@code results.json} and every {@code results-*.json} (JMH runs of one profile with
 * parameters of their own), and {@code machine.json}, {@code wrk.json} and
 * {@code openssl-speed.txt} where present. Argument: the folder.
 */
public final class Report {

    /** One JMH result: the benchmark's short name, its parameters, score and counters. */
    record Result(String benchmark, Map<String, String> params, double score, double error, String unit,
            Map<String, Double> secondary) {
    }

    /** A target of the benchmarks issue, checked against one measured ratio. */
    record Target(String measure, double ratio, double target, boolean atMost) {
        boolean met() {
            return atMost ? ratio <= target : ratio >= target;
        }
    }

    private final List<Result> results;
    private final StringBuilder md = new StringBuilder();
    private final List<Target> targets = new ArrayList<>();

    private Report(List<Result> results) {
        this.results = results;
    }

    /**
     * Writes RESULTS.md and chart.svg into the folder.
     *
     * @param args the results folder
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: bench/run report RESULTS-FOLDER");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Path> jmh = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "results*.json")) {
            files.forEach(jmh::add);
        }
        jmh.sort(null);
        List<Result> results = new ArrayList<>();
        for (Path file : jmh) {
            results.addAll(read(Files.readString(file)));
        }
        Report report = new Report(results);
        report.render(dir);
        Files.writeString(dir.resolve("RESULTS.md"), report.md);
        Files.writeString(dir.resolve("chart.svg"), Chart.svg(report.targets));
    }

    @SuppressWarnings("unchecked")
    static List<Result> read(String json) {
        List<Result> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(json)) {
            Map<String, Object> r = (Map<String, Object>) o;
            String name = (String) r.get("benchmark");
            String[] parts = name.split("\\.");
            String benchmark = parts[parts.length - 2].replace("Benchmark", "");
            Map<String, String> params = new LinkedHashMap<>();
            Map<String, Object> p = (Map<String, Object>) r.getOrDefault("params", Map.of());
            p.forEach((k, v) -> params.put(k, String.valueOf(v)));
            Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
            Map<String, Double> secondary = new LinkedHashMap<>();
            Map<String, Object> s = (Map<String, Object>) r.getOrDefault("secondaryMetrics", Map.of());
            s.forEach((k, v) -> secondary.put(k, number(((Map<String, Object>) v).get("score"))));
            out.add(new Result(benchmark, params, number(primary.get("score")), number(primary.get("scoreError")),
                    (String) primary.get("scoreUnit"), secondary));
        }
        return out;
    }

    private static double number(Object o) {
        return o instanceof Double d ? d : Double.NaN;
    }

    private Optional<Result> find(String benchmark, String... params) {
        outer:
        for (Result r : results) {
            if (!r.benchmark.equals(benchmark)) {
                continue;
            }
            for (int i = 0; i < params.length; i += 2) {
                if (!params[i + 1].equals(r.params.get(params[i]))) {
                    continue outer;
                }
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    private List<String> values(String benchmark, String param) {
        return results.stream().filter(r -> r.benchmark.equals(benchmark)).map(r -> r.params.get(param)).distinct()
                .sorted((a, b) -> isNumber(a) && isNumber(b) ? Double.compare(Double.parseDouble(a), Double.parseDouble(b)) : 0)
                .toList();
    }

    private static boolean isNumber(String s) {
        return s != null && s.matches("[0-9.]+");
    }

    // --- rendering

    private void render(Path dir) throws IOException {
        md.append("# Benchmark results\n\n");
        Path machine = dir.resolve("machine.json");
        if (Files.exists(machine)) {
            machine(Files.readString(machine));
        }
        md.append("Ratios compare numbers measured in this one run; absolute numbers depend on the machine. ")
                .append("The tables give JMH's scores; their 99.9% error intervals are in results.json.\n\n");
        echo();
        webSocketEcho();
        webSocketClientEcho();
        bulk();
        sendfile();
        handshakes();
        tlsBulk(dir.resolve("openssl-speed.txt"));
        idle("IdleMemory", "Memory per idle connection (`IdleMemoryBenchmark`)", List.of("nio", "iouring", "jsse", "bctls"));
        idle("WebSocketIdleMemory", "Memory per idle WebSocket session (`WebSocketIdleMemoryBenchmark`)", List.of());
        wrk(dir.resolve("wrk.json"));
        targets();
    }

    @SuppressWarnings("unchecked")
    private void machine(String json) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(json);
        md.append("Machine: ").append(String.format(Locale.ROOT, "%.0f", (Double) m.get("cores"))).append(" cores (")
                .append(m.get("cpu")).append("), ").append(String.format(Locale.ROOT, "%.0f", (Double) m.get("memoryGiB")))
                .append(" GiB; ").append(m.get("jdk")).append("; ").append(m.get("kernel")).append("; io_uring ")
                .append(m.get("ioUring")).append("; poller: ").append(m.get("pollerMode")).append(". Run ")
                .append(m.get("date")).append(".\n\n");
    }

    private void echo() {
        if (values("Echo", "server").isEmpty()) {
            return;
        }
        md.append("## Echo (`EchoBenchmark`): requests/s, the same one-thread JDK client for every server\n\n");
        for (String size : values("Echo", "size")) {
            md.append("Messages of ").append(size).append(" B.\n\n");
            double serverTarget = size.equals("64") ? 0.97 : 0;   // the server layer's target: small messages
            table("connections", values("Echo", "connections"),
                    List.of("jdk-vthreads", "netty-nio", "netty-iouring", "nio", "iouring", "server-nio", "server-iouring"),
                    (conns, server) -> find("Echo", "size", size, "connections", conns, "server", server)
                            .map(r -> r.score * Integer.parseInt(conns)),
                    this::count,
                    List.of(new Ratio("nio", "jdk-vthreads", 0.95, 16), new Ratio("nio", "netty-nio", 0.85, 64),
                            new Ratio("iouring", "netty-iouring", 0.85, 64), new Ratio("iouring", "nio", 1.0, 64),
                            new Ratio("server-nio", "nio", serverTarget, 64),
                            new Ratio("server-iouring", "iouring", serverTarget, 64)),
                    "echo " + size + " B");
        }
        md.append("`server-nio` and `server-iouring` run the same echo as a handler of Atoll's `Server` (acceptors, ")
                .append("limits, telemetry, drain); `nio` and `iouring` on a bare `Listener` loop. Their ratio is the ")
                .append("server layer's cost.\n\n");
    }

    private void bulk() {
        if (values("Bulk", "server").isEmpty()) {
            return;
        }
        md.append("## One-way bulk (`BulkBenchmark`): MiB/s the server sends, by the size of its send calls\n\n");
        table("write size (B)", values("Bulk", "writeSize"), List.of("jdk-vthreads", "netty-nio", "netty-iouring", "nio", "iouring"),
                (size, server) -> find("Bulk", "writeSize", size, "server", server).map(Result::score), this::count,
                List.of(new Ratio("nio", "jdk-vthreads", 0, 0), new Ratio("nio", "netty-nio", 0, 0),
                        new Ratio("iouring", "netty-iouring", 0, 0), new Ratio("iouring", "nio", 0, 0)),
                "bulk");
    }

    private void sendfile() {
        if (values("Sendfile", "backend").isEmpty()) {
            return;
        }
        md.append("## sendfile versus read-and-send (`SendfileBenchmark`): MiB/s of one whole file\n\n");
        List<String> rows = values("Sendfile", "backend");
        String mib = values("Sendfile", "fileMiB").get(0);
        md.append("A ").append(mib).append(" MiB file, plain (`nio`, `iouring`) and TLS 1.3 (`jsse`, `bctls`).\n\n");
        md.append("| backend | sendfile MiB/s | read-and-send MiB/s | sendfile / read-and-send |\n|---|---|---|---|\n");
        for (String backend : rows) {
            Optional<Double> sf = find("Sendfile", "backend", backend, "method", "sendfile").map(r -> r.score * Double.parseDouble(mib));
            Optional<Double> rs = find("Sendfile", "backend", backend, "method", "read-and-send").map(r -> r.score * Double.parseDouble(mib));
            md.append("| `").append(backend).append("` | ").append(sf.map(this::count).orElse("-")).append(" | ")
                    .append(rs.map(this::count).orElse("-")).append(" | ");
            if (sf.isPresent() && rs.isPresent()) {
                double ratio = sf.get() / rs.get();
                md.append(ratio(ratio));
                if (backend.equals("nio") || backend.equals("iouring")) {
                    targets.add(new Target("sendfile / read-and-send, " + backend, ratio, 1.3, false));
                }
            } else {
                md.append("-");
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    private void handshakes() {
        if (values("TlsHandshake", "server").isEmpty()) {
            return;
        }
        md.append("## TLS handshakes per second (`TlsHandshakeBenchmark`), the same JDK `SSLSocket` client for every server\n\n");
        List<String> rows = new ArrayList<>();
        for (String protocol : values("TlsHandshake", "protocol")) {
            for (String session : values("TlsHandshake", "session")) {
                rows.add(protocol + " " + session);
            }
        }
        table("protocol, handshake", rows, List.of("sslsocket", "jsse", "bctls", "bctls-bc"),
                (row, server) -> find("TlsHandshake", "protocol", row.split(" ")[0], "session", row.split(" ")[1],
                        "server", server).map(Result::score),
                this::count,
                List.of(new Ratio("jsse", "sslsocket", 0.9, 0), new Ratio("bctls", "jsse", 1.0, 0)),
                "handshakes");
        md.append("A missing number means the server did not do that kind of handshake: the benchmark checks that ")
                .append("a resumed handshake really skipped the certificate and fails otherwise (Bouncy Castle's TLS 1.3 ")
                .append("server does not resume sessions).\n\n");
    }

    private void tlsBulk(Path opensslSpeed) throws IOException {
        if (values("TlsBulk", "server").isEmpty()) {
            return;
        }
        Double ceiling = null;
        if (Files.exists(opensslSpeed)) {
            Matcher m = Pattern.compile("(?m)^AES-128-GCM\\s.*\\s([0-9.]+)k\\s*$").matcher(Files.readString(opensslSpeed));
            if (m.find()) {
                ceiling = Double.parseDouble(m.group(1)) * 1000 / 1024 / 1024;   // openssl's k is 1000 bytes
            }
        }
        md.append("## TLS 1.3 bulk, AES-128-GCM (`TlsBulkBenchmark`): MiB/s the server sends to a JDK `SSLSocket`\n\n");
        md.append("| server | MiB/s | vs `sslsocket` | share of `openssl speed` |\n|---|---|---|---|\n");
        Optional<Result> base = find("TlsBulk", "server", "sslsocket");
        for (String server : List.of("sslsocket", "jsse", "bctls", "bctls-bc")) {
            Optional<Result> r = find("TlsBulk", "server", server);
            if (r.isEmpty()) {
                continue;
            }
            md.append("| `").append(server).append("` | ").append(count(r.get().score)).append(" | ");
            if (base.isPresent()) {
                double ratio = r.get().score / base.get().score;
                md.append(ratio(ratio));
                if (server.equals("jsse")) {
                    targets.add(new Target("TLS bulk, jsse / sslsocket", ratio, 0.9, false));
                }
            }
            md.append(" | ").append(ceiling == null ? "-" : ratio(r.get().score / ceiling)).append(" |\n");
        }
        md.append('\n');
        if (ceiling != null) {
            md.append(String.format(Locale.ROOT, "Ceiling: `openssl speed -evp aes-128-gcm` with 16 KiB blocks, one core: "
                    + "%,.0f MiB/s (encryption alone, no TLS, no socket).%n%n", ceiling));
        }
    }

    private void webSocketEcho() {
        if (values("WebSocketEcho", "server").isEmpty()) {
            return;
        }
        md.append("## WebSocket echo (`WebSocketEchoBenchmark`): messages/s, the same raw-frame client for every server\n\n");
        for (String deflate : values("WebSocketEcho", "deflate")) {
            for (String size : values("WebSocketEcho", "size")) {
                md.append("Binary messages of ").append(size).append(" B, permessage-deflate ")
                        .append(deflate.equals("true") ? "negotiated" : "off").append(".\n\n");
                table("connections", values("WebSocketEcho", "connections"),
                        List.of("netty-nio", "netty-iouring", "jetty", "atoll-nio", "atoll-iouring"),
                        (conns, server) -> find("WebSocketEcho", "deflate", deflate, "size", size, "connections", conns,
                                "server", server).map(r -> r.score * Integer.parseInt(conns)),
                        this::count,
                        List.of(new Ratio("atoll-nio", "netty-nio", 0, 0), new Ratio("atoll-iouring", "netty-iouring", 0, 0),
                                new Ratio("atoll-nio", "jetty", 0, 0)),
                        "websocket echo " + size + " B");
            }
        }
        double clientCores = results.stream().filter(r -> r.benchmark.equals("WebSocketEcho"))
                .mapToDouble(r -> r.secondary.getOrDefault("clientCores", Double.NaN)).max().orElse(Double.NaN);
        md.append("The client (`WebSocketLoad`) used at most ").append(ratio(clientCores))
                .append(" cores in any of these runs (its threads' CPU time over the measured time).\n\n");
    }

    private void webSocketClientEcho() {
        String b = "WebSocketClientEcho";
        if (values(b, "client").isEmpty()) {
            return;
        }
        md.append("## WebSocket clients (`WebSocketClientEchoBenchmark`): messages/s, every client against the same ")
                .append("raw Netty echo server on NIO\n\n");
        List<String> clients = List.of("jdk", "netty-nio", "atoll-nio", "atoll-iouring");
        for (String size : values(b, "size")) {
            md.append("Binary messages of ").append(size).append(" B, one in flight on each session.\n\n");
            table("connections", values(b, "connections"), clients,
                    (conns, client) -> find(b, "size", size, "connections", conns, "client", client)
                            .map(r -> r.score * Integer.parseInt(conns)),
                    this::count,
                    List.of(new Ratio("atoll-nio", "jdk", 1.0, 0), new Ratio("atoll-iouring", "jdk", 1.0, 0),
                            new Ratio("atoll-nio", "netty-nio", 0, 0), new Ratio("atoll-iouring", "netty-nio", 0, 0)),
                    "websocket client " + size + " B");
            md.append("The CPU each client used, in cores (the JVM's CPU time besides the server's, over the measured time):\n\n");
            table("connections", values(b, "connections"), clients,
                    (conns, client) -> find(b, "size", size, "connections", conns, "client", client)
                            .map(r -> r.secondary.getOrDefault("clientCores", Double.NaN)),
                    this::cores, List.of(), "");
        }
        double serverCores = results.stream().filter(r -> r.benchmark.equals(b))
                .mapToDouble(r -> r.secondary.getOrDefault("serverCores", Double.NaN)).max().orElse(Double.NaN);
        md.append("The server used at most ").append(ratio(serverCores))
                .append(" cores in any of these runs (its event loop threads' CPU time over the measured time).\n\n");
    }

    private void idle(String benchmark, String title, List<String> withTarget) {
        if (values(benchmark, "server").isEmpty()) {
            return;
        }
        String n = values(benchmark, "idleConnections").get(0);
        md.append("## ").append(title).append(", ").append(n).append(" connections\n\n");
        md.append("The server in its own JVM; live heap after a full GC, and resident memory outside the heap.\n\n");
        md.append("| server | heap B/conn | off-heap B/conn | total B/conn | vs `netty-nio` |\n|---|---|---|---|---|\n");
        Function<Result, Double> total = r -> r.secondary.getOrDefault("heapBytes", Double.NaN)
                + r.secondary.getOrDefault("offHeapBytes", Double.NaN);
        Optional<Result> base = find(benchmark, "server", "netty-nio");
        for (String server : values(benchmark, "server")) {
            Result r = find(benchmark, "server", server).orElseThrow();
            md.append("| `").append(server).append("` | ").append(count(r.secondary.get("heapBytes"))).append(" | ")
                    .append(count(r.secondary.get("offHeapBytes"))).append(" | ").append(count(total.apply(r))).append(" | ");
            if (base.isPresent()) {
                double ratio = total.apply(r) / total.apply(base.get());
                md.append(ratio(ratio));
                if (withTarget.contains(server)) {
                    targets.add(new Target("idle memory, " + server + " / netty-nio", ratio, 2.5, true));
                }
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private void wrk(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Object json = Json.parse(Files.readString(file));
        md.append("## HTTP/1.1 through `bench/run serve` under `wrk`\n\n");
        if (json instanceof Map<?, ?> skipped) {
            md.append("Not run: ").append(skipped.get("skipped")).append(".\n\n");
            return;
        }
        md.append("`wrk -t1 -c").append(WrkRun.CONNECTIONS).append("` against the minimal HTTP/1.1 responder; ")
                .append("TLS ones over TLS 1.3.\n\n| backend | requests/s | p99 latency (ms) |\n|---|---|---|\n");
        for (Object o : (List<Object>) json) {
            Map<String, Object> row = (Map<String, Object>) o;
            md.append("| `").append(row.get("backend")).append("` | ").append(count((Double) row.get("requestsPerSecond")))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", (Double) row.get("p99Millis"))).append(" |\n");
        }
        md.append('\n');
    }

    private void targets() {
        if (targets.isEmpty()) {
            return;
        }
        md.append("## Targets\n\n![every target ratio against its target](chart.svg)\n\n");
        md.append("| measure | target | measured | met |\n|---|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.measure).append(" | ").append(t.atMost ? "at most " : "at least ")
                    .append(String.format(Locale.ROOT, "%.2f", t.target)).append(" | ").append(ratio(t.ratio))
                    .append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
        }
        md.append('\n');
    }

    /** A ratio column: server over baseline; a target applies from {@code fromRow} (a number) on, 0 = none. */
    record Ratio(String server, String baseline, double target, int fromRow) {
    }

    private interface Cell {
        Optional<Double> value(String row, String column);
    }

    private void table(String rowName, List<String> rows, List<String> columns, Cell cell, Function<Double, String> format,
            List<Ratio> ratios, String measure) {
        List<String> present = columns.stream()
                .filter(c -> rows.stream().anyMatch(r -> cell.value(r, c).isPresent())).toList();
        md.append("| ").append(rowName);
        present.forEach(c -> md.append(" | `").append(c).append('`'));
        ratios.forEach(r -> md.append(" | `").append(r.server).append("` / `").append(r.baseline).append('`'));
        md.append(" |\n|---");
        present.forEach(c -> md.append("|---"));
        ratios.forEach(r -> md.append("|---"));
        md.append("|\n");
        for (String row : rows) {
            md.append("| ").append(row);
            for (String c : present) {
                md.append(" | ").append(cell.value(row, c).map(format).orElse("-"));
            }
            for (Ratio r : ratios) {
                Optional<Double> a = cell.value(row, r.server);
                Optional<Double> b = cell.value(row, r.baseline);
                if (a.isPresent() && b.isPresent()) {
                    double ratio = a.get() / b.get();
                    md.append(" | ").append(ratio(ratio));
                    boolean applies = r.target > 0 && (!isNumber(row) || Double.parseDouble(row) >= r.fromRow);
                    if (applies) {
                        targets.add(new Target(measure + ", " + row + (isNumber(row) ? " conns" : "") + ": `" + r.server
                                + "` / `" + r.baseline + "`", ratio, r.target, false));
                    }
                } else {
                    md.append(" | -");
                }
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    private String count(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private String cores(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }
}
