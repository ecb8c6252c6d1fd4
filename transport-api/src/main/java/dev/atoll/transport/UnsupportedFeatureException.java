package dev.atoll.transport;

/**
 * The transport does not offer what was asked: an upgrade on a plain transport, an option it
 * does not advertise (rule OPT-2), a feature of another kind of transport.
 */
public class UnsupportedFeatureException extends TransportException {

    /**
     * A refusal.
     *
     * @param message what was asked, of which transport
     */
    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
