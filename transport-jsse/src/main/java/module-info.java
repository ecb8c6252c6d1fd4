/**
 * Atoll's {@code jsse} transport: TLS on the JDK's {@code SSLEngine} over any plain transport,
 * and the SSLEngine driver other TLS backends share.
 */
module dev.atoll.transport.jsse {
    requires transitive dev.atoll.transport;

    exports dev.atoll.transport.jsse;

    uses dev.atoll.transport.TransportProvider;
    provides dev.atoll.transport.TransportProvider with dev.atoll.transport.jsse.JsseTransportProvider;
}
