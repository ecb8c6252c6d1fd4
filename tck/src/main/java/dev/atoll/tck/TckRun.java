package dev.atoll.tck;

import dev.atoll.tck.RuleResult.Status;
import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.tls.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the TCK against one transport. It makes the transport, runs rules one at a time,
 * and after each group checks for leaks (LEAK-1) and pinning (PIN-1). The JUnit
 * {@link TransportTck} and the {@link TckLauncher} both drive it.
 */
public final class TckRun implements AutoCloseable {

    /**
     * How long closes that have nothing to linger for (the peer read everything and closed too)
     * may take to release descriptors and threads, in the rules that open and close many
     * connections (CLOSE-3).
     */
    static final long SETTLE_MILLIS = 3_000;

    /**
     * How long closes may take to release descriptors and threads before LEAK-1 fails after a
     * group: the default close linger, in which CLOSE-4 lets a close finish in the background
     * after a rule left its peer with bytes unread, and a second.
     */
    static final long LINGER_SETTLE_MILLIS = (dev.atoll.transport.AtollOptions.DEFAULT_CLOSE_LINGER_SECONDS + 1) * 1_000L;

    private static final java.time.Duration WARM_UP_LIMIT = TckContext.SHORT_LIMIT;

    /** The system property that sets the seed of a run: {@code -Datoll.tck.seed=...}. */
    static final String SEED_PROPERTY = "atoll.tck.seed";

    /** The seed of a run when {@code atoll.tck.seed} is not set. */
    static final long DEFAULT_SEED = 20_261_122L;

    private final TckSubject subject;
    private final Transport<?, ?> transport;
    private final long seed;
    private final PinningMonitor pinning;
    private final String pinningUnavailable;
    private RuleGroup currentGroup;
    private ResourceSnapshot groupBaseline;
    private String warmUpFailure = "";
    /** Whether a rule may stop at its first failing topology: enough for a fault's self-test. */
    private boolean firstFailureEnough;

    private TckRun(TckSubject subject, long seed) throws Exception {
        this.subject = subject;
        this.transport = subject.factory().get();
        this.seed = seed;
        warmUp();
        PinningMonitor monitor = null;
        String reason = "";
        try {
            monitor = PinningMonitor.start();
        } catch (RuntimeException | LinkageError e) {
            reason = "JFR is not available in this JVM (" + e + ")";
        }
        this.pinning = monitor;
        this.pinningUnavailable = reason;
    }

    /**
     * Starts a run.
     *
     * @param subject the transport and its claims
     * @param seed    the seed of the rules' random data (each rule draws from its own source,
     *                made from this seed and its id), printed with every failure: a run started
     *                with the printed seed draws the same data
     * @return the run
     * @throws Exception when the transport cannot be made or cannot connect to itself once
     */
    public static TckRun start(TckSubject subject, long seed) throws Exception {
        return new TckRun(subject, seed);
    }

    /**
     * The seed of a run: the system property {@code atoll.tck.seed}, or {@link #DEFAULT_SEED}.
     *
     * @return the seed
     * @throws IllegalArgumentException when the property is not a whole number
     */
    static long seedFromSystemProperty() {
        String seed = System.getProperty(SEED_PROPERTY);
        if (seed == null || seed.isBlank()) {
            return DEFAULT_SEED;
        }
        try {
            return Long.parseLong(seed.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " is '" + seed + "', not a whole number: pass the seed a failure printed", e);
        }
    }

    /**
     * Connections on virtual threads that wait in accept, recv and send, before any baseline is
     * taken, so that threads and descriptors created once and lazily (the JDK's virtual-thread
     * pollers, a transport's event loops) are not counted as leaks.
     */
    private void warmUp() throws Exception {
        warmUpReferencePeers();
        warmUp(transport);
        if (subject.tls() != null) {
            // Each TLS version once: the JDK's crypto initializes what it needs on first use.
            for (String version : TlsConfig.SAFE_PROTOCOLS) {
                warmUp(subject.tls().factory().create(TckTls.serverConfig().toBuilder().protocols(version).build()));
            }
        }
    }

