package dev.atoll.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A selection matches rule ids exactly and families by family, and never selects nothing silently. */
class RuleSelectionTest {

    private static List<String> ids(String selection) {
        return RuleSelection.parse(selection).apply(Rules.groups()).stream()
                .flatMap(group -> group.rules().stream()).map(Rule::id).toList();
    }

    @Test
    void anIdSelectsExactlyThatRule() {
        assertEquals(List.of("TLS-1"), ids("TLS-1"));
        assertEquals(List.of("RECV-3", "SEND-1"), ids("RECV-3,SEND-1"));
    }

    @Test
    void aFamilySelectsEachRuleOfTheFamilyAndNoOther() {
        List<String> send = ids("SEND");
        assertFalse(send.isEmpty());
        assertTrue(send.stream().allMatch(id -> id.matches("SEND-\\d+")), "SEND selected " + send);
        List<String> all = Rules.groups().stream().flatMap(g -> g.rules().stream()).map(Rule::id).toList();
        assertEquals(all.stream().filter(id -> id.matches("SEND-\\d+")).toList(), send);
        assertTrue(ids("SENDFILE").stream().allMatch(id -> id.startsWith("SENDFILE-")));
    }

    @Test
    void entriesIgnoreCaseAndSpaces() {
        assertEquals(List.of("RECV-3", "SEND-1"), ids(" recv-3 , send-1 "));
    }

    @Test
    void anEmptySelectionSelectsEveryRule() {
        assertEquals(Rules.groups(), RuleSelection.parse("").apply(Rules.groups()));
    }

    @Test
    void anEntryThatSelectsNoRuleIsAnErrorNamingItAndTheKnownIdsAndFamilies() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ids("RECV-3,NOPE-1"));
        assertTrue(e.getMessage().contains("NOPE-1"), e.getMessage());
        assertFalse(e.getMessage().contains("family RECV-3"), e.getMessage());
        assertTrue(e.getMessage().contains("Families: ") && e.getMessage().contains("SENDFILE"), e.getMessage());
        assertTrue(e.getMessage().contains("Ids: ") && e.getMessage().contains("TLS-10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ids("SEN"));
        assertThrows(IllegalArgumentException.class, () -> ids("TLS-"));
    }

    @Test
    void leakAndPinAreNotSelectedButTheErrorSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ids("LEAK-1"));
        assertTrue(e.getMessage().contains("run after every group"), e.getMessage());
    }
}
