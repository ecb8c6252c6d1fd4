package dev.atoll.transport.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.Capability;
import dev.atoll.tck.RuleResult;
import dev.atoll.tck.TckRun;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.faults.Faults;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rules of send timeouts and lingering closes have teeth: each fault of {@link Faults#ofAtollOptions()}, wrapped around
 * nio (which claims send timeouts and lingers on close), fails the rule that forbids it.
 */
class NioOptionFaultsTest {

    @TestFactory
    Stream<DynamicTest> eachFaultFailsItsRule() {
        return Faults.ofAtollOptions().stream().map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
            TckSubject subject = TckSubject.of(() -> fault.wrap().apply(new NioTransport()), Capability.PLAIN_TCP);
            RuleResult result = TckRun.runOne(subject, fault.rule(), 7);
            assertEquals(RuleResult.Status.FAILED, result.status(),
                    "the TCK passed a transport whose " + fault.description() + ": " + result);
            assertTrue(result.message().startsWith("[" + fault.rule() + "] " + subject.name()),
                    "the failure does not name the rule and the transport: " + result.message());
            System.out.println("caught '" + fault.description() + "': " + result.message().lines().findFirst().orElse(""));
        }));
    }
}
