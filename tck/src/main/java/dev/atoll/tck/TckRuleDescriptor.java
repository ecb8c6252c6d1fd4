package dev.atoll.tck;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * One test of a {@link TransportTck} class: a rule, or the leak (LEAK-1) or pinning (PIN-1)
 * check after a group. Its name, in reports and IDEs, is the rule id and the rule
 * ({@code RECV-1 recv(n) returns exactly n bytes}); a group's checks name the group
 * ({@code LEAK-1 (recv) ...}). It has no test source: Surefire then reports the name under the
 * class, as a method of it.
 */
final class TckRuleDescriptor extends AbstractTestDescriptor {

    /** The segment of the unique id: the rule id, or {@code LEAK-1@recv} for a group's check. */
    static final String SEGMENT = "rule";

    /** What the test runs. */
    enum Kind {
        /** A rule of the group. */
        RULE,
        /** LEAK-1 after the group. */
        LEAK,
        /** PIN-1 after the group. */
        PIN
    }

    private final RuleGroup group;
    private final Rule rule;
    private final Kind kind;
    private final int order;

    private TckRuleDescriptor(UniqueId classId, RuleGroup group, Rule rule, int order) {
        super(classId.append(SEGMENT, key(group, rule)), displayName(group, rule));
        this.group = group;
        this.rule = rule;
        this.kind = kindOf(rule);
        this.order = order;
    }

    /**
     * The test of a rule, or of a group's check.
     *
     * @param classId the unique id of the class
     * @param group   the group
     * @param rule    the rule, or {@link Rules#LEAK} or {@link Rules#PIN}
     * @param order   where it runs among the class's tests
     * @return the descriptor
     */
    static TckRuleDescriptor of(UniqueId classId, RuleGroup group, Rule rule, int order) {
        return new TckRuleDescriptor(classId, group, rule, order);
    }

    /**
     * The value of the unique id's segment.
     *
     * @param group the group
     * @param rule  the rule, or {@link Rules#LEAK} or {@link Rules#PIN}
     * @return the rule id, and for a group's check {@code @} and the group's name
     */
    static String key(RuleGroup group, Rule rule) {
        return kindOf(rule) == Kind.RULE ? rule.id() : rule.id() + "@" + group.name();
    }

    private static Kind kindOf(Rule rule) {
        return rule == Rules.LEAK ? Kind.LEAK : rule == Rules.PIN ? Kind.PIN : Kind.RULE;
    }

    private static String displayName(RuleGroup group, Rule rule) {
        return kindOf(rule) == Kind.RULE ? rule.id() + " " + rule.title() : rule.id() + " (" + group.name() + ") " + rule.title();
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public String getLegacyReportingName() {
        return getDisplayName();
    }

    /**
     * Runs the test in a run of the TCK.
     *
     * @param run the run of the class
     * @return the outcome
     */
    RuleResult runIn(TckRun run) {
        return switch (kind) {
            case RULE -> run.run(group, rule);
            case LEAK -> run.leakCheck(group);
            case PIN -> run.pinningCheck(group);
        };
    }

    /**
     * Where it runs among the class's tests: rule order, each group's checks after its rules.
     *
     * @return the position
     */
    int order() {
        return order;
    }
}
