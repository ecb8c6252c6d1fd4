package dev.atoll.tck;

/** A rule of the transport contract was broken. The message starts with the rule id. */
public final class RuleViolation extends AssertionError {

    /**
     * A violation.
     *
     * @param message what was expected and what happened
     * @param cause   the exception the transport threw, if any
     */
    public RuleViolation(String message, Throwable cause) {
        super(message, cause);
    }
}
