/**
 * Atoll's server layer: a {@link dev.atoll.server.Server} accepts connections of any Atoll
 * transport, plain or TLS, and runs a handler for each on a virtual thread of its own, with
 * connection limits, a graceful stop, telemetry and the PROXY protocol.
 */
module dev.atoll.server {
    requires transitive dev.atoll.transport;
    requires jdk.jfr;

    exports dev.atoll.server;
}
