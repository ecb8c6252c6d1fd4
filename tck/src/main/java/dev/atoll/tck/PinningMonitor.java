package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;

/**
 * Watches JFR's {@code jdk.VirtualThreadPinned} events (with no duration threshold) for the
 * pinning check PIN-1: a virtual thread that blocks while pinned to its carrier.
 */
final class PinningMonitor implements AutoCloseable {

    private final RecordingStream stream;
    private final List<String> events = new ArrayList<>();
    private final AtomicLong flushes = new AtomicLong();
    private int groupStart;

    private PinningMonitor(RecordingStream stream) {
        this.stream = stream;
    }

    /**
     * Starts watching.
     *
     * @throws RuntimeException or {@link LinkageError} when this JVM has no JFR
     */
    static PinningMonitor start() {
        RecordingStream stream = new RecordingStream();
        PinningMonitor monitor = new PinningMonitor(stream);
        stream.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        stream.onEvent("jdk.VirtualThreadPinned", monitor::record);
        stream.onFlush(monitor.flushes::incrementAndGet);
        stream.startAsync();
        return monitor;
    }

    private synchronized void record(RecordedEvent event) {
        if (event.hasField("pinnedReason") && String.valueOf(event.getString("pinnedReason"))
                .startsWith("Waited for initialization")) {
            return;   // a first use waiting for a class another thread is initializing: once per class, not the transport's
        }
        StringBuilder where = new StringBuilder();
        if (event.getStackTrace() == null) {
            where.append("an unknown place (JFR recorded no stack)");
        } else {
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!inTransport(frames)) {
                return;
            }
            for (int i = 0; i < Math.min(10, frames.size()); i++) {
                RecordedFrame f = frames.get(i);
                where.append(i == 0 ? "" : " <- ").append(f.getMethod().getType().getName()).append('.')
                        .append(f.getMethod().getName());
            }
        }
        String reason = event.hasField("pinnedReason") ? " (" + event.getString("pinnedReason") + ")" : "";
        events.add("pinned for " + event.getDuration().toMillis() + " ms" + reason + " at " + where);
    }

    /**
     * Whether a pinning happened inside a transport: below a call of the {@link Connection} or
     * {@link Listener} view, through which the TCK makes every call. Pinning elsewhere (the
     * JDK's own pollers, which wait in epoll pinned by design; the TCK's peers) is not the
     * transport's. A class that loads or initializes under a lock the first time it is used
     * pins once and is not counted either (nor a thread waiting for another to initialize one), nor is pinning inside a TLS library's own code (the
     * JDK's {@code sun.security.ssl}, Bouncy Castle's) or in the JDK's interrupt bookkeeping of
     * NIO calls ({@code Thread.blockedOn}, run with preemption disabled on purpose), which a
     * backend cannot change.
     */
    private static boolean inTransport(List<RecordedFrame> frames) {
        if (!frames.isEmpty() && frames.get(0).getMethod().getType().getName().startsWith("sun.security.ssl.")) {
            // The JDK's own TLS stack pins inside itself (its session cache, under contention);
            // a backend cannot change that, so PIN-1 does not count it.
            return false;
        }
        if (!frames.isEmpty() && frames.get(0).getMethod().getName().equals("blockedOn")
                && frames.get(0).getMethod().getType().getName().startsWith("java.lang.")) {
            // Every interruptible NIO call registers with Thread.blockedOn, which the JDK runs
            // with preemption disabled; if another thread holds the interrupt lock at that
            // instant (interrupting, or closing the channel), the JDK reports a pin of ~0 ms.
            return false;
        }
        boolean inView = false;
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("org.bouncycastle.")) {
                // Bouncy Castle's TLS stack, like the JDK's, pins inside itself at times.
                return false;
            }
            String method = f.getMethod().getName();
            if ((type.endsWith("ClassLoader") && method.startsWith("loadClass")) || method.equals("<clinit>")) {
                return false;
            }
            inView |= type.equals(Connection.class.getName()) || type.equals(Listener.class.getName());
        }
        return inView;
    }

    synchronized void beginGroup() {
        groupStart = events.size();
    }

    /** The pinning events since {@link #beginGroup}, after JFR has flushed what happened. */
    List<String> pinnedSinceGroupStart() throws InterruptedException {
        long seen = flushes.get();
        long deadline = System.currentTimeMillis() + 5_000;
        while (flushes.get() < seen + 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        synchronized (this) {
            return new ArrayList<>(events.subList(groupStart, events.size()));
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
