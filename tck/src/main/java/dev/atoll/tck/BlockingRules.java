package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.Transport;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import javax.net.ssl.SSLSocket;

/**
 * What a thread does while an operation waits for the peer: it uses no processor time (no
 * busy-waiting, PIN-2) and holds no monitor taken inside the transport (PIN-3), the two ways
 * besides native frames in which a blocked virtual thread keeps or wastes its carrier.
 */
final class BlockingRules {

    /** How many times PIN-2 blocks in each operation. */
    static final int CALLS = 8;

    /** How long PIN-2 keeps each call blocked and measures it. */
    static final Duration CPU_WINDOW = Duration.ofMillis(25);

    /**
     * The share of the time an operation is blocked that the process's threads may spend on
     * the processor: a correct backend spends well under a tenth of it, in the calls' own
     * bookkeeping, the peer's thread and the JVM's; a backend that spins for most of each wait
     * (20 ms of 25) spends more than half.
     */
    static final double MAX_CPU_SHARE = 0.3;

    /** How long PIN-3 keeps each call blocked before it looks at the blocked thread. */
    static final Duration MONITOR_WINDOW = Duration.ofMillis(100);

    /** What each send offers a peer that does not read, until one send waits. */
    private static final int SEND_CHUNK = 256 * 1024;

