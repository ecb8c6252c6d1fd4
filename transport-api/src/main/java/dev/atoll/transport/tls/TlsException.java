package dev.atoll.transport.tls;

import dev.atoll.transport.TransportException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS failure: a handshake that failed, an alert from the peer, bytes that are not TLS. The
 * message names the operation and the peer; {@link #alert()} gives the TLS alert's description
 * ({@code bad_certificate}, {@code no_application_protocol}, ...) where there was one.
 */
public class TlsException extends TransportException {

    /**
     * The JDK's "Received fatal alert: bad_certificate" and "(bad_certificate) ...", Bouncy
     * Castle's "TlsFatalAlert: bad_certificate(42)" and "TlsFatalAlertReceived: ...".
     */
    private static final Pattern ALERT = Pattern.compile("(?:(?i:alert(?:received)?): |\\()([a-z][a-z_]+[a-z])");

    /** The description of the TLS alert sent or received, or null when the failure had none. */
    private final String alert;

    /**
     * A TLS failure.
     *
     * @param message what failed, naming the operation and the peer
     * @param cause   the TLS engine's exception, if any
     */
    public TlsException(String message, Throwable cause) {
        super(message, cause);
        this.alert = alertIn(message, cause);
    }

    private static String alertIn(String message, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = ALERT.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        Matcher m = ALERT.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /**
     * The description of the TLS alert sent or received, as TLS names it.
     *
     * @return the alert, if the failure had one
     */
    public Optional<String> alert() {
        return Optional.ofNullable(alert);
    }
}