    /**
     * The reference peers are JDK sockets on virtual threads: the JDK starts its pollers for
     * them on first use, whatever the transport under test is built on.
     */
    private static void warmUpReferencePeers() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, TckContext.LOOPBACK_V4)) {
            List<FutureTask<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(new FutureTask<>(() -> {
                    try (java.net.Socket accepted = server.accept()) {
                        accepted.getOutputStream().write(accepted.getInputStream().readNBytes(1 << 20));
                    }
                    return null;
                }));
                tasks.add(new FutureTask<>(() -> {
                    try (java.net.Socket client = new java.net.Socket(TckContext.LOOPBACK_V4, server.getLocalPort())) {
                        Thread.sleep(20);
                        client.getOutputStream().write(new byte[1 << 20]);
                        client.getInputStream().readNBytes(1 << 20);
                    }
                    return null;
                }));
            }
            tasks.forEach(t -> Thread.ofVirtual().name("tck-warm-up").start(t));
            for (FutureTask<Void> task : tasks) {
                task.get(WARM_UP_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private void warmUp(Transport<?, ?> transport) throws Exception {
        try (Listener listener = Listener.open(transport, new InetSocketAddress(TckContext.LOOPBACK_V4, 0))) {
            List<FutureTask<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(new FutureTask<>(() -> {
                    waitingExchange(transport, listener);
                    return null;
                }));
            }
            tasks.forEach(t -> Thread.ofVirtual().name("tck-warm-up").start(t));
            for (FutureTask<Void> task : tasks) {
                try {
                    task.get(WARM_UP_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // A transport that cannot even do this fails the rules that check it; the
                    // leak baselines may then include what the JDK starts lazily.
                    warmUpFailure = subject.name() + " could not exchange data with itself before the run: "
                            + (e instanceof ExecutionException ? e.getCause() : "timed out");
                }
            }
        }
    }

    /**
     * Why the warm-up before the run failed, if it did.
     *
     * @return the reason, or an empty string
     */
    public String warmUpFailure() {
        return warmUpFailure;
    }

    private static void waitingExchange(Transport<?, ?> transport, Listener listener) throws Exception {
        FutureTask<Connection> accepting = new FutureTask<>(() -> listener.accept(WARM_UP_LIMIT));
        Thread.ofVirtual().start(accepting);
        Thread.sleep(50);
        try (Connection client = Connection.connect(transport, listener.address(), SocketOptions.none(), TckContext.IO_TIMEOUT);
             Connection server = accepting.get()) {
            FutureTask<Connection> clientHandshake = new FutureTask<>(() -> client.handshake(WARM_UP_LIMIT));
            Thread.ofVirtual().start(clientHandshake);
            server.handshake(WARM_UP_LIMIT);
            clientHandshake.get();
            FutureTask<ByteBuffer> receiving = new FutureTask<>(() -> server.recv(4 << 20, WARM_UP_LIMIT));
            Thread.ofVirtual().start(receiving);
            Thread.sleep(50);
            client.send(ByteBuffer.allocate(4 << 20));
            receiving.get();
        }
    }

    /**
     * The transport under test.
     *
     * @return the transport under test
     */
    public Transport<?, ?> transport() {
        return transport;
    }

    /**
     * Runs one rule of a group, starting the group's leak and pinning watch if this is the
     * group's first rule.
     *
     * @param group the group
     * @param rule  the rule
     * @return the outcome
     */
    public RuleResult run(RuleGroup group, Rule rule) {
        beginGroup(group);
        if (rule.requires() != null && !subject.claims(rule.requires())) {
            return result(group, rule, Status.SKIPPED, subject.name() + " does not claim " + rule.requires(), null);
        }
        TckContext context = new TckContext(subject, transport, rule, seed, firstFailureEnough);
        FutureTask<Void> task = new FutureTask<>(() -> {
            rule.check().run(context);
            return null;
        });
        Thread thread = Thread.ofVirtual().name("tck-" + rule.id()).start(task);
        try {
            task.get(TckContext.RULE_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            return result(group, rule, Status.PASSED, "", null);
        } catch (TimeoutException e) {
            context.closeAll();
            thread.interrupt();
            RuleViolation v = context.violation("did not finish within " + TckContext.RULE_LIMIT.toSeconds() + " s", null);
            return result(group, rule, Status.FAILED, v.getMessage(), v);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuleSkipped skipped) {
                return result(group, rule, Status.SKIPPED, skipped.getMessage(), null);
            }
            String message = cause instanceof RuleViolation ? cause.getMessage()
                    : context.violation("unexpected " + TckContext.describe(cause), cause).getMessage();
            return result(group, rule, Status.FAILED, message, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(group, rule, Status.FAILED, "[" + rule.id() + "] interrupted", e);
        } finally {
            context.cleanUp();
        }
    }

    private void beginGroup(RuleGroup group) {
        if (currentGroup == group) {
            return;
        }
        currentGroup = group;
        groupBaseline = ResourceSnapshot.take();
        if (pinning != null) {
            pinning.beginGroup();
        }
    }

    /**
     * LEAK-1: after the group, no more descriptors are open and no more threads run than before
     * its first rule.
     *
     * @param group the group that just ran
     * @return the outcome
     */
    public RuleResult leakCheck(RuleGroup group) {
        Rule rule = Rules.LEAK;
        if (currentGroup != group) {
            return result(group, rule, Status.SKIPPED, "no rule of the group ran", null);
        }
        if (!ResourceSnapshot.canCountDescriptors()) {
            return result(group, rule, Status.SKIPPED, "cannot count descriptors: no /proc/self/fd on this system", null);
        }
        try {
            String leaked = ResourceSnapshot.leakedSince(groupBaseline, LINGER_SETTLE_MILLIS);
            return leaked == null ? result(group, rule, Status.PASSED, "", null)
                    : failed(group, rule, "group '" + group.name() + "' left " + leaked);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(group, rule, "interrupted");
        }
    }

    /**
     * PIN-1: no virtual thread blocked while pinned to its carrier during the group.
     *
     * @param group the group that just ran
     * @return the outcome
     */
    public RuleResult pinningCheck(RuleGroup group) {
        Rule rule = Rules.PIN;
        if (pinning == null) {
            return result(group, rule, Status.SKIPPED, pinningUnavailable, null);
        }
        if (currentGroup != group) {
            return result(group, rule, Status.SKIPPED, "no rule of the group ran", null);
        }
        try {
            List<String> pinned = pinning.pinnedSinceGroupStart();
            return pinned.isEmpty() ? result(group, rule, Status.PASSED, "", null)
                    : failed(group, rule, "group '" + group.name() + "' pinned virtual threads " + pinned.size()
                    + " times, first " + pinned.get(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(group, rule, "interrupted");
        }
    }

    /**
     * Runs one rule against a subject in a run of its own: how a fault's self-test shows that
     * the rule catches the fault. The rule stops at its first failing topology, as one failure
     * is what the self-test looks for.
     *
     * @param subject the transport and its claims
     * @param ruleId  the rule's id
     * @param seed    the seed of the rule's random data
     * @return the outcome
     * @throws Exception when the run cannot start
     * @throws IllegalArgumentException when no rule has that id
     */
    public static RuleResult runOne(TckSubject subject, String ruleId, long seed) throws Exception {
        if (ruleId.equals(Rules.LEAK.id()) || ruleId.equals(Rules.PIN.id())) {
            // checked after a group: after the data group's first rule, which connects and accepts
            RuleGroup data = DataRules.group();
            try (TckRun run = start(subject, seed)) {
                run.run(data, data.rules().get(0));
                return ruleId.equals(Rules.LEAK.id()) ? run.leakCheck(data) : run.pinningCheck(data);
            }
        }
        for (RuleGroup group : Rules.groups()) {
            for (Rule rule : group.rules()) {
                if (rule.id().equals(ruleId)) {
                    try (TckRun run = start(subject, seed)) {
                        run.firstFailureEnough = true;
                        return run.run(group, rule);
                    }
                }
            }
        }
        throw new IllegalArgumentException("the TCK has no rule " + ruleId);
    }

    /**
     * Runs every group: each rule, then the group's leak and pinning checks.
     *
     * @param groups the groups
     * @return every outcome, in order
     */
    public List<RuleResult> runAll(List<RuleGroup> groups) {
        List<RuleResult> results = new ArrayList<>();
        for (RuleGroup group : groups) {
            for (Rule rule : group.rules()) {
                results.add(run(group, rule));
            }
            results.add(leakCheck(group));
            results.add(pinningCheck(group));
        }
        return results;
    }

    private RuleResult failed(RuleGroup group, Rule rule, String message) {
        RuleViolation v = new RuleViolation("[" + rule.id() + "] " + subject.name() + ": " + message, null);
        return result(group, rule, Status.FAILED, v.getMessage(), v);
    }

    private static RuleResult result(RuleGroup group, Rule rule, Status status, String message, Throwable failure) {
        return new RuleResult(rule.id(), rule.title(), group.name(), status, message, failure);
    }

    @Override
    public void close() {
        if (pinning != null) {
            pinning.close();
        }
    }

}
