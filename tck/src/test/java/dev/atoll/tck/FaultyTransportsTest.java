package dev.atoll.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.blocking.BlockingSocketTransport;
import dev.atoll.tck.faults.Faults;
import dev.atoll.tck.faults.Faults.Fault;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The TCK has teeth: each deliberately faulty transport fails the rule that forbids its fault,
 * and the failure names the rule and the transport.
 */
class FaultyTransportsTest {

    @Test
    void thereAreAtLeastEightFaultsEachNamingARuleOfTheTck() {
        List<Fault> faults = Faults.all();
        assertTrue(faults.size() >= 8, "only " + faults.size() + " faults");
        for (Fault fault : faults) {
            assertTrue(groupOf(fault.rule()) != null, fault + " names a rule the TCK does not have");
        }
    }

    @TestFactory
    Stream<DynamicTest> eachFaultFailsItsRule() {
        return Faults.all().stream().map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
            TckSubject subject = TckSubject.of(() -> fault.wrap().apply(new BlockingSocketTransport()),
                    BlockingSocketTransportConformanceTest.BLOCKING_CLAIMS);
            RuleResult result = TckRun.runOne(subject, fault.rule(), 7);
            assertEquals(RuleResult.Status.FAILED, result.status(),
                    "the TCK passed a transport whose " + fault.description() + ": " + result);
            assertTrue(result.message().startsWith("[" + fault.rule() + "] " + subject.name()),
                    "the failure does not name the rule and the transport: " + result.message());
            System.out.println("caught '" + fault.description() + "': " + result.message().lines().findFirst().orElse(""));
        }));
    }

    private static RuleGroup groupOf(String ruleId) {
        if (ruleId.equals(Rules.LEAK.id()) || ruleId.equals(Rules.PIN.id())) {
            return DataRules.group();   // checked after every group; runOne checks them after the data group
        }
        for (RuleGroup group : Rules.groups()) {
            for (Rule rule : group.rules()) {
                if (rule.id().equals(ruleId)) {
                    return group;
                }
            }
        }
        return null;
    }
}