    private BlockingRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("blocking", List.of(
                Rule.of("PIN-2", "a call blocked waiting for the peer (recv, accept, send, handshake) uses no processor time: "
                        + "nothing busy-waits", BlockingRules::noBusyWait),
                Rule.of("PIN-3", "a thread blocked in a call (recv, accept, send, handshake), platform or virtual, holds no "
                        + "monitor taken inside the transport", BlockingRules::noMonitorWhileBlocked)));
    }

    // --- the blocked calls

    /** One call that blocks until {@code release} runs (or its own timeout of twice the window passes). */
    private record Blocked(TckContext.Work<?> call, TckContext.Action release) {
    }

    /** Makes a fresh blocked call; the setup is not measured. */
    @FunctionalInterface
    private interface Scenario {
        Blocked prepare(Duration window) throws Exception;
    }

    private record Named(String what, Scenario scenario) {
    }

    /**
     * The calls, each waiting for the peer: a receive that times out, a receive that data wakes,
     * an accept that times out, a send that a peer not reading holds up, and for a secure
     * subject a server handshake waiting for the ClientHello.
     */
    private static List<Named> scenarios(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        Pair pair = tck.pairAccepted(listener);
        Connection subject = pair.subject();
        List<Named> scenarios = new ArrayList<>(List.of(
                new Named("recv timing out", window -> new Blocked(() -> {
                    try {
                        subject.recv(0, window.multipliedBy(2));
                        throw tck.violation("recv returned with nothing sent", null);
                    } catch (SocketTimeoutException expected) {
                        return null;
                    }
                }, () -> { })),
                new Named("recv woken by data", window -> new Blocked(() -> subject.recv(64, Transport.INFINITE),
                        () -> pair.peer().write(new byte[64]))),
                new Named("accept timing out", window -> new Blocked(() -> {
                    try {
                        listener.accept(window.multipliedBy(2)).close();
                        throw tck.violation("accept returned with no client", null);
                    } catch (SocketTimeoutException expected) {
                        return null;
                    }
                }, () -> { })),
                new Named("send to a peer that does not read", window -> {
                    Pair sender = senderPair(tck, listener);
                    var released = new java.util.concurrent.atomic.AtomicBoolean();
                    var drained = new java.util.concurrent.atomic.AtomicReference<TckContext.Background<byte[]>>();
                    return new Blocked(() -> {
                        // a backend may take a first send whole into its queue: send until one waits
                        while (!released.get()) {
                            sender.subject().send(ByteBuffer.allocate(SEND_CHUNK));
                        }
                        sender.subject().shutdown(dev.atoll.transport.ShutdownHow.WRITE);
                        drained.get().join();
                        return null;
                    }, () -> {
                        drained.set(tck.background("peer drains", () -> sender.peer().readToEnd()));
                        released.set(true);
                    });
                })));
        if (tck.secure()) {
            scenarios.add(new Named("server handshake waiting for the ClientHello", window -> {
                Socket raw = tck.jdkClientPlain(listener.address());
                Connection accepted = tck.accept(listener);
                SSLSocket client = tck.layer(raw, true, null);
                var clientSide = new java.util.concurrent.atomic.AtomicReference<TckContext.Background<Object>>();
                return new Blocked(() -> {
                    accepted.handshake(TckContext.IO_TIMEOUT);
                    clientSide.get().join();
                    return null;
                }, () -> clientSide.set(tck.background("JDK client handshake", () -> {
                    client.startHandshake();
                    return null;
                })));
            }));
        }
        return scenarios;
    }

    /** A pair whose peer reads slowly with small buffers, so that a send soon waits. */
    private static Pair senderPair(TckContext tck, Listener listener) throws Exception {
        Socket raw = tck.track(new Socket());
        raw.setReceiveBufferSize(8 * 1024);
        raw.connect(listener.address(), (int) TckContext.IO_TIMEOUT.toMillis());
        raw.setSoTimeout((int) TckContext.IO_TIMEOUT.toMillis());
        Socket peer = tck.secure() ? tck.layer(raw, true, null) : raw;
        JdkSocketPeer jdk = tck.track(new JdkSocketPeer(peer, "JDK client"));
        var peerSide = tck.background("JDK handshake", () -> {
            jdk.handshake();
            return null;
        });
        Connection subject = tck.accept(listener).handshake(TckContext.IO_TIMEOUT);
        peerSide.join();
        if (subject.transport().supportedOptions().contains(StandardSocketOptions.SO_SNDBUF)) {
            subject.setopt(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
        }
        return new Pair(subject, jdk, Topology.SUBJECT_SERVER);
    }

    /** Runs a blocked call on a thread, runs {@code whileBlocked} once the window has passed, then releases and joins it. */
    private static void runBlocked(TckContext tck, String what, Blocked blocked, Duration window, Thread.Builder builder,
                                   java.util.function.Consumer<Thread> whileBlocked) throws Exception {
        FutureTask<Object> task = new FutureTask<>(() -> blocked.call().call());
        Thread thread = builder.start(task);
        Thread.sleep(window.toMillis());
        whileBlocked.accept(thread);
        blocked.release().run();
        try {
            task.get(TckContext.RULE_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            tck.closeAll();
            throw tck.violation(what + " did not finish after the peer acted", null);
        } catch (java.util.concurrent.ExecutionException e) {
            throw tck.violation(what + " failed: " + TckContext.describe(e.getCause()), e.getCause());
        }
    }

    // --- PIN-2

    private static void noBusyWait(TckContext tck) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            throw new RuleSkipped("this JVM cannot measure the processor time of threads");
        }
        threads.setThreadCpuTimeEnabled(true);
        List<String> failures = new ArrayList<>();
        for (Named named : scenarios(tck)) {
            // once unmeasured, so that first-use class loading and compilation are not counted
            runBlocked(tck, named.what(), named.scenario().prepare(CPU_WINDOW), CPU_WINDOW, Thread.ofVirtual(), t -> { });
            long wall = 0;
            Map<Long, Long> used = new HashMap<>();
            for (int i = 0; i < CALLS; i++) {
                Blocked blocked = named.scenario().prepare(CPU_WINDOW);
                Map<Long, Long> before = cpuByThread(threads);
                long start = System.nanoTime();
                runBlocked(tck, named.what(), blocked, CPU_WINDOW, Thread.ofVirtual().name("tck-PIN-2-blocked"), t -> {
                    Map<Long, Long> after = cpuByThread(threads);
                    after.forEach((id, cpu) -> used.merge(id, cpu - before.getOrDefault(id, 0L), Long::sum));
                });
                wall += System.nanoTime() - start;
            }
            long cpu = used.values().stream().mapToLong(Long::longValue).sum();
            long window = CPU_WINDOW.toNanos() * CALLS;
            if (cpu > MAX_CPU_SHARE * window) {
                failures.add(String.format("%s: the process's threads used %d ms of processor time in %d ms of calls "
                        + "blocked %d times for %d ms (at most %.0f%% allowed), most of it in %s", named.what(),
                        cpu / 1_000_000, wall / 1_000_000, CALLS, CPU_WINDOW.toMillis(), MAX_CPU_SHARE * 100,
                        busiest(threads, used)));
            }
        }
        tck.require(failures.isEmpty(), "busy-waiting while blocked: " + String.join("; ", failures));
    }

    private static Map<Long, Long> cpuByThread(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {
                byThread.put(ids[i], cpu[i]);
            }
        }
        return byThread;
    }

    private static String busiest(java.lang.management.ThreadMXBean threads, Map<Long, Long> used) {
        List<String> top = new ArrayList<>();
        used.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(3).forEach(e -> {
            ThreadInfo info = threads.getThreadInfo(e.getKey());
            top.add("'" + (info == null ? "#" + e.getKey() : info.getThreadName()) + "' " + e.getValue() / 1_000_000 + " ms");
        });
        return String.join(", ", top) + " (a carrier's time is that of the virtual threads it ran)";
    }

    // --- PIN-3

    private static void noMonitorWhileBlocked(TckContext tck) throws Exception {
        List<String> failures = new ArrayList<>();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Named named : scenarios(tck)) {
            runBlocked(tck, named.what(), named.scenario().prepare(MONITOR_WINDOW), MONITOR_WINDOW,
                    Thread.ofPlatform().daemon().name("tck-PIN-3-platform"), thread -> {
                        ThreadInfo info = threads.getThreadInfo(new long[] {thread.threadId()}, true, false)[0];
                        if (info != null) {
                            List<String> held = new ArrayList<>();
                            int view = viewDepth(java.util.Arrays.stream(info.getStackTrace())
                                    .map(f -> f.getClassName() + "." + f.getMethodName()).toList());
                            for (MonitorInfo monitor : info.getLockedMonitors()) {
                                if (monitor.getLockedStackDepth() >= 0 && monitor.getLockedStackDepth() < view) {
                                    held.add(describe(monitor) + " locked in " + monitor.getLockedStackFrame());
                                }
                            }
                            if (!held.isEmpty()) {
                                failures.add(named.what() + " on a platform thread holds " + held);
                            }
                        }
                    });
            runBlocked(tck, named.what(), named.scenario().prepare(MONITOR_WINDOW), MONITOR_WINDOW,
                    Thread.ofVirtual().name("tck-PIN-3-virtual"), thread -> {
                        ThreadDump.DumpedThread dumped = ThreadDump.take().get(thread.threadId());
                        if (dumped != null) {
                            int view = viewDepth(dumped.frames().stream().map(BlockingRules::method).toList());
                            List<String> held = new ArrayList<>();
                            for (int depth : dumped.monitorDepths()) {
                                if (depth < view) {
                                    held.add("a monitor locked in " + dumped.frames().get(depth));
                                }
                            }
                            if (!held.isEmpty()) {
                                failures.add(named.what() + " on a virtual thread holds " + held);
                            }
                        }
                    });
        }
        tck.require(failures.isEmpty(), "a thread blocked in the transport holds monitors, which pin a virtual thread "
                + "to its carrier (on Java 21 to 23): " + String.join("; ", failures));
    }

    /** The depth of the outermost-but-first call into the transport: the frame of the Connection or Listener view. */
    private static int viewDepth(List<String> methods) {
        for (int i = 0; i < methods.size(); i++) {
            String m = methods.get(i);
            if (m.startsWith(Connection.class.getName() + ".") || m.startsWith(Listener.class.getName() + ".")) {
                return i;
            }
        }
        return -1;
    }

    /** {@code java.base/java.lang.Thread.run(Thread.java:1474)} as {@code java.lang.Thread.run}. */
    private static String method(String frame) {
        String location = frame.indexOf('(') < 0 ? frame : frame.substring(0, frame.indexOf('('));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String describe(LockInfo lock) {
        return "the monitor of a " + lock.getClassName();
    }
}
