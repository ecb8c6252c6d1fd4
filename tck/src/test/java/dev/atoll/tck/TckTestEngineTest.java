package dev.atoll.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import com.example.blocking.BlockingSocketTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.TestAbortedException;

/**
 * The TCK's engine, run through the JUnit Platform launcher as Surefire, Gradle and IDEs run it:
 * a {@link TransportTck} class is a class of the report, each rule a test named by its id and
 * the rule, skips carry their reason and failures their violation, and JUnit Jupiter does not
 * run the class a second time.
 */
class TckTestEngineTest {

    /** What {@link Fixture} checks in the current test. */
    private record Scenario(Supplier<TckSubject> subject, Supplier<List<RuleGroup>> groups, List<String> only) {
    }

    private static volatile Scenario scenario;

    /**
     * The class the launcher runs. Outside these tests (an IDE's run of the package) it has no
     * scenario and skips every rule, saying so.
     */
    static final class Fixture extends TransportTck {
        @Override
        protected TckSubject subject() {
            if (scenario == null) {
                throw new TestAbortedException("a fixture of TckTestEngineTest, run by its tests");
            }
            return scenario.subject().get();
        }

        @Override
        protected List<RuleGroup> groups() {
            return scenario == null ? super.groups() : scenario.groups().get();
        }

        @Override
        protected List<String> only() {
            return scenario == null ? super.only() : scenario.only();
        }

        @Override
        protected long seed() {
            return 42;
        }
    }

    /** One event of the launcher. */
    private record Event(String type, TestIdentifier test, String detail) {
        String name() {
            return test.getDisplayName();
        }
    }

    private static final class Recorder implements TestExecutionListener {
        final List<Event> events = new ArrayList<>();

        @Override
        public void executionStarted(TestIdentifier test) {
            events.add(new Event("started", test, ""));
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            events.add(new Event("skipped", test, reason));
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            events.add(new Event(result.getStatus().name().toLowerCase(java.util.Locale.ROOT), test,
                    result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("")));
        }

        List<Event> ofTests() {
            return events.stream().filter(e -> e.test().isTest()).toList();
        }
    }

    private static TckSubject blocking() {
        return TckSubject.of(BlockingSocketTransport::new, BlockingSocketTransportConformanceTest.BLOCKING_CLAIMS);
    }

    private static final Launcher LAUNCHER = LauncherFactory.create();

    private static TestPlan discover(DiscoverySelector selector) {
        return LAUNCHER.discover(LauncherDiscoveryRequestBuilder.request().selectors(selector).build());
    }

    private static Recorder execute(DiscoverySelector selector) {
        Recorder recorder = new Recorder();
        LAUNCHER.execute(LauncherDiscoveryRequestBuilder.request().selectors(selector).build(), recorder);
        return recorder;
    }

    @AfterEach
    void noScenario() {
        scenario = null;
    }

    @Test
    void theClassIsTheSubclassAndEachTestIsNamedByItsRuleIdAndRule() {
        scenario = new Scenario(TckTestEngineTest::blocking, Rules::groups, List.of("RECV-3", "SEND-1"));
        TestPlan plan = discover(selectClass(Fixture.class));
        TestIdentifier engine = plan.getRoots().stream().filter(root -> root.getUniqueId().contains(TckTestEngine.ID))
                .findFirst().orElseThrow();
        List<TestIdentifier> classes = List.copyOf(plan.getChildren(engine));
        assertEquals(1, classes.size());
        TestIdentifier testClass = classes.get(0);
        assertEquals(Fixture.class.getName(), testClass.getDisplayName());
        assertEquals(ClassSource.from(Fixture.class), testClass.getSource().orElseThrow());
        List<String> names = plan.getChildren(testClass).stream().map(TestIdentifier::getDisplayName).toList();
        Rule recv3 = rule("RECV-3");
        Rule send1 = rule("SEND-1");
        assertEquals(List.of("RECV-3 " + recv3.title(), "SEND-1 " + send1.title(), "LEAK-1 (data) " + Rules.LEAK.title(),
                "PIN-1 (data) " + Rules.PIN.title()), names);
        for (TestIdentifier test : plan.getChildren(testClass)) {
            assertTrue(test.isTest());
            assertEquals(test.getDisplayName(), test.getLegacyReportingName());
            assertTrue(test.getSource().isEmpty(), "Surefire names a test without a source by its display name");
        }
    }

    @Test
    void jupiterDoesNotRunTheClassASecondTime() {
        scenario = new Scenario(TckTestEngineTest::blocking, Rules::groups, List.of("RECV-3"));
        TestPlan plan = discover(selectClass(Fixture.class));
        for (TestIdentifier root : plan.getRoots()) {
            if (!root.getUniqueId().contains(TckTestEngine.ID)) {
                assertEquals(0, plan.getDescendants(root).size(), root.getUniqueId() + " found " + plan.getDescendants(root));
            }
        }
    }

