package dev.atoll.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.opentest4j.TestAbortedException;

/**
 * A subclass of {@link TransportTck}: one run of the TCK against its subject, whose tests are
 * the selected rules with each group's leak and pinning checks. Its display name is the class's
 * full name, which Surefire writes as the class of each rule.
 */
final class TckClassDescriptor extends AbstractTestDescriptor {

    /** The segment of the unique id; its value is the class's name. */
    static final String SEGMENT = "class";

    private final TransportTck tck;

    /**
     * The class's groups, asked once: a run tells groups apart by identity, and a group's checks
     * must name the group its rules ran in.
     */
    private final List<RuleGroup> groups;

    private TckClassDescriptor(UniqueId id, Class<? extends TransportTck> testClass, TransportTck tck) {
        super(id, testClass.getName(), ClassSource.from(testClass));
        this.tck = tck;
        this.groups = List.copyOf(tck.groups());
    }

    /**
     * The descriptor of a class, with an instance made by its constructor without arguments.
     *
     * @param engineId  the engine's unique id
     * @param testClass the class
     * @return the descriptor, without tests yet
     * @throws IllegalStateException when the class cannot be made
     */
    static TckClassDescriptor of(UniqueId engineId, Class<? extends TransportTck> testClass) {
        try {
            Constructor<? extends TransportTck> constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            return new TckClassDescriptor(engineId.append(SEGMENT, testClass.getName()), testClass, constructor.newInstance());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot make " + testClass.getName() + " with its constructor without arguments: " + e, e);
        }
    }

    /**
     * Whether a class is one the engine runs: a concrete subclass of {@link TransportTck}.
     *
     * @param candidate the class
     * @return {@code true} for a concrete subclass
     */
    static boolean isTckClass(Class<?> candidate) {
        return TransportTck.class.isAssignableFrom(candidate) && !Modifier.isAbstract(candidate.getModifiers())
                && (candidate.getEnclosingClass() == null || Modifier.isStatic(candidate.getModifiers()));
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    /**
     * The tests the class's selection chooses: every rule when it selects all, else the selected
     * rules; each group's LEAK-1 and PIN-1 after its rules. A selection that names an id or
     * family no rule has gives one failing test that says so.
     *
     * @return the unique ids of the tests
     */
    Set<UniqueIdSelector> selectedTests() {
        RuleSelection selection = RuleSelection.of(tck.only());
        List<RuleGroup> selected;
        try {
            selected = selection.apply(groups);
        } catch (IllegalArgumentException e) {
            return Set.of(selectUniqueId(getUniqueId().append(TckSelectionDescriptor.SEGMENT, selection.toString())));
        }
        Set<UniqueIdSelector> tests = new LinkedHashSet<>();
        for (RuleGroup group : selected) {
            for (Rule rule : group.rules()) {
                tests.add(selectUniqueId(getUniqueId().append(TckRuleDescriptor.SEGMENT, TckRuleDescriptor.key(group, rule))));
            }
            tests.add(selectUniqueId(getUniqueId().append(TckRuleDescriptor.SEGMENT, TckRuleDescriptor.key(group, Rules.LEAK))));
            tests.add(selectUniqueId(getUniqueId().append(TckRuleDescriptor.SEGMENT, TckRuleDescriptor.key(group, Rules.PIN))));
        }
        return tests;
    }

    /**
     * The test a segment of a unique id names: any rule of the class's groups (a unique id
     * selects it whatever the selection), or the failing test of a selection that selects nothing.
     *
     * @param segment the last segment of the test's unique id
     * @return the test, or empty when there is none
     */
    Optional<TestDescriptor> test(UniqueId.Segment segment) {
        if (segment.getType().equals(TckRuleDescriptor.SEGMENT)) {
            int order = 0;
            for (RuleGroup group : groups) {
                List<Rule> rules = new ArrayList<>(group.rules());
                rules.add(Rules.LEAK);
                rules.add(Rules.PIN);
                for (Rule rule : rules) {
                    if (TckRuleDescriptor.key(group, rule).equals(segment.getValue())) {
                        return Optional.of(TckRuleDescriptor.of(getUniqueId(), group, rule, order));
                    }
                    order++;
                }
            }
        } else if (segment.getType().equals(TckSelectionDescriptor.SEGMENT)) {
            try {
                RuleSelection.parse(segment.getValue()).apply(groups);
            } catch (IllegalArgumentException e) {
                return Optional.of(new TckSelectionDescriptor(getUniqueId(), segment.getValue(), e.getMessage()));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the class's tests and reports them: the subject is made once, the rules run in
     * order, and {@link TransportTck#afterRun()} follows whatever happened. A subject that
     * aborts (an unmet assumption, such as a backend that cannot run here) skips every rule with
     * its reason; one that fails fails the class.
     *
     * @param listener where the outcomes go
     */
    void execute(EngineExecutionListener listener) {
        listener.executionStarted(this);
        TestExecutionResult result = TestExecutionResult.successful();
        try {
            runTests(listener);
        } catch (Exception | AssertionError | LinkageError e) {
            result = TestExecutionResult.failed(e);
        } finally {
            try {
                tck.afterRun();
            } catch (Exception | AssertionError | LinkageError e) {
                result = TestExecutionResult.failed(result.getThrowable().map(first -> {
                    first.addSuppressed(e);
                    return first;
                }).orElse(e));
            }
        }
        listener.executionFinished(this, result);
    }

    private void runTests(EngineExecutionListener listener) throws Exception {
        List<TckRuleDescriptor> rules = new ArrayList<>();
        for (TestDescriptor test : getChildren()) {
            if (test instanceof TckSelectionDescriptor selection) {
                listener.executionStarted(selection);
                listener.executionFinished(selection, TestExecutionResult.failed(selection.failure()));
            } else {
                rules.add((TckRuleDescriptor) test);
            }
        }
        if (rules.isEmpty()) {
            return;
        }
        rules.sort(Comparator.comparingInt(TckRuleDescriptor::order));
        TckSubject subject;
        try {
            subject = tck.subject();
        } catch (TestAbortedException e) {
            rules.forEach(rule -> listener.executionSkipped(rule, e.getMessage()));
            return;
        }
        try (TckRun run = TckRun.start(subject, tck.seed())) {
            if (!run.warmUpFailure().isEmpty()) {
                listener.reportingEntryPublished(this, ReportEntry.from("warning", run.warmUpFailure()));
            }
            for (TckRuleDescriptor rule : rules) {
                listener.executionStarted(rule);
                listener.executionFinished(rule, outcome(rule.runIn(run)));
            }
        }
    }

    /** A skip's reason, without a stack trace: where the engine noticed it says nothing. */
    private static TestAbortedException skip(String reason) {
        TestAbortedException skip = new TestAbortedException(reason);
        skip.setStackTrace(new StackTraceElement[0]);
        return skip;
    }

    private static TestExecutionResult outcome(RuleResult result) {
        return switch (result.status()) {
            case PASSED -> TestExecutionResult.successful();
            case SKIPPED -> TestExecutionResult.aborted(skip(result.message()));
            case FAILED -> TestExecutionResult.failed(result.failure() instanceof RuleViolation violation ? violation
                    : new RuleViolation(result.message(), result.failure()));
        };
    }
}
