package dev.atoll.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The process's open sockets and other non-file descriptors (read from {@code /proc/self/fd}),
 * plus the TCK's own temporary files, and its threads, virtual ones included (from the JDK's
 * thread dump), for the leak check LEAK-1.
 * Regular files such as class path jars and JFR's repository are not counted: they come and go
 * without the transport.
 */
final class ResourceSnapshot {

    private static final Path FD_DIR = Path.of("/proc/self/fd");

    final int descriptors;
    final Set<Long> threadIds;
    final List<String> descriptorTargets;

    private ResourceSnapshot(List<String> descriptorTargets, Set<Long> threadIds) {
        this.descriptorTargets = descriptorTargets;
        this.descriptors = descriptorTargets.size();
        this.threadIds = threadIds;
    }

    static boolean canCountDescriptors() {
        return Files.isDirectory(FD_DIR);
    }

    static ResourceSnapshot take() {
        return new ResourceSnapshot(descriptorTargets(), threadIds());
    }

    private static List<String> descriptorTargets() {
        List<String> targets = new ArrayList<>();
        if (!canCountDescriptors()) {
            return targets;
        }
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.startsWith("/") || target.contains("atoll-tck-")) {
                        targets.add(target);
                    }
                } catch (IOException vanished) {
                    // the descriptor closed while listing (the listing's own one, for instance)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR, e);
        }
        return targets;
    }

    private static Set<Long> threadIds() {
        return new HashSet<>(ThreadDump.take().keySet());
    }

    /**
     * Whether a thread is the JDK's own, judged by what it is and what it runs, never by its
     * name: a thread of a class only the JDK can make (a carrier of virtual threads, the
     * JDK's innocuous system threads, its reference handlers and schedulers), a worker of the
     * common pool, a thread that started in code of a package the JDK does not export (its
     * pollers, JFR), or a platform thread with no Java frame at all (the JVM's own).
     */
    private static boolean isJdkOwned(ThreadDump.DumpedThread dumped, Thread thread) {
        if (thread != null) {
            Class<?> type = thread.getClass();
            boolean jdkClass = type.getModule().isNamed() && ThreadDump.isJdkModule(type.getModule().getName());
            if (jdkClass && (!java.lang.reflect.Modifier.isPublic(type.getModifiers())
                    || !type.getModule().isExported(type.getPackageName()))) {
                return true;
            }
            if (thread instanceof java.util.concurrent.ForkJoinWorkerThread worker
                    && worker.getPool() == java.util.concurrent.ForkJoinPool.commonPool()) {
                return true;
            }
            if (dumped.frames().isEmpty()) {
                return true;
            }
        }
        return dumped.entryFrame().map(ThreadDump::isJdkInternal).orElse(false);
    }

    /**
     * What is open now and was not at the baseline, waiting up to {@code settleMillis} for
     * closes that complete asynchronously.
     */
    static String leakedSince(ResourceSnapshot baseline, long settleMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + settleMillis;
        while (true) {
            List<String> nowTargets = descriptorTargets();
            List<String> problems = new ArrayList<>();
            if (nowTargets.size() > baseline.descriptors) {
                List<String> extra = new ArrayList<>(nowTargets);
                baseline.descriptorTargets.forEach(extra::remove);
                problems.add((nowTargets.size() - baseline.descriptors) + " more open descriptors (" + baseline.descriptors
                        + " before, " + nowTargets.size() + " after" + (extra.isEmpty() ? "" : ", such as "
                        + extra.subList(0, Math.min(5, extra.size()))) + ")");
            }
            List<String> threads = new ArrayList<>();
            Map<Long, Thread> platform = new HashMap<>();
            Thread.getAllStackTraces().keySet().forEach(t -> platform.put(t.threadId(), t));
            for (ThreadDump.DumpedThread dumped : ThreadDump.take().values()) {
                Thread thread = platform.get(dumped.id());
                if (!baseline.threadIds.contains(dumped.id()) && (thread == null || thread.isAlive())
                        && !isJdkOwned(dumped, thread)) {
                    threads.add("'" + dumped.name() + "'" + (dumped.virtual() || thread == null ? " (virtual)" : "")
                            + dumped.entryFrame().map(f -> " started in " + f).orElse(""));
                }
            }
            if (!threads.isEmpty()) {
                problems.add(threads.size() + " new threads still running, such as "
                        + threads.subList(0, Math.min(5, threads.size())));
            }
            if (problems.isEmpty()) {
                return null;
            }
            if (System.currentTimeMillis() > deadline) {
                return String.join("; ", problems);
            }
            Thread.sleep(50);
        }
    }
}
