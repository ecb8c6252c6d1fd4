package dev.atoll.tck;

import java.util.List;

/**
 * Every rule of the TCK, in groups, in the order they run. The ids are stable and match the
 * rules written in the Javadoc of {@link dev.atoll.transport.Transport}.
 */
public final class Rules {

    /** LEAK-1, checked after every group. */
    public static final Rule LEAK = Rule.of("LEAK-1", "a group leaves no file descriptor or thread behind", tck -> {
        throw new UnsupportedOperationException("checked by TckRun after each group");
    });

    /** PIN-1, checked after every group. */
    public static final Rule PIN = Rule.of("PIN-1", "no virtual thread pins its carrier while blocked in the transport", tck -> {
        throw new UnsupportedOperationException("checked by TckRun after each group");
    });

    private Rules() {
    }

    /**
     * The groups of rules for plain TCP behaviour, which every transport follows.
     *
     * @return the groups, in order
     */
    public static List<RuleGroup> groups() {
        return List.of(
                ConnectionRules.group(),
                DataRules.group(),
                BufferRules.group(),
                SendRules.group(),
                InterruptRules.group(),
                SendfileRules.group(),
                ShutdownRules.group(),
                CloseRules.group(),
                OptionRules.group(),
                StatsRules.group(),
                ConcurrencyRules.group(),
                BlockingRules.group(),
                PlainRules.group(),
                TlsRules.group(),
                OpensslRules.group(),
                InteropRules.group());
    }
}
