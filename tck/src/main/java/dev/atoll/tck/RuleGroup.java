package dev.atoll.tck;

import java.util.List;

/**
 * Rules that are run together. After each group the TCK also checks that no file descriptor or
 * thread was left behind (LEAK-1) and that no virtual thread pinned its carrier (PIN-1).
 *
 * @param name  the group's name, such as {@code recv}
 * @param rules the rules, in order
 */
public record RuleGroup(String name, List<Rule> rules) {

    /**
     * Copies the rules.
     *
     * @param name  the group's name
     * @param rules the rules
     */
    public RuleGroup {
        rules = List.copyOf(rules);
    }
}
