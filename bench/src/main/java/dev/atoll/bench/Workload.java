package dev.atoll.bench;

import dev.atoll.transport.Connection;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.net.Socket;

/**
 * What a benchmark server does with each accepted connection, written once for each kind of
 * server so every kind does the same work: on an Atoll {@link Connection}, on a plain JDK (or
 * JDK TLS) {@link Socket}, and as a raw Netty handler. Each method runs until the client goes
 * away; an {@link IOException} then ends it. A workload that only Atoll's servers run (they
 * compare Atoll's operations with each other) leaves the other two forms refusing.
 */
@FunctionalInterface
interface Workload {

    /**
     * Serves one Atoll connection, on its own virtual thread.
     *
     * @param connection the accepted connection, handshaken if it is TLS
     * @throws IOException when the client goes away
     */
    void serve(Connection connection) throws IOException;

    /**
     * Serves one JDK socket, on its own virtual thread.
     *
     * @param socket the accepted socket
     * @throws IOException when the client goes away
     */
    default void serve(Socket socket) throws IOException {
        throw new UnsupportedOperationException("this workload runs on Atoll's servers only");
    }

    /**
     * A fresh handler doing the same work in a raw Netty pipeline.
     *
     * @return the handler
     */
    default ChannelHandler netty() {
        throw new UnsupportedOperationException("this workload runs on Atoll's servers only");
    }
}
