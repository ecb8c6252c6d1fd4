package dev.atoll.transport;

import java.util.Objects;

/**
 * Whether a transport can run on this machine and, when it cannot, why.
 *
 * @param available {@code true} when the transport can be used here
 * @param reason    why it cannot, or an empty string when it can
 */
public record Availability(boolean available, String reason) {

    /** The transport can run here. */
    public static final Availability AVAILABLE = new Availability(true, "");

    /**
     * Checks the pair: an unavailable transport must say why.
     *
     * @param available {@code true} when the transport can be used here
     * @param reason    why it cannot
     */
    public Availability {
        Objects.requireNonNull(reason, "reason");
        if (!available && reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable transport must give a reason");
        }
        if (available && !reason.isEmpty()) {
            throw new IllegalArgumentException("an available transport has no reason");
        }
    }

    /**
     * The transport cannot run here.
     *
     * @param reason why, in words a user can act on (for example "io_uring is disabled by
     *               the kernel.io_uring_disabled sysctl")
     * @return the unavailable value
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
