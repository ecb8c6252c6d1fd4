package dev.atoll.tck;

/**
 * How a connection under test is set up. Every data rule runs in each topology, so a transport
 * is checked against an independent peer in both directions and then against itself.
 */
public enum Topology {
    /** The transport listens and accepts; a JDK {@link java.net.Socket} connects. */
    SUBJECT_SERVER("server, JDK client"),
    /** A JDK {@link java.net.ServerSocket} accepts; the transport connects. */
    SUBJECT_CLIENT("client, JDK server"),
    /** The transport on both ends; the accepted end is checked. */
    SUBJECT_BOTH("server, own client");

    private final String description;

    Topology(String description) {
        this.description = description;
    }

    /**
     * How the ends are arranged, in words.
     *
     * @return how the ends are arranged, in words
     */
    public String description() {
        return description;
    }
}
