package dev.atoll.tck;

import java.util.Objects;

/**
 * One rule of the transport contract, with the stable id the API's Javadoc gives it, and the
 * check that proves it.
 *
 * @param id       the stable id, such as {@code RECV-1}
 * @param title    the rule in one line
 * @param requires the capability the rule needs, or {@code null} when every transport has it
 * @param check    the check
 */
public record Rule(String id, String title, Capability requires, Check check) {

    /** The code that checks a rule against a subject. */
    @FunctionalInterface
    public interface Check {
        /**
         * Checks the rule; returns normally when it holds.
         *
         * @param tck the run's context: the transport, peers and assertions
         * @throws Exception any failure; a {@link RuleViolation} when the rule is broken
         */
        void run(TckContext tck) throws Exception;
    }

    /**
     * Checks the parts.
     *
     * @param id       the stable id
     * @param title    the rule in one line
     * @param requires the capability needed, or {@code null}
     * @param check    the check
     */
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(check, "check");
    }

    static Rule of(String id, String title, Check check) {
        return new Rule(id, title, null, check);
    }

    static Rule of(String id, Capability requires, String title, Check check) {
        return new Rule(id, title, requires, check);
    }

    @Override
    public String toString() {
        return "[" + id + "] " + title;
    }
}
