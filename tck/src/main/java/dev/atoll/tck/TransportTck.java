package dev.atoll.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The TCK as JUnit Jupiter tests. Extend it in a test class of your transport's build and say
 * what to check:
 *
 * <pre>{@code
 * class MyTransportConformanceTest extends TransportTck {
 *     @Override
 *     protected TckSubject subject() {
 *         return TckSubject.of(MyTransport::new, Capability.PLAIN_TCP);
 *     }
 * }
 * }</pre>
 *
 * Each rule is one test named after its id; each group ends with its leak (LEAK-1) and pinning
 * (PIN-1) checks. A rule the transport does not claim is reported as skipped with the reason.
 */
public abstract class TransportTck {

    private TckRun run;

    /** For subclasses, which name the subject. */
    protected TransportTck() {
    }

    /**
     * The transport to check and what it claims.
     *
     * @return the subject
     */
    protected abstract TckSubject subject();

    /**
     * The seed of the rules' random data; override to repeat a failing run. By default it is
     * the system property {@code atoll.tck.seed}, or fixed.
     *
     * @return the seed
     */
    protected long seed() {
        return Long.getLong("atoll.tck.seed", 20_261_122L);
    }

    /**
     * The groups of rules to run; by default {@link Rules#groups()}.
     *
     * @return the groups
     */
    protected List<RuleGroup> groups() {
        return Rules.groups();
    }

    /**
     * The id prefixes of the rules to run, from the system property {@code atoll.tck.only}
     * ({@code -Datoll.tck.only=RECV,TLS-2}); empty for every rule.
     *
     * @return the prefixes
     */
    protected List<String> only() {
        String only = System.getProperty("atoll.tck.only", "");
        return java.util.Arrays.stream(only.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    /**
     * The conformance tests, one container per group.
     *
     * @return the tests
     * @throws Exception when the transport cannot be made or cannot connect to itself
     */
    @TestFactory
    Stream<DynamicNode> conformance() throws Exception {
        TckSubject subject = subject();
        run = TckRun.start(subject, seed());
        List<DynamicNode> containers = new ArrayList<>();
        List<String> only = only();
        for (RuleGroup group : groups()) {
            List<DynamicTest> tests = new ArrayList<>();
            for (Rule rule : group.rules()) {
                if (only.isEmpty() || only.stream().anyMatch(rule.id()::startsWith)) {
                    tests.add(DynamicTest.dynamicTest(rule.toString(), () -> report(run.run(group, rule))));
                }
            }
            if (tests.isEmpty()) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(Rules.LEAK + " (" + group.name() + ")", () -> report(run.leakCheck(group))));
            tests.add(DynamicTest.dynamicTest(Rules.PIN + " (" + group.name() + ")", () -> report(run.pinningCheck(group))));
            containers.add(DynamicContainer.dynamicContainer(subject.name() + ": " + group.name(), tests));
        }
        return containers.stream();
    }

    private static void report(RuleResult result) throws Throwable {
        switch (result.status()) {
            case PASSED -> { }
            case SKIPPED -> Assumptions.abort(result.message());
            case FAILED -> throw result.failure() instanceof AssertionError ? result.failure()
                    : new RuleViolation(result.message(), result.failure());
        }
    }

    @AfterEach
    void closeRun() {
        if (run != null) {
            run.close();
        }
    }
}
