package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The outcomes other than OK a peer is known to have, each with its reason, read from
 * properties files among the test resources: {@code case id = OUTCOME: reason}. A run conforms
 * when every non-OK outcome is listed with that outcome and every listed case that ran had the
 * listed outcome (no stale entries). FAILED may be listed only for a peer written elsewhere whose
 * known bug the suite is right to find (the suite's own checks); never for Atoll.
 */
public final class Expectations {

    /** A listed outcome and its reason. */
    record Expected(Outcome outcome, String reason) {
    }

    private final Map<String, Expected> expected;

    private Expectations(Map<String, Expected> expected) {
        this.expected = expected;
    }

    /**
     * Reads and merges expectation files.
     *
     * @param knownBugs whether FAILED may be listed (a peer written elsewhere, with a known bug)
     * @param resources their names among the test resources, from the root
     * @return the expectations
     * @throws IllegalArgumentException when a file is missing, an entry has no reason, or names OK
     *                                  (or FAILED, unless {@code knownBugs})
     */
    public static Expectations load(boolean knownBugs, String... resources) throws IOException {
        Map<String, Expected> all = new LinkedHashMap<>();
        for (String resource : resources) {
            Properties p = new Properties();
            try (InputStream in = Expectations.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no expectations file " + resource);
                }
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            for (String id : p.stringPropertyNames()) {
                String value = p.getProperty(id);
                int colon = value.indexOf(':');
                if (colon < 0 || value.substring(colon + 1).isBlank()) {
                    throw new IllegalArgumentException(resource + ": " + id + " needs OUTCOME: reason, not " + value);
                }
                Outcome outcome = Outcome.ofLabel(value.substring(0, colon).trim());
                if (outcome == Outcome.OK || outcome == Outcome.FAILED && !knownBugs) {
                    throw new IllegalArgumentException(resource + ": " + id + " lists " + outcome.label() + "; only"
                            + " NON-STRICT, INFORMATIONAL and UNIMPLEMENTED may be expected here");
                }
                all.put(id, new Expected(outcome, value.substring(colon + 1).trim()));
            }
        }
        return new Expectations(all);
    }

    /**
     * @param results a run's results
     * @return what breaks the expectations, one line each; empty when the run conforms
     */
    public List<String> check(List<CaseResult> results) {
        List<String> problems = new ArrayList<>();
        for (CaseResult r : results) {
            Expected e = expected.get(r.id());
            if (e == null && r.outcome() == Outcome.FAILED) {
                problems.add(r.id() + " FAILED: " + r.detail());
            } else if (e == null && r.outcome() != Outcome.OK) {
                problems.add(r.id() + " " + r.outcome().label() + " is not listed with a reason: " + r.detail());
            } else if (e != null && e.outcome() != r.outcome()) {
                problems.add(r.id() + " is listed as " + e.outcome().label() + " (" + e.reason() + ") but was "
                        + r.outcome().label() + ": " + r.detail());
            }
        }
        return problems;
    }
}
