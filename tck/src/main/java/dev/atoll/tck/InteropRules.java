package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.TransportProvider;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.ClientAuth;
import dev.atoll.transport.tls.TlsConfig;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The interop matrix: the transport under test against every secure transport on the class
 * path (itself included), as client and as server.
 */
final class InteropRules {

    private InteropRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("interop", List.of(
                Rule.of("INTEROP-1", Capability.TLS, "with every secure transport on the class path, as client and as server, "
                        + "with its default versions against a partner pinned to TLS 1.3 or 1.2, EC and RSA certificates, ALPN "
                        + "and a required client certificate work", InteropRules::matrix),
                Rule.of("INTEROP-2", "with every plain transport on the class path, as client and as server, data flows "
                        + "both ways and half-closes", InteropRules::plainPairs)));
    }

    /** A secure transport to pair with: the subject itself or one found by ServiceLoader. */
    private record Partner(String name, TckSubject.SecureFactory factory) {
    }

    private static List<Partner> partners(TckContext tck) {
        List<Partner> partners = new ArrayList<>();
        partners.add(new Partner(tck.transport().name(), tck.subject().tls().factory()));
        for (TransportProvider provider : Transports.providers()) {
            if (provider instanceof SecureTransportProvider secure && provider.availability().available()
                    && !provider.name().equals(tck.transport().name())) {
                partners.add(new Partner(provider.name(), config -> secure.create(config, Map.of())));
            }
        }
        return partners;
    }

    private static void matrix(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        TckSubject.SecureFactory subject = tck.subject().tls().factory();
        String self = tck.transport().name();
        List<String> failures = new ArrayList<>();
        int pairings = 0;
        for (Partner partner : partners(tck)) {
            for (String key : TestPki.KEY_ALGORITHMS) {
                for (String version : TlsConfig.SAFE_PROTOCOLS) {
                    // The transport under test keeps its default versions; the partner is pinned to one.
                    TlsConfig server = TckTls.serverConfig().toBuilder().identity(pki.server(key).identity())
                            .alpn("h2", "http/1.1").clientAuth(ClientAuth.REQUIRED).build();
                    TlsConfig client = TckTls.serverConfig().toBuilder().alpn("h2").identity(pki.client(key).identity()).build();
                    for (boolean subjectIsClient : new boolean[] {true, false}) {
                        pairings++;
                        TlsConfig clientConfig = subjectIsClient ? client : client.toBuilder().protocols(version).build();
                        TlsConfig serverConfig = subjectIsClient ? server.toBuilder().protocols(version).build() : server;
                        TckSubject.SecureFactory clientSide = subjectIsClient ? subject : partner.factory();
                        TckSubject.SecureFactory serverSide = subjectIsClient ? partner.factory() : subject;
                        String pairing = (subjectIsClient ? self : partner.name()) + " client -> "
                                + (subjectIsClient ? partner.name() : self) + " server, the " + (subjectIsClient ? "server" : "client")
                                + " pinned to " + version + ", " + key + " certificates";
                        try {
                            String problem = exchange(tck, clientSide.create(clientConfig), serverSide.create(serverConfig), key);
                            if (problem != null) {
                                failures.add(pairing + ": " + problem);
                            }
                        } catch (Exception e) {
                            failures.add(pairing + ": " + TckContext.describe(e));
                        } finally {
                            tck.closeAll();
                        }
                    }
                }
            }
        }
        tck.require(failures.isEmpty(), failures.size() + " of " + pairings + " pairings failed: " + String.join("; ", failures));
    }

    private static void plainPairs(TckContext tck) throws Exception {
        if (tck.secure()) {
            throw new RuleSkipped(tck.transport().name() + " is secure; INTEROP-1 pairs it with the other secure transports");
        }
        List<String> failures = new ArrayList<>();
        int pairings = 0;
        List<Transport<?, ?>> made = new ArrayList<>();
        for (TransportProvider provider : Transports.providers()) {
            if (!(provider instanceof SecureTransportProvider) && provider.availability().available()
                    && !provider.name().equals(tck.transport().name())) {
                made.add(provider.create(Map.of()));
            }
        }
        List<Transport<?, ?>> partners = new ArrayList<>();
        partners.add(tck.transport());
        partners.addAll(made);
        try {
            for (Transport<?, ?> other : partners) {
                for (boolean subjectIsClient : new boolean[] {true, false}) {
                    pairings++;
                    Transport<?, ?> client = subjectIsClient ? tck.transport() : other;
                    Transport<?, ?> server = subjectIsClient ? other : tck.transport();
                    String pairing = client.name() + " client -> " + server.name() + " server";
                    try {
                        String problem = plainExchange(tck, client, server);
                        if (problem != null) {
                            failures.add(pairing + ": " + problem);
                        }
                    } catch (Exception e) {
                        failures.add(pairing + ": " + TckContext.describe(e));
                    } finally {
                        tck.closeAll();
                    }
                }
            }
        } finally {
            made.forEach(Transport::close);
        }
        tck.require(failures.isEmpty(), failures.size() + " of " + pairings + " pairings failed: " + String.join("; ", failures));
    }

    private static String plainExchange(TckContext tck, Transport<?, ?> clientTransport, Transport<?, ?> serverTransport)
            throws Exception {
        Listener listener = tck.track(Listener.open(serverTransport, new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
        Connection client = tck.track(Connection.connect(clientTransport, listener.address(), SocketOptions.none(),
                TckContext.IO_TIMEOUT));
        Connection server = tck.track(listener.accept(TckContext.IO_TIMEOUT));
        byte[] data = tck.randomBytes(1 << 20);
        var reader = tck.background("server reads", () -> Bytes.of(server.recv(data.length, TckContext.IO_TIMEOUT)));
        client.send(data);
        if (!java.util.Arrays.equals(data, reader.join())) {
            return "1 MiB from client to server arrived changed";
        }
        var back = tck.background("client reads", () -> Bytes.of(client.recv(data.length, TckContext.IO_TIMEOUT)));
        server.send(data);
        server.shutdown(dev.atoll.transport.ShutdownHow.WRITE);
        if (!java.util.Arrays.equals(data, back.join())) {
            return "1 MiB from server to client arrived changed";
        }
        try {
            client.recv(0, TckContext.SHORT_LIMIT);
            return "the client read past the server's shutdown(WRITE)";
        } catch (dev.atoll.transport.EndOfStreamException expected) {
            return null;
        }
    }

    /** One connection between a client and a server transport; returns what went wrong, or null. */
    private static String exchange(TckContext tck, Transport<?, ?> clientTransport, Transport<?, ?> serverTransport,
                                   String key) throws Exception {
        Listener listener = tck.track(Listener.open(serverTransport, new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
        Connection client = tck.track(Connection.connect(clientTransport, listener.address(), SocketOptions.none(),
                TckContext.IO_TIMEOUT));
        var clientSide = tck.background("client handshake", () -> client.handshake(TckContext.IO_TIMEOUT));
        Connection server = tck.track(listener.accept(TckContext.IO_TIMEOUT)).handshake(TckContext.IO_TIMEOUT);
        clientSide.join();
        if (!server.negotiatedProtocol().equals(Optional.of("h2")) || !client.negotiatedProtocol().equals(Optional.of("h2"))) {
            return "ALPN: server " + server.negotiatedProtocol() + ", client " + client.negotiatedProtocol();
        }
        if (server.peercert().isEmpty()
                || !((X509Certificate) server.peercert().get(0)).getSubjectX500Principal().getName().equals("CN=atoll-tck-client")) {
            return "the server sees client certificates " + server.peercert().size();
        }
        String serverKey = client.peercert().get(0).getPublicKey().getAlgorithm();
        String clientKey = server.peercert().get(0).getPublicKey().getAlgorithm();
        if (!serverKey.equals(key) || !clientKey.equals(key)) {
            return "configured with " + key + " certificates, the server presented " + serverKey + " and the client " + clientKey;
        }
        byte[] data = tck.randomBytes(100_000);
        var reader = tck.background("server reads", () -> Bytes.of(server.recv(data.length, TckContext.IO_TIMEOUT)));
        client.send(data);
        if (!java.util.Arrays.equals(data, reader.join())) {
            return "100000 bytes from client to server arrived changed";
        }
        server.send(data);
        if (!java.util.Arrays.equals(data, Bytes.of(client.recv(data.length, TckContext.IO_TIMEOUT)))) {
            return "100000 bytes from server to client arrived changed";
        }
        return null;
    }
}
