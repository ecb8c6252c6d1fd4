package dev.atoll.websocket;

/** Runs a {@link WebSocketHandler} on the session's thread: receive, dispatch, terminate. */
final class Callbacks {

    private Callbacks() {
    }

    static void run(WebSocket socket, WebSocketHandler handler) throws Exception {
        CloseReason end = null;
        try {
            handler.onOpen(socket);
            while (end == null) {
                Message m;
                try {
                    m = socket.receive();
                } catch (WebSocketClosedException e) {
                    end = e.reason();
                    break;
                }
                switch (m) {
                    case Message.Text t -> handler.onText(socket, t.text());
                    case Message.Binary b -> handler.onBinary(socket, b.data());
                    case Message.Ping p -> handler.onPing(socket, p.payload());
                    case Message.Pong p -> handler.onPong(socket, p.payload());
                    case Message.Close c -> {
                        end = socket.closeReason().orElseThrow();
                        handler.onClose(socket, c.code(), c.reason());
                    }
                }
            }
        } catch (Exception | Error e) {
            socket.closeAs(new CloseReason(CloseReason.Kind.CRASH, CloseReason.INTERNAL_ERROR, "", e));
            end = socket.closeReason().orElseThrow();
            throw e;
        } finally {
            if (end != null) {
                handler.terminate(socket, end);
            }
        }
    }
}
