package dev.atoll.tck;

/**
 * The outcome of one rule for one transport.
 *
 * @param id      the rule id
 * @param title   the rule in one line
 * @param group   the group it ran in
 * @param status  passed, failed or skipped
 * @param message why it failed or was skipped; empty when it passed
 * @param failure the failure, or {@code null}
 */
public record RuleResult(String id, String title, String group, Status status, String message, Throwable failure) {

    /** How a rule ended. */
    public enum Status {
        /** The rule holds. */
        PASSED,
        /** The rule is broken. */
        FAILED,
        /** The rule does not apply, for the reason in the message. */
        SKIPPED
    }
}
