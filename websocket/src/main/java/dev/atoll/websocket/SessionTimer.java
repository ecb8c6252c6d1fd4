package dev.atoll.websocket;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that keeps every session's time: idle timeouts, keep-alive pings and close
 * deadlines. A session schedules one check at a time, at the next moment something may be due,
 * so a busy session costs the timer nothing per message, and its receives can wait without a
 * time limit (a timed park costs a timer entry on every wait). The thread stops after ten
 * seconds without work and starts again when needed.
 */
final class SessionTimer {

    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "atoll-websocket-timer");
            t.setDaemon(true);
            return t;
        });
        TIMER.setKeepAliveTime(10, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private SessionTimer() {
    }

    /** Runs {@code check} at {@code atNanos} ({@link System#nanoTime()}); it must not block. */
    static ScheduledFuture<?> at(long atNanos, Runnable check) {
        return TIMER.schedule(check, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
