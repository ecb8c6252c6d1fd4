package dev.atoll.transport.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.tck.Capability;
import dev.atoll.tck.RuleResult;
import dev.atoll.tck.TckRun;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.faults.Faults;
import dev.atoll.transport.Transports;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The TCK's TLS rules have teeth: each faulty wrapper of jsse fails the rule that forbids its fault. */
class TlsFaultsTest {

    private static final TckSubject.SecureFactory JSSE = config -> new JsseTransport(config, Transports.named("nio"));

    @TestFactory
    Stream<DynamicTest> eachTlsFaultFailsItsRule() {
        return Faults.tls().stream().map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
            TckSubject subject = TckSubject.secure(fault.wrap().apply(JSSE), () -> Transports.named("nio"),
                    Capability.TLS_OVER_TCP);
            RuleResult result = TckRun.runOne(subject, fault.rule(), 11);
            assertEquals(RuleResult.Status.FAILED, result.status(),
                    "the TCK passed jsse with the fault '" + fault.description() + "': " + result);
            assertTrue(result.message().startsWith("[" + fault.rule() + "] "), result.message());
            System.out.println("caught '" + fault.description() + "': " + result.message().lines().findFirst().orElse(""));
        }));
    }
}
