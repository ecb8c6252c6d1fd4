package dev.atoll.server;

import dev.atoll.transport.SocketStats;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What a {@link Server} knows of one of its connections, at one moment.
 *
 * @param id         a number unique within the server, in the order connections were accepted
 * @param peer       the client's address (the PROXY header's source, when the connection came
 *                   through a proxy that sent one)
 * @param socketPeer the socket's own peer (the proxy, when there is one)
 * @param local      the server's address of the connection
 * @param since      when the connection was accepted
 * @param transport  the name of the transport
 * @param stats      the connection's traffic at the moment this was taken
 */
public record ConnectionInfo(long id, InetSocketAddress peer, InetSocketAddress socketPeer, InetSocketAddress local, Instant since, String transport,
                             SocketStats stats) {
}
