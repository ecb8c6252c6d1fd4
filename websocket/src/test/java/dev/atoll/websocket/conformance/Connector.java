package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.time.Duration;

/** Opens WebSocket connections with the peer under test; the suite's role lives here and in {@link Peer}. */
public interface Connector {

    /** {@return the side the suite plays} */
    Role role();

    /**
     * Opens one connection and completes the opening handshake.
     *
     * @param offers  the permessage-deflate parameters the case asks for, the first preferred, none for no extension:
     *                the offers the suite makes as a client, the answers it chooses from as a server
     * @param timeout how long the handshake may take
     * @return the peer, its extensions agreed
     * @throws IOException when the connection fails
     * @throws HandshakeException when the peer's side of the handshake breaks the RFC
     */
    Peer open(java.util.List<DeflateOffer> offers, Duration timeout) throws IOException, HandshakeException;

    /** A handshake that broke the RFC. */
    final class HandshakeException extends Exception {
        public HandshakeException(String message) {
            super(message);
        }
    }
}
