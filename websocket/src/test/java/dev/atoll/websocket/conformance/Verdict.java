package dev.atoll.websocket.conformance;

/**
 * What a case concluded.
 *
 * @param outcome the outcome
 * @param detail  what the peer did, for the report
 */
public record Verdict(Outcome outcome, String detail) {

    static Verdict ok(String detail) {
        return new Verdict(Outcome.OK, detail);
    }

    static Verdict nonStrict(String detail) {
        return new Verdict(Outcome.NON_STRICT, detail);
    }

    static Verdict failed(String detail) {
        return new Verdict(Outcome.FAILED, detail);
    }

    static Verdict informational(String detail) {
        return new Verdict(Outcome.INFORMATIONAL, detail);
    }

    static Verdict unimplemented(String detail) {
        return new Verdict(Outcome.UNIMPLEMENTED, detail);
    }

    /** {@return the worse of this and that, this one's detail first} */
    Verdict and(Verdict that) {
        if (that.outcome.ordinal() > outcome.ordinal()) {
            return new Verdict(that.outcome, that.detail + "; " + detail);
        }
        return new Verdict(outcome, detail + "; " + that.detail);
    }
}
