package dev.atoll.tck;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * The test a {@link TransportTck} class has instead of its rules when its selection
 * ({@code atoll.tck.only}, or {@link TransportTck#only()}) names an id or family no rule has:
 * it fails, saying which and listing the ones there are, so that a mistyped selection is a
 * failure and never a run that checked nothing.
 */
final class TckSelectionDescriptor extends AbstractTestDescriptor {

    /** The segment of the unique id; its value is the selection. */
    static final String SEGMENT = "selection";

    private final String problem;

    /**
     * The failing test of a selection.
     *
     * @param classId   the unique id of the class
     * @param selection the selection, as a comma list
     * @param problem   why it selects nothing
     */
    TckSelectionDescriptor(UniqueId classId, String selection, String problem) {
        super(classId.append(SEGMENT, selection), RuleSelection.PROPERTY + "=" + selection);
        this.problem = problem;
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
     * What the test fails with.
     *
     * @return the failure
     */
    IllegalArgumentException failure() {
        return new IllegalArgumentException(RuleSelection.PROPERTY + "=" + getUniqueId().getLastSegment().getValue() + ": " + problem);
    }
}
