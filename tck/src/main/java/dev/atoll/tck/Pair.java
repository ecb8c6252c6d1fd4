package dev.atoll.tck;

import dev.atoll.transport.Connection;

/**
 * A connection of the transport under test and its peer.
 *
 * @param subject  the end under test
 * @param peer     the other end
 * @param topology how the two were set up
 */
public record Pair(Connection subject, Peer peer, Topology topology) {
}
