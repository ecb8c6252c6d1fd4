package dev.atoll.transport;

/**
 * No transport could be chosen: the name is unknown, two transports claim one name, or the
 * transport asked for cannot run here. The message lists the transports found, which are
 * available, and why the others are not.
 */
public class TransportSelectionException extends IllegalStateException {

    /**
     * A failed choice.
     *
     * @param message what was asked and what there is
     */
    public TransportSelectionException(String message) {
        super(message);
    }
}
