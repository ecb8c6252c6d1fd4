package dev.atoll.server;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/** What an acceptor does after {@code accept} failed: how long it waits before the next one. */
final class AcceptFailures {

    /** Out of descriptors ({@code EMFILE}, {@code ENFILE}): give closing connections time to free some. */
    static final Duration OUT_OF_DESCRIPTORS = Duration.ofMillis(100);

    /** Anything else, which may pass (memory, buffers): retry soon, but never in a tight loop. */
    static final Duration TRANSIENT = Duration.ofMillis(10);

    private AcceptFailures() {
    }

    /**
     * How long to wait after a failed {@code accept}.
     *
     * @param e the failure of {@code accept}
     * @return how long to wait before accepting again, or {@code null} when the failure is only
     *         that a client gave up while queued ({@code ECONNABORTED}), which is not worth a report
     */
    static Duration backoff(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("too many open files")) {
                return OUT_OF_DESCRIPTORS;
            }
            if (message.contains("connection aborted") || message.contains("software caused connection abort")) {
                return null;
            }
        }
        return TRANSIENT;
    }
}
