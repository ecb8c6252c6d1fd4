package dev.atoll.transport.spi;

import dev.atoll.transport.Transport;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A point in time an operation must finish by, from a {@link Duration} timeout: infinite for
 * {@link Transport#INFINITE} (or longer), immediate for {@link Duration#ZERO}.
 */
public final class Deadline {

    private static final Deadline NEVER = new Deadline(Long.MAX_VALUE, true);

    private final long expiresAtNanos;
    private final boolean infinite;

    private Deadline(long expiresAtNanos, boolean infinite) {
        this.expiresAtNanos = expiresAtNanos;
        this.infinite = infinite;
    }

    /**
     * The deadline {@code timeout} from now.
     *
     * @param timeout a non-negative duration; {@link Transport#INFINITE} or longer never expires
     * @return the deadline
     * @throws IllegalArgumentException when the timeout is negative
     */
    public static Deadline after(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
        }
        if (timeout.compareTo(Transport.INFINITE) >= 0 || timeout.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L / 2) {
            return NEVER;
        }
        return new Deadline(System.nanoTime() + timeout.toNanos(), false);
    }

    /**
     * Whether this deadline never expires.
     *
     * @return {@code true} for an infinite timeout
     */
    public boolean isInfinite() {
        return infinite;
    }

    /**
     * Nanoseconds left, at least 0; {@link Long#MAX_VALUE} when infinite.
     *
     * @return the time left
     */
    public long remainingNanos() {
        return infinite ? Long.MAX_VALUE : Math.max(0, expiresAtNanos - System.nanoTime());
    }

    /**
     * Milliseconds left in the form of {@link java.net.Socket#setSoTimeout}: 0 for infinite,
     * at least 1 otherwise (so an almost expired deadline still waits briefly rather than
     * forever).
     *
     * @param operation the operation and peer, for the timeout's message
     * @return the time left for a socket timeout
     * @throws SocketTimeoutException when the deadline has passed
     */
    public int soTimeoutMillis(String operation) throws SocketTimeoutException {
        if (infinite) {
            return 0;
        }
        long nanos = remainingNanos();
        if (nanos == 0) {
            throw new SocketTimeoutException(operation + ": timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (nanos + 999_999) / 1_000_000));
    }
}
