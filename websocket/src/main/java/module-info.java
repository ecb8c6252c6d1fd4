/**
 * WebSocket (RFC 6455) with permessage-deflate (RFC 7692) on any Atoll transport: the server
 * side runs on Atoll's server layer, each session either blocking (a virtual thread that
 * receives and sends whole messages) or by callbacks, in the manner of Cowboy's
 * {@code cowboy_websocket}.
 */
module dev.atoll.websocket {
    requires transitive dev.atoll.server;

    exports dev.atoll.websocket;
}
