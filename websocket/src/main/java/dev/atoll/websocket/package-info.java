/**
 * WebSocket on Atoll. A {@link dev.atoll.websocket.WebSocketServer} answers the HTTP/1.1 upgrade
 * on any transport of Atoll's server layer and serves each accepted session with a
 * {@link dev.atoll.websocket.WebSocketEndpoint}: blocking code on the session's virtual thread,
 * or a {@link dev.atoll.websocket.WebSocketHandler} called for each message. One frame codec,
 * with every validation of RFC 6455 and the limits of {@link dev.atoll.websocket.WebSocketConfig},
 * serves both sides of the protocol.
 */
package dev.atoll.websocket;
