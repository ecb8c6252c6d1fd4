package dev.atoll.websocket.conformance;

/** A case's outcome, in the terms of the Autobahn|Testsuite. */
public enum Outcome {
    /** The peer did what the case expects. */
    OK("OK"),
    /** The peer did what the RFC allows but not its preferred behaviour (a TCP drop instead of a close frame, a late failure). */
    NON_STRICT("NON-STRICT"),
    /** The RFC leaves the behaviour open; the detail says what the peer did. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The peer does not implement what the case needs (it declined an extension offer); the detail says what. */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    /** The peer broke the RFC, or did not finish within the case's time. */
    FAILED("FAILED");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** {@return the name Autobahn's reports use} */
    public String label() {
        return label;
    }

    /**
     * @param label a name as {@link #label()} writes it
     * @return the outcome of that name
     * @throws IllegalArgumentException when no outcome has that name
     */
    public static Outcome ofLabel(String label) {
        for (Outcome o : values()) {
            if (o.label.equals(label)) {
                return o;
            }
        }
        throw new IllegalArgumentException("no outcome is called " + label);
    }
}
