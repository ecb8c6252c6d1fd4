/**
 * Atoll's {@code bctls} transport: TLS on Bouncy Castle's JSSE provider over any plain
 * transport.
 */
module dev.atoll.transport.bctls {
    requires transitive dev.atoll.transport.jsse;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.provider;

    exports dev.atoll.transport.bctls;

    provides dev.atoll.transport.TransportProvider with dev.atoll.transport.bctls.BctlsTransportProvider;
}
