package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs cases against a peer one after the other, each on fresh connections within its time
 * (a watchdog closes its connections when the time is up), and writes the report.
 */
public final class ConformanceRunner {

    /** The system property selecting cases by id prefix, comma-separated ({@code 5.,6.4}); all when unset. */
    public static final String SELECTION = "atoll.ws.cases";

    /** Where the reports go. */
    public static final Path REPORTS = Path.of("target", "websocket-conformance");

    private ConformanceRunner() {
    }

    /** {@return the id prefixes {@link #SELECTION} names, none for all} */
    public static List<String> selection() {
        String property = System.getProperty(SELECTION, "").trim();
        return property.isEmpty() ? List.of() : Arrays.stream(property.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Runs the selected cases that apply to the connector's role.
     *
     * @param connector opens connections with the peer under test
     * @param cases     the cases
     * @param selection id prefixes, none for all
     * @return the results, in the cases' order
     */
    public static List<CaseResult> run(Connector connector, List<Case> cases, List<String> selection) {
        List<CaseResult> results = new ArrayList<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "websocket-conformance-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Case c : cases) {
                if (c.selectedBy(selection) && (c.only() == null || c.only() == connector.role())) {
                    results.add(run(connector, c, watchdog));
                }
            }
        } finally {
            watchdog.shutdownNow();
        }
        return results;
    }

    private static CaseResult run(Connector connector, Case c, ScheduledExecutorService watchdog) {
        long start = System.nanoTime();
        Verdict verdict;
        try (CaseRun run = new CaseRun(connector, c.limit())) {
            ScheduledFuture<?> timeout = watchdog.schedule(run::close, c.limit().toMillis() + 500, TimeUnit.MILLISECONDS);
            try {
                verdict = c.script().run(run);
            } catch (Connector.HandshakeException e) {
                verdict = Verdict.failed("opening handshake: " + e.getMessage());
            } catch (IOException e) {
                verdict = Verdict.failed("I/O: " + e);
            } finally {
                timeout.cancel(false);
            }
        } catch (Exception e) {
            verdict = Verdict.failed("the case broke: " + e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis > c.limit().toMillis() + 500 && verdict.outcome() != Outcome.FAILED) {
            verdict = Verdict.failed("not done within " + c.limit().toMillis() + " ms (" + verdict.detail() + ")");
        }
        return new CaseResult(c.id(), c.description(), verdict.outcome(), verdict.detail(), millis);
    }

    /**
     * Writes {@code <name>.md} and {@code <name>.json} under {@link #REPORTS}.
     *
     * @param name    the target's name
     * @param results the results
     * @return the Markdown report's path
     */
    public static Path report(String name, List<CaseResult> results) throws IOException {
        Files.createDirectories(REPORTS);
        String file = name.replaceAll("[^A-Za-z0-9._-]+", "-");
        StringBuilder md = new StringBuilder("# WebSocket conformance: " + name + "\n\n");
        long total = results.stream().mapToLong(CaseResult::millis).sum();
        md.append(results.size()).append(" cases in ").append(total).append(" ms:");
        for (Outcome o : Outcome.values()) {
            long n = results.stream().filter(r -> r.outcome() == o).count();
            if (n > 0) {
                md.append(' ').append(o.label()).append(' ').append(n).append(',');
            }
        }
        md.setLength(md.length() - 1);
        md.append("\n\n| case | outcome | ms | description | detail |\n|---|---|---|---|---|\n");
        StringBuilder json = new StringBuilder("{\"target\":" + quote(name) + ",\"cases\":[");
        for (CaseResult r : results) {
            md.append("| ").append(r.id()).append(" | ").append(r.outcome().label()).append(" | ").append(r.millis()).append(" | ")
                    .append(cell(r.description())).append(" | ").append(cell(r.detail())).append(" |\n");
            json.append("\n{\"id\":").append(quote(r.id())).append(",\"description\":").append(quote(r.description()))
                    .append(",\"outcome\":").append(quote(r.outcome().label())).append(",\"detail\":").append(quote(r.detail()))
                    .append(",\"durationMillis\":").append(r.millis()).append("},");
        }
        if (!results.isEmpty()) {
            json.setLength(json.length() - 1);
        }
        json.append("\n]}\n");
        Path markdown = REPORTS.resolve(file + ".md");
        Files.writeString(markdown, md, StandardCharsets.UTF_8);
        Files.writeString(REPORTS.resolve(file + ".json"), json, StandardCharsets.UTF_8);
        return markdown;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        q.append(String.format("\\u%04x", (int) ch));
                    } else {
                        q.append(ch);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
