package dev.atoll.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The process's open sockets and other non-file descriptors (read from {@code /proc/self/fd}),
 * plus the TCK's own temporary files, and its platform threads, for the leak check LEAK-1.
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
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!isJdkOwned(t)) {
                ids.add(t.threadId());
            }
        }
        return ids;
    }

    /** Threads the JDK starts and keeps by itself: virtual-thread carriers and pollers, JFR, the cleaner. */
    private static boolean isJdkOwned(Thread t) {
        String name = t.getName();
        return t.getClass().getName().endsWith("CarrierThread")
                || name.startsWith("ForkJoinPool") || name.startsWith("JFR") || name.startsWith("Common-Cleaner")
                || name.equals("MasterPoller") || name.equals("process reaper") || name.equals("Attach Listener") || name.startsWith("VirtualThread-unpark");
    }

    /**
     * What is open now and was not at the baseline, waiting up to {@code settleMillis} for
     * closes that complete asynchronously.
     */
    static String leakedSince(ResourceSnapshot baseline, long settleMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + settleMillis;
        while (true) {
            ResourceSnapshot now = take();
            List<String> problems = new ArrayList<>();
            if (now.descriptors > baseline.descriptors) {
                List<String> extra = new ArrayList<>(now.descriptorTargets);
                baseline.descriptorTargets.forEach(extra::remove);
                problems.add((now.descriptors - baseline.descriptors) + " more open descriptors (" + baseline.descriptors
                        + " before, " + now.descriptors + " after" + (extra.isEmpty() ? "" : ", such as "
                        + extra.subList(0, Math.min(5, extra.size()))) + ")");
            }
            List<String> threads = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!baseline.threadIds.contains(t.threadId()) && !isJdkOwned(t) && t.isAlive()) {
                    threads.add(t.getName());
                }
            }
            if (!threads.isEmpty()) {
                problems.add(threads.size() + " new threads still running: " + threads);
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
