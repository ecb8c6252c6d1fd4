package dev.atoll.tck;

import java.util.List;

/**
 * The TCK as tests of the JUnit Platform. Extend it in a test class of your transport's build
 * and say what to check:
 *
 * <pre>{@code
 * class MyTransportConformanceTest extends TransportTck {
 *     @Override
 *     protected TckSubject subject() {
 *         return TckSubject.of(MyTransport::new, Capability.PLAIN_TCP);
 *     }
 * }
 * }</pre>
 *
 * The TCK's own engine ({@link TckTestEngine}, found by the JUnit Platform in the TCK's jar)
 * runs such a class wherever JUnit 5 tests run: {@code mvn test} with Surefire as it comes,
 * Gradle's {@code useJUnitPlatform()}, IDEs; {@code -Dtest=MyTransportConformanceTest} selects
 * it. Each rule is a test of the class named by its id and the rule
 * ({@code RECV-1 recv(n) returns exactly n bytes}); each group ends with its leak
 * ({@code LEAK-1 (group)}) and pinning ({@code PIN-1 (group)}) checks. A rule the transport does
 * not claim is reported as skipped with the reason; a failure names the rule, the transport, the
 * topology and the seed.
 *
 * <p>System properties of the test JVM change a run:
 * <ul>
 *   <li>{@code atoll.tck.only}: the rules to run, a comma list of ids and families
 *       ({@code RECV-3,SEND-1,TLS}); see {@link #only()}.</li>
 *   <li>{@code atoll.tck.seed}: the seed of the rules' random data; a failure prints the one to
 *       pass to repeat it.</li>
 *   <li>{@code atoll.tck.io-timeout-seconds}: how long a reference peer waits for one read
 *       (default 30); a transport that loses bytes is caught only when it passes, once per such
 *       wait, so a shorter one makes a broken transport fail faster.</li>
 * </ul>
 */
public abstract class TransportTck {

    /** For subclasses, which name the subject. */
    protected TransportTck() {
    }

    /**
     * The transport to check and what it claims; called once, before the first rule. To skip
     * the whole class where the transport cannot run, throw
     * {@code org.opentest4j.TestAbortedException} (what JUnit Jupiter's {@code Assumptions}
     * throw): every rule is then reported as skipped with its message.
     *
     * @return the subject
     * @throws Exception when the subject cannot be made; the class then fails with it
     */
    protected abstract TckSubject subject() throws Exception;

    /**
     * Called once after the class's rules ran, whatever their outcome: release here what
     * {@link #subject()} made and the transports' {@code close()} does not (a plain transport
     * handed to a secure one's constructor). By default nothing.
     *
     * @throws Exception when releasing fails; the class then fails with it
     */
    protected void afterRun() throws Exception {
    }

    /**
     * The seed of the rules' random data; override to repeat a failing run. By default the
     * system property {@code atoll.tck.seed}, or a fixed seed. A failure prints the seed to
     * pass back.
     *
     * @return the seed
     * @throws IllegalArgumentException when the property is not a whole number
     */
    protected long seed() {
        return TckRun.seedFromSystemProperty();
    }

    /**
     * The groups of rules to run; by default {@link Rules#groups()}.
     *
     * @return the groups
     */
    protected List<RuleGroup> groups() {
        return Rules.groups();
    }

    /**
     * The rules to run, from the system property {@code atoll.tck.only}
     * ({@code -Datoll.tck.only=RECV-3,SEND-1,TLS}); empty for every rule. An entry is a rule id,
     * which selects exactly that rule ({@code TLS-1} is not {@code TLS-10}), or a family, the id
     * without its number, which selects each rule of the family ({@code SEND} selects
     * {@code SEND-1}, {@code SEND-2}, ..., never {@code SENDFILE-1}). An entry that selects no
     * rule fails the run, naming it and listing the ids and families there are. Each group of a
     * selected rule ends with its LEAK-1 and PIN-1 checks.
     *
     * @return the ids and families
     */
    protected List<String> only() {
        return RuleSelection.fromSystemProperty();
    }
}
