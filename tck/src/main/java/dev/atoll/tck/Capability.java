package dev.atoll.tck;

/**
 * What a transport claims beyond the operations every transport has. The TCK runs the rules of
 * a capability only for transports that claim it, and reports the others as skipped with the
 * reason "not claimed".
 */
public enum Capability {
    /** {@code sendfile} sends file ranges (rules SENDFILE-*). */
    SENDFILE,
    /** {@code shutdown} half-closes each direction (rules SHUTDOWN-*). */
    HALF_CLOSE,
    /** The transport listens and connects over IPv6 (rule ADDR-2). */
    IPV6,
    /** The transport is TLS: the rules TLS-*, PAUSE-* and HANDSHAKE-2 apply. */
    TLS,
    /** The transport upgrades established plain connections (STARTTLS, rules UPGRADE-2, UPGRADE-3). */
    UPGRADE,
    /**
     * Sends honour a time limit: {@link dev.atoll.transport.AtollOptions#SEND_TIMEOUT} and the
     * per-call limit (rules SEND-2 to SEND-4). A transport that does not claim it refuses a
     * finite limit with {@link dev.atoll.transport.UnsupportedFeatureException}.
     */
    SEND_TIMEOUT;

    /** What every plain TCP transport offers: sendfile, half-close, IPv6 and send timeouts. */
    public static final java.util.Set<Capability> PLAIN_TCP = java.util.Collections.unmodifiableSet(
            java.util.EnumSet.of(SENDFILE, HALF_CLOSE, IPV6, SEND_TIMEOUT));

    /** What a complete TLS transport offers: all of {@link #PLAIN_TCP}, TLS and upgrade. */
    public static final java.util.Set<Capability> TLS_OVER_TCP = java.util.Collections.unmodifiableSet(
            java.util.EnumSet.of(SENDFILE, HALF_CLOSE, IPV6, SEND_TIMEOUT, TLS, UPGRADE));
}
