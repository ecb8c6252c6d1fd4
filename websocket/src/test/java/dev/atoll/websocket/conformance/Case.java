package dev.atoll.websocket.conformance;

import java.time.Duration;

/**
 * One conformance case: an Autobahn|Testsuite case id and its intent, run within a bounded time.
 *
 * @param id          the id, Autobahn's where Autobahn has the case
 * @param description what the suite does and expects
 * @param only        the side the suite must play for this case, or {@code null} for either
 * @param limit       the time the case may take; past it, it is {@link Outcome#FAILED}
 * @param script      the case
 */
public record Case(String id, String description, Role only, Duration limit, Script script) {

    /** The time most cases may take. */
    static final Duration LIMIT = Duration.ofSeconds(4);

    /** A case's steps. */
    @FunctionalInterface
    public interface Script {
        /**
         * @param run the connections and the time left
         * @return the verdict
         */
        Verdict run(CaseRun run) throws Exception;
    }

    static Case of(String id, String description, Script script) {
        return new Case(id, description, null, LIMIT, script);
    }

    /** {@return whether the case is selected by one of the id prefixes (all when there are none)} */
    boolean selectedBy(java.util.List<String> prefixes) {
        return prefixes.isEmpty() || prefixes.stream().anyMatch(p -> id.equals(p) || id.startsWith(p.endsWith(".") ? p : p + "."));
    }
}
