package dev.atoll.websocket;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What {@link WebSocket#receive} returns: a data message (whole, or one part of it when
 * streaming), a control frame, or the peer's close.
 */
public sealed interface Message {

    /**
     * A text message, or with {@link WebSocket#receivePart} one part of it.
     *
     * @param text the text (valid UTF-8 on the wire; a part never splits a code point)
     * @param last whether this ends the message (always {@code true} from {@link WebSocket#receive})
     */
    record Text(String text, boolean last) implements Message {
        /** Checks the components: none may be null. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A binary message, or with {@link WebSocket#receivePart} one part of it.
     *
     * @param data the bytes, the receiver's to keep
     * @param last whether this ends the message (always {@code true} from {@link WebSocket#receive})
     */
    record Binary(ByteBuffer data, boolean last) implements Message {
        /** Checks the components: none may be null. */
        public Binary {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A ping. It has already been answered with a pong of the same payload when it is returned.
     *
     * @param payload at most 125 bytes
     */
    record Ping(ByteBuffer payload) implements Message {
        /** Checks the components: none may be null. */
        public Ping {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * A pong, solicited or not.
     *
     * @param payload at most 125 bytes
     */
    record Pong(ByteBuffer payload) implements Message {
        /** Checks the components: none may be null. */
        public Pong {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * The peer closed the session. Its close has been answered and the connection closed when
     * this is returned; the next receive throws {@link WebSocketClosedException}.
     *
     * @param code   the peer's close code, or {@link CloseReason#NO_STATUS} (1005) when its close
     *               frame had no payload
     * @param reason the peer's reason, empty when it gave none
     */
    record Close(int code, String reason) implements Message {
        /** Checks the components: none may be null. */
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
