package dev.atoll.websocket.conformance;

/**
 * The side the suite plays; the only thing about it the case scripts see is in {@link Peer}:
 * a client masks what it sends and must receive unmasked frames, a server the reverse
 * (RFC 6455 section 5.1).
 */
public enum Role {
    /** The suite connects to a server under test. */
    CLIENT,
    /** The suite accepts a client under test. */
    SERVER;

    /** {@return whether the frames this side sends are masked} */
    boolean masksOutgoing() {
        return this == CLIENT;
    }

    /** {@return the side under test, in messages} */
    String tested() {
        return this == CLIENT ? "the server" : "the client";
    }
}
