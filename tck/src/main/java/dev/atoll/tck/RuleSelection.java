package dev.atoll.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which rules a run checks: every rule, or those a comma list names ({@code RECV-3,SEND-1,TLS}).
 * An entry is a rule id, which selects that rule ({@code TLS-1} is not {@code TLS-10}), or a
 * family, the id without its number, which selects every rule of the family ({@code SEND} is
 * {@code SEND-1} to {@code SEND-5}, never {@code SENDFILE-1}). Case does not matter. An entry
 * that selects no rule is an error, so a typing mistake never turns into a run that checks
 * nothing. {@code LEAK-1} and {@code PIN-1} are not selected: they run after every group that
 * runs. {@code -Datoll.tck.only} of {@link TransportTck} and {@code --only} of
 * {@link TckLauncher} both read their list here.
 */
final class RuleSelection {

    /** The system property that restricts a run: {@code -Datoll.tck.only=RECV-3,SEND}. */
    static final String PROPERTY = "atoll.tck.only";

    private final List<String> entries;

    private RuleSelection(List<String> entries) {
        this.entries = entries;
    }

    /**
     * The selection of the entries; none selects every rule.
     *
     * @param entries rule ids and families
     * @return the selection
     */
    static RuleSelection of(List<String> entries) {
        return new RuleSelection(entries.stream().map(String::strip).filter(e -> !e.isEmpty())
                .map(e -> e.toUpperCase(Locale.ROOT)).distinct().toList());
    }

    /**
     * The selection of a comma list; an empty list selects every rule.
     *
     * @param commaList such as {@code RECV-3,SEND}
     * @return the selection
     */
    static RuleSelection parse(String commaList) {
        return of(Arrays.asList(commaList.split(",")));
    }

    /**
     * The entries of the comma list in {@code atoll.tck.only}; empty when it is not set.
     *
     * @return the entries
     */
    static List<String> fromSystemProperty() {
        return parse(System.getProperty(PROPERTY, "")).entries;
    }

    /**
     * Whether the selection restricts the run at all.
     *
     * @return {@code true} when every rule is selected
     */
    boolean all() {
        return entries.isEmpty();
    }

    /**
     * The groups restricted to the selected rules, without the groups none of whose rules is
     * selected.
     *
     * @param groups the groups to choose from
     * @return the selected rules, in their groups and order
     * @throws IllegalArgumentException when an entry selects no rule; the message names it and
     *                                  lists the families and ids there are
     */
    List<RuleGroup> apply(List<RuleGroup> groups) {
        if (all()) {
            return groups;
        }
        Set<String> unmatched = new LinkedHashSet<>(entries);
        List<RuleGroup> selected = new ArrayList<>();
        for (RuleGroup group : groups) {
            List<Rule> rules = new ArrayList<>();
            for (Rule rule : group.rules()) {
                String family = family(rule.id());
                if (entries.contains(rule.id()) || entries.contains(family)) {
                    rules.add(rule);
                    unmatched.remove(rule.id());
                    unmatched.remove(family);
                }
            }
            if (!rules.isEmpty()) {
                selected.add(new RuleGroup(group.name(), rules));
            }
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException(describeUnknown(unmatched, groups));
        }
        return selected;
    }

    private static String describeUnknown(Set<String> unmatched, List<RuleGroup> groups) {
        Set<String> families = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        for (RuleGroup group : groups) {
            for (Rule rule : group.rules()) {
                families.add(family(rule.id()));
                ids.add(rule.id());
            }
        }
        String notes = unmatched.contains(Rules.LEAK.id()) || unmatched.contains(Rules.PIN.id())
                || unmatched.contains(family(Rules.LEAK.id())) || unmatched.contains(family(Rules.PIN.id()))
                ? " (LEAK-1 and PIN-1 run after every group that runs; they are not selected)" : "";
        return "no rule of the TCK has the id or family " + String.join(", ", unmatched) + notes
                + ". Families: " + String.join(", ", families) + ". Ids: " + String.join(", ", ids) + ".";
    }

    /** The family of a rule id: the id without its number ({@code SENDFILE} of {@code SENDFILE-4}). */
    static String family(String id) {
        int dash = id.lastIndexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    @Override
    public String toString() {
        return all() ? "every rule" : String.join(",", entries);
    }
}
