package dev.atoll.transport.spi;

import dev.atoll.transport.SocketStats;

/**
 * Counts one direction of a connection's traffic: octets, calls that moved bytes, and the most
 * bytes one call moved. Written by one thread at a time (the reader or the writer), read by any.
 */
public final class TrafficCounter {

    private volatile long octets;
    private volatile long calls;
    private volatile long max;

    /** A counter at zero. */
    public TrafficCounter() {
    }

    /**
     * Records one call that moved {@code bytes} bytes; a call that moved none is not counted.
     *
     * @param bytes how many bytes the call moved
     */
    public void record(long bytes) {
        if (bytes <= 0) {
            return;
        }
        octets += bytes;
        calls++;
        if (bytes > max) {
            max = bytes;
        }
    }

    /**
     * The statistics of a connection from its two counters.
     *
     * @param received counts what {@code recv} returned
     * @param sent     counts what {@code send} and {@code sendfile} sent
     * @return a snapshot
     */
    public static SocketStats snapshot(TrafficCounter received, TrafficCounter sent) {
        return new SocketStats(received.octets(), received.calls(), received.max(), sent.octets(), sent.calls(), sent.max());
    }

    /**
     * The bytes counted.
     *
     * @return the octets
     */
    public long octets() {
        return octets;
    }

    /**
     * The calls that moved bytes.
     *
     * @return the calls
     */
    public long calls() {
        return calls;
    }

    /**
     * The most bytes one call moved.
     *
     * @return the maximum
     */
    public long max() {
        return max;
    }
}