    @Test
    void passesSkipsWithTheReasonAndFailsWithTheViolation() {
        RuleGroup group = new RuleGroup("engine", List.of(
                new Rule("ENGINE-1", "passes", null, tck -> { }),
                new Rule("ENGINE-2", "needs TLS", Capability.TLS, tck -> { }),
                new Rule("ENGINE-3", "is broken", null, tck -> {
                    throw tck.violation("the check found what it looks for", null);
                })));
        scenario = new Scenario(TckTestEngineTest::blocking, () -> List.of(group), List.of());
        Recorder recorder = execute(selectClass(Fixture.class));
        List<String> outcomes = recorder.ofTests().stream().filter(e -> !e.type().equals("started"))
                .map(e -> e.name().split(" ")[0] + " " + e.type()).toList();
        assertEquals(List.of("ENGINE-1 successful", "ENGINE-2 aborted", "ENGINE-3 failed", "LEAK-1 successful", "PIN-1 successful"),
                outcomes, recorder.events.toString());
        Event skipped = recorder.ofTests().get(3);
        assertEquals("TestAbortedException: blocking does not claim TLS", skipped.detail());
        Event failed = recorder.ofTests().get(5);
        assertTrue(failed.detail().startsWith("RuleViolation: [ENGINE-3] blocking: the check found what it looks for (seed 42"),
                failed.detail());
    }

    @Test
    void eachGroupEndsWithItsLeakAndPinChecksOfTheRulesThatRan() {
        scenario = new Scenario(TckTestEngineTest::blocking, Rules::groups, List.of("RECV-3"));
        Recorder recorder = execute(selectClass(Fixture.class));
        List<String> outcomes = recorder.ofTests().stream().filter(e -> !e.type().equals("started"))
                .map(e -> e.name().split(" ")[0] + " " + e.type()).toList();
        assertEquals(List.of("RECV-3 successful", "LEAK-1 successful", "PIN-1 successful"), outcomes, recorder.events.toString());
    }

    @Test
    void aSelectionThatSelectsNothingIsAFailingTestThatSaysWhy() {
        scenario = new Scenario(() -> {
            throw new AssertionError("no subject is made for a selection that selects nothing");
        }, Rules::groups, List.of("NOPE-1"));
        Recorder recorder = execute(selectClass(Fixture.class));
        List<Event> finished = recorder.ofTests().stream().filter(e -> !e.type().equals("started")).toList();
        assertEquals(1, finished.size(), recorder.events.toString());
        assertEquals("atoll.tck.only=NOPE-1", finished.get(0).name());
        assertEquals("failed", finished.get(0).type());
        assertTrue(finished.get(0).detail().contains("no rule of the TCK has the id or family NOPE-1"), finished.get(0).detail());
        assertTrue(recorder.events.stream().noneMatch(e -> e.type().equals("failed") && !e.test().isTest()),
                "the class itself does not fail: " + recorder.events);
    }

    @Test
    void aSubjectThatAbortsSkipsEveryRuleWithItsReason() {
        scenario = new Scenario(() -> {
            throw new TestAbortedException("io_uring cannot run here");
        }, Rules::groups, List.of("RECV"));
        Recorder recorder = execute(selectClass(Fixture.class));
        List<Event> tests = recorder.ofTests();
        assertFalse(tests.isEmpty());
        assertTrue(tests.stream().allMatch(e -> e.type().equals("skipped") && e.detail().equals("io_uring cannot run here")),
                tests.toString());
    }

    @Test
    void aUniqueIdRunsThatRuleAloneAsAnIdeRunsATestAgain() {
        scenario = new Scenario(TckTestEngineTest::blocking, Rules::groups, List.of("RECV-3", "SEND-1"));
        TestPlan plan = discover(selectClass(Fixture.class));
        TestIdentifier send1 = plan.getChildren(plan.getChildren(plan.getRoots().stream()
                        .filter(root -> root.getUniqueId().contains(TckTestEngine.ID)).findFirst().orElseThrow())
                .iterator().next()).stream().filter(t -> t.getDisplayName().startsWith("SEND-1 ")).findFirst().orElseThrow();
        scenario = new Scenario(TckTestEngineTest::blocking, Rules::groups, List.of("RECV-3"));
        Recorder recorder = execute(selectUniqueId(send1.getUniqueId()));
        List<String> ran = recorder.ofTests().stream().filter(e -> !e.type().equals("started"))
                .map(e -> e.name().split(" ")[0] + " " + e.type()).toList();
        assertEquals(List.of("SEND-1 successful"), ran, recorder.events.toString());
    }

    private static Rule rule(String id) {
        Rule found = Rules.groups().stream().flatMap(g -> g.rules().stream()).filter(r -> r.id().equals(id)).findFirst().orElse(null);
        assertNotNull(found, id);
        return found;
    }
}
