package dev.atoll.websocket.conformance;

/**
 * A WebSocket echo server the suite tests as a client.
 *
 * @param name the report's name
 * @param host its address
 * @param port its port
 * @param tls  {@code wss} (TLS, the server's certificate issued by the TCK's test CA for localhost) or {@code ws}
 * @param path the request target of the upgrade
 */
public record Target(String name, String host, int port, boolean tls, String path) {

    @Override
    public String toString() {
        return name + " (" + (tls ? "wss" : "ws") + "://" + host + ":" + port + path + ")";
    }
}
