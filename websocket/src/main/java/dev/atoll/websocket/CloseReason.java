package dev.atoll.websocket;

import java.util.Objects;

/**
 * Why a session ended, as a {@link WebSocketHandler} and {@link WebSocketClosedException} report
 * it: who ended it, the close code and the reason on the wire (or the one Atoll would have sent),
 * and the failure behind it, if any.
 *
 * @param kind   who or what ended the session
 * @param code   the close code: the peer's for {@link Kind#REMOTE}, the one sent otherwise, or
 *               {@link #ABNORMAL} (1006) when no close frame was exchanged
 * @param reason the close reason, empty when there was none
 * @param cause  the failure behind it, or {@code null}
 */
public record CloseReason(Kind kind, int code, String reason, Throwable cause) {

    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: an endpoint is going away, such as a server stopping. */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a data type the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: the close frame had no status code (never sent on the wire). */
    public static final int NO_STATUS = 1005;
    /** 1006: the connection ended without a close frame (never sent on the wire). */
    public static final int ABNORMAL = 1006;
    /** 1007: a text message (or close reason) was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was larger than the endpoint accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the server did not negotiate an extension the client needs (client only). */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the endpoint met an unexpected condition, such as a handler that threw. */
    public static final int INTERNAL_ERROR = 1011;

    /** Who or what ended a session. */
    public enum Kind {
        /** The peer sent a close frame. */
        REMOTE,
        /** The application closed the session. */
        LOCAL,
        /** Nothing arrived within the idle timeout (or a keep-alive ping got no answer). */
        TIMEOUT,
        /** The peer broke the protocol or a limit; Atoll closed with the matching code. */
        PROTOCOL_ERROR,
        /** The application's code threw; Atoll closed with 1011. */
        CRASH,
        /** The server stopped; Atoll closed with 1001. */
        SHUTDOWN,
        /** The connection failed or ended without a close frame. */
        TRANSPORT
    }

    /** Checks the components: none may be null but the cause. */
    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Whether {@code code} may appear in a close frame on the wire (RFC 6455 section 7.4 and the
     * IANA registry): 1000-1003, 1007-1014, and 3000-4999.
     *
     * @param code a close code
     * @return whether a close frame may carry it
     */
    public static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
