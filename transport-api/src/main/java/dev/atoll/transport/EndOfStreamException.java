package dev.atoll.transport;

import java.nio.ByteBuffer;

/**
 * The peer ended its stream in order (it shut down writing, closed, or, on TLS, sent
 * close_notify) before the bytes asked for arrived (rule RECV-5). Nothing received is lost: an
 * exact-length receive that was cut short carries the bytes it did receive.
 */
public class EndOfStreamException extends TransportException {

    private final transient ByteBuffer partial;

    /**
     * An end of stream.
     *
     * @param message what failed, naming the operation and the peer
     * @param partial the bytes received before the end, possibly none
     */
    public EndOfStreamException(String message, ByteBuffer partial) {
        super(message);
        this.partial = partial.asReadOnlyBuffer();
    }

    /**
     * The bytes received before the end by the receive that failed, positioned at 0.
     *
     * @return a read-only view of the bytes, empty when none arrived
     */
    public ByteBuffer partial() {
        return partial.duplicate();
    }
}
