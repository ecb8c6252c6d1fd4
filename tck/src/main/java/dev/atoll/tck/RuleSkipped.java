package dev.atoll.tck;

/** A rule does not apply to the subject, for the reason given; it is reported as skipped. */
public final class RuleSkipped extends RuntimeException {

    /**
     * A skip.
     *
     * @param reason why the rule does not apply
     */
    public RuleSkipped(String reason) {
        super(reason, null, false, false);
    }
}
