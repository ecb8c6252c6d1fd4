package dev.atoll.tck;

import java.util.ArrayList;
import java.util.Arrays;

import java.io.ByteArrayOutputStream;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.tls.ClientAuth;
import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.tls.TlsException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** TLS: versions, ALPN, SNI, client certificates, verification, close_notify, bad peers, the paused handshake, STARTTLS. */
final class TlsRules {

    /** The AES-GCM cipher suites' family. */
    static final String AES_GCM = "AES-GCM";

    /** The ChaCha20-Poly1305 cipher suites' family. */
    static final String CHACHA20 = "ChaCha20-Poly1305";

    /** The cipher families every default configuration offers, over both versions (TLS-13). */
    static final List<String> CIPHER_FAMILIES = List.of(AES_GCM, CHACHA20);

    private TlsRules() {
    }

    static RuleGroup group() {
        Capability t = Capability.TLS;
        Capability u = Capability.UPGRADE;
        return new RuleGroup("tls", List.of(
                Rule.of("TLS-1", t, "TLS 1.3 and 1.2 handshakes and data with EC and RSA certificates, against a JDK "
                        + "SSLSocket client and server",
                        TlsRules::versions),
                Rule.of("TLS-13", t, "a default configuration serves and reaches JDK peers pinned to one version (TLS 1.3, "
                        + "TLS 1.2) and one cipher family (AES-GCM, ChaCha20-Poly1305) each, with EC and RSA certificates",
                        TlsRules::defaultRange),
                Rule.of("TLS-2", t, "ALPN agrees on a protocol both sides have; without ALPN none is negotiated", TlsRules::alpn),
                Rule.of("TLS-3", t, "ALPN with no protocol in common fails the handshake with no_application_protocol",
                        TlsRules::alpnMismatch),
                Rule.of("TLS-4", t, "a server presents the certificate configured for the SNI name asked for", TlsRules::sni),
                Rule.of("TLS-5", t, "client auth required: a trusted client certificate is seen by the server, none or an "
                        + "untrusted one fails", TlsRules::clientAuthRequired),
                Rule.of("TLS-6", t, "client auth optional: a client without a certificate connects, and peercert is empty",
                        TlsRules::clientAuthOptional),
                Rule.of("TLS-7", t, "a client refuses a server certificate for another name, expired, or from no trusted CA",
                        TlsRules::serverVerification),
                Rule.of("TLS-8", t, "shutdown(WRITE) sends close_notify, an orderly end for the peer; the peer's "
                        + "close_notify is an orderly end of stream; a close without it is not", TlsRules::closeNotify),
                Rule.of("TLS-9", t, "a peer that resets in the middle of a record is an error, not an end of stream",
                        TlsRules::resetMidRecord),
                Rule.of("TLS-10", Capability.HALF_CLOSE, "after sending close_notify a TLS connection still receives "
                        + "(half-close)", TlsRules::halfClose),
                Rule.of("TLS-11", t, "a configuration naming a cipher suite the backend lacks, or one that runs over none of "
                        + "its protocols, is refused when the transport is made, saying what the backend offers",
                        TlsRules::unusableConfiguration),
                Rule.of("TLS-12", t, "a transport without an identity refuses to listen and to upgrade a server side, "
                        + "saying so", TlsRules::serverNeedsIdentity),
                Rule.of("HANDSHAKE-2", t, "a handshake, clientHello and a handshake continued after it, with a client "
                        + "silent from the start or after its ClientHello, and a client's handshake with a silent server, "
                        + "time out after their timeout and not much later, and close the connection",
                        TlsRules::handshakeTimeout),
                Rule.of("HANDSHAKE-3", t, "a plain HTTP request or a cut-off ClientHello fails the handshake clearly",
                        TlsRules::notTls),
                Rule.of("ALERT-1", t, "a refused peer (garbage, an HTTP request, a bad or cut-off ClientHello, no protocol "
                        + "version or cipher suite in common) receives a fatal TLS alert before the connection ends",
                        TlsRules::refusedPeerGetsAlert),
                Rule.of("PAUSE-1", t, "a paused handshake shows SNI, ALPN offers, versions and suites, even for a ClientHello "
                        + "split over records and segments", TlsRules::pauseShowsClientHello),
                Rule.of("PAUSE-2", t, "clientHello refuses a plain HTTP request and garbage, saying what arrived, with a "
                        + "fatal alert to the peer",
                        TlsRules::pauseRefusesGarbage),
                Rule.of("PAUSE-3", t, "a paused handshake continues with the certificate and ALPN chosen for it",
                        TlsRules::pauseContinues),
                Rule.of("PAUSE-4", t, "a cancelled handshake sends handshake_failure and closes", TlsRules::pauseCancels),
                Rule.of("PAUSE-5", t, "clientHello on a client-side connection or after the handshake is an "
                        + "IllegalStateException that leaves the connection usable", TlsRules::pauseOnlyBeforeServerHandshake),
                Rule.of("UPGRADE-2", u, "a plain server connection upgrades after STARTTLS, keeping the bytes that follow",
                        TlsRules::upgradeServer),
                Rule.of("UPGRADE-3", u, "a plain client connection upgrades after STARTTLS", TlsRules::upgradeClient),
                Rule.of("UPGRADE-4", t, "upgrading a connection that is already secure is an UnsupportedFeatureException "
                        + "that leaves it usable", TlsRules::upgradeSecureRefused),
                Rule.of("UPGRADE-5", u, "bytes read ahead and handed back with unrecv go to the upgraded connection",
                        TlsRules::upgradeAfterUnrecv)));
    }

    // --- helpers

    private static Transport<?, ?> transport(TckContext tck, TlsConfig config) {
        return tck.subject().tls().factory().create(config);
    }

    private static TlsConfig.Builder config() {
        return TckTls.serverConfig().toBuilder();
    }

    private static Listener listen(TckContext tck, TlsConfig config) throws IOException {
        return tck.track(Listener.open(transport(tck, config), new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
    }

    /**
     * A JDK TLS client connected to {@code address}, set up by {@code parameters}; its handshake
     * runs on first use.
     */
    private static SSLSocket jdkClient(TckContext tck, InetSocketAddress address, SSLContext context,
                                       java.util.function.Consumer<SSLParameters> parameters) throws IOException {
        Socket raw = tck.jdkClientPlain(address);
        // A fresh context unless one is given: no session of an earlier check is resumed.
        SSLSocket tls = tck.layer(raw, true, context == null ? TckTls.jdkContext(null) : context);
        SSLParameters p = tls.getSSLParameters();
        parameters.accept(p);
        tls.setSSLParameters(p);
        return tls;
    }

    /** Accepts on {@code listener} and handshakes while the JDK client handshakes; returns the server end. */
    private static Connection serve(TckContext tck, Listener listener, SSLSocket client) throws Exception {
        var clientSide = tck.background("JDK client handshake", () -> {
            client.startHandshake();
            return null;
        });
        Connection server = tck.accept(listener).handshake(TckContext.IO_TIMEOUT);
        clientSide.join();
        return server;
    }

    private static void echo(TckContext tck, Connection subject, Socket peer) throws Exception {
        byte[] data = tck.randomBytes(20_000);
        var reader = tck.background("peer reads", () -> peer.getInputStream().readNBytes(data.length));
        subject.send(data);
        tck.requireBytes(data, reader.join(), "bytes the transport sent over TLS");
        peer.getOutputStream().write(data);
        peer.getOutputStream().flush();
        tck.requireBytes(data, Bytes.of(subject.recv(data.length, TckContext.IO_TIMEOUT)), "bytes the peer sent over TLS");
    }

    private static String subjectName(Certificate c) {
        return ((X509Certificate) c).getSubjectX500Principal().getName();
    }

    /** Runs a JDK TLS server on one connection: it handshakes, then echoes until the end. */
    private static InetSocketAddress jdkServer(TckContext tck, SSLContext context,
                                               java.util.function.Consumer<SSLParameters> parameters,
                                               java.util.concurrent.CompletableFuture<SSLSocket> accepted) throws IOException {
        ServerSocket server = tck.jdkServer();
        tck.background("JDK TLS server", () -> {
            Socket raw = tck.track(server.accept());
            raw.setSoTimeout((int) TckContext.IO_TIMEOUT.toMillis());
            SSLSocket tls = tck.layer(raw, false, context);
            SSLParameters p = tls.getSSLParameters();
            parameters.accept(p);
            tls.setSSLParameters(p);
            accepted.complete(tls);
            try {
                tls.startHandshake();
                tls.getInputStream().transferTo(tls.getOutputStream());
            } catch (IOException e) {
                // the rule checks what the transport saw
            }
            return null;
        });
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    // --- rules

    private static void versions(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        for (String key : TestPki.KEY_ALGORITHMS) {
            for (String version : TlsConfig.SAFE_PROTOCOLS) {
                String what = version + " with an " + key + " certificate";
                TlsConfig config = config().identity(pki.server(key).identity()).protocols(version).build();
                Listener listener = listen(tck, config);
                SSLSocket client = jdkClient(tck, listener.address(), null, p -> p.setProtocols(new String[] {version}));
                Connection server = serve(tck, listener, client);
                tck.require(client.getSession().getProtocol().equals(version),
                        "the JDK client negotiated " + client.getSession().getProtocol() + " with a " + version + "-only server");
                tck.require(client.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm().equals(key),
                        "the JDK client got a " + client.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()
                                + " certificate from a server configured with an " + key + " one");
                echo(tck, server, client);

                var accepted = new java.util.concurrent.CompletableFuture<SSLSocket>();
                InetSocketAddress address = jdkServer(tck, TckTls.jdkContext(pki.server(key)),
                        p -> p.setProtocols(new String[] {version}), accepted);
                Connection c = tck.track(Connection.connect(transport(tck, config), address, SocketOptions.none(),
                        TckContext.IO_TIMEOUT)).handshake(TckContext.IO_TIMEOUT);
                byte[] data = tck.randomBytes(30_000);
                c.send(data);
                tck.requireBytes(data, Bytes.of(c.recv(data.length, TckContext.IO_TIMEOUT)), what + ": echo from a JDK server");
                tck.require(accepted.get().getSession().getProtocol().equals(version),
                        "the JDK server negotiated " + accepted.get().getSession().getProtocol() + " with a " + version + " client");
                tck.closeAll();
            }
        }
    }

    /**
     * The cipher suites of one family that a peer pinned to a version and a certificate's key
     * algorithm offers, each a suite of every default configuration.
     */
    static List<String> suites(String version, String family, String key) {
        boolean chacha = family.equals(CHACHA20);
        if (version.equals("TLSv1.3")) {
            return chacha ? List.of("TLS_CHACHA20_POLY1305_SHA256") : List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        }
        String prefix = "TLS_ECDHE_" + (key.equals("RSA") ? "RSA" : "ECDSA") + "_WITH_";
        return chacha ? List.of(prefix + "CHACHA20_POLY1305_SHA256")
                : List.of(prefix + "AES_128_GCM_SHA256", prefix + "AES_256_GCM_SHA384");
    }

    private static void defaultRange(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        List<String> failures = new ArrayList<>();
        int pairings = 0;
        for (String key : TestPki.KEY_ALGORITHMS) {
            TlsConfig serverConfig = config().identity(pki.server(key).identity()).build();
            SSLContext jdkServerContext = TckTls.jdkContext(pki.server(key));
            for (String version : TlsConfig.SAFE_PROTOCOLS) {
                for (String family : CIPHER_FAMILIES) {
                    List<String> suites = suites(version, family, key);
                    java.util.function.Consumer<SSLParameters> pinned = p -> {
                        p.setProtocols(new String[] {version});
                        p.setCipherSuites(suites.toArray(new String[0]));
                    };
                    String what = version + " " + family + " with an " + key + " certificate";
                    pairings += 2;
                    try {
                        Listener listener = listen(tck, serverConfig);
                        SSLSocket client = jdkClient(tck, listener.address(), null, pinned);
                        Connection server = serve(tck, listener, client);
                        String problem = negotiated(client.getSession(), version, suites);
                        if (problem == null) {
                            problem = reported(server, client.getSession());
                        }
                        if (problem != null) {
                            failures.add("JDK client pinned to " + what + ": " + problem);
                        }
                        echo(tck, server, client);
                    } catch (Exception e) {
                        failures.add("JDK client pinned to " + what + ": " + TckContext.describe(e));
                    } finally {
                        tck.closeAll();
                    }
                    try {
                        var accepted = new java.util.concurrent.CompletableFuture<SSLSocket>();
                        InetSocketAddress address = jdkServer(tck, jdkServerContext, pinned, accepted);
                        Connection c = tck.track(Connection.connect(transport(tck, config().build()), address,
                                SocketOptions.none(), TckContext.IO_TIMEOUT)).handshake(TckContext.IO_TIMEOUT);
                        byte[] data = tck.randomBytes(1000);
                        c.send(data);
                        tck.requireBytes(data, Bytes.of(c.recv(data.length, TckContext.IO_TIMEOUT)), "echo from a JDK server");
                        String problem = negotiated(accepted.get().getSession(), version, suites);
                        if (problem == null) {
                            problem = reported(c, accepted.get().getSession());
                        }
                        if (problem != null) {
                            failures.add("JDK server pinned to " + what + ": " + problem);
                        }
                    } catch (Exception e) {
                        failures.add("JDK server pinned to " + what + ": " + TckContext.describe(e));
                    } finally {
                        tck.closeAll();
                    }
                }
            }
        }
        tck.require(failures.isEmpty(), "with its default protocols and cipher suites, " + failures.size() + " of " + pairings
                + " pairings failed: " + String.join("; ", failures));
    }

    /** SECURE-2: what the transport says was agreed is what its JDK peer agreed to. */
    private static String reported(Connection subject, javax.net.ssl.SSLSession peer) throws IOException {
        dev.atoll.transport.tls.TlsSession session = subject.tlsSession();
        if (!session.protocol().equals(peer.getProtocol()) || !session.cipherSuite().equals(peer.getCipherSuite())) {
            return "tlsSession() reports " + session.protocol() + " " + session.cipherSuite() + " where the peer agreed to "
                    + peer.getProtocol() + " " + peer.getCipherSuite() + " (SECURE-2)";
        }
        return null;
    }

    private static String negotiated(javax.net.ssl.SSLSession session, String version, List<String> suites) {
        if (!session.getProtocol().equals(version) || !suites.contains(session.getCipherSuite())) {
            return "negotiated " + session.getProtocol() + " " + session.getCipherSuite();
        }
        return null;
    }

    private static void alpn(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().alpn("h2", "http/1.1").build());
        SSLSocket client = jdkClient(tck, listener.address(), null,
                p -> p.setApplicationProtocols(new String[] {"spdy/3", "http/1.1"}));
        Connection server = serve(tck, listener, client);
        tck.require(server.negotiatedProtocol().equals(Optional.of("http/1.1")),
                "the server negotiated " + server.negotiatedProtocol() + ", the only common protocol is http/1.1");
        tck.require("http/1.1".equals(client.getApplicationProtocol()),
                "the JDK client sees ALPN '" + client.getApplicationProtocol() + "', expected http/1.1");

        var accepted = new java.util.concurrent.CompletableFuture<SSLSocket>();
        InetSocketAddress address = jdkServer(tck, null, p -> p.setApplicationProtocols(new String[] {"h2", "http/1.1"}),
                accepted);
        Connection c = tck.track(Connection.connect(transport(tck, config().alpn("h2").build()), address,
                SocketOptions.none(), TckContext.IO_TIMEOUT)).handshake(TckContext.IO_TIMEOUT);
        tck.require(c.negotiatedProtocol().equals(Optional.of("h2")), "the client negotiated " + c.negotiatedProtocol()
                + " with a JDK server offering h2 first");

        Listener plainAlpn = listen(tck, config().build());
        SSLSocket noAlpn = jdkClient(tck, plainAlpn.address(), null, p -> { });
        Connection none = serve(tck, plainAlpn, noAlpn);
        tck.require(none.negotiatedProtocol().isEmpty(), "without ALPN the server reports " + none.negotiatedProtocol());
    }

    private static void alpnMismatch(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().alpn("h2").build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> p.setApplicationProtocols(new String[] {"http/1.1"}));
        var clientSide = tck.background("JDK client handshake", () -> {
            client.startHandshake();
            return null;
        });
        Connection accepted = tck.accept(listener);
        TlsException e = tck.requireThrows(TlsException.class, "a handshake with no ALPN protocol in common",
                () -> accepted.handshake(TckContext.IO_TIMEOUT));
        tck.require(e.alert().equals(Optional.of("no_application_protocol")),
                "the failure names alert " + e.alert() + ", expected no_application_protocol: " + e.getMessage());
        tck.requireThrows(IOException.class, "the JDK client's handshake", clientSide::join);
    }

    private static void sni(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        TlsConfig config = config().identity("a.example", pki.serverFor("a.example").identity()).build();
        Listener listener = listen(tck, config);
        SSLSocket named = jdkClient(tck, listener.address(), TckTls.jdkContext(null), p -> {
            p.setServerNames(List.of(new SNIHostName("a.example")));
            p.setEndpointIdentificationAlgorithm(null);
        });
        serve(tck, listener, named);
        tck.require(subjectName(named.getSession().getPeerCertificates()[0]).equals("CN=a.example"),
                "a client asking for a.example got " + subjectName(named.getSession().getPeerCertificates()[0]));
        SSLSocket unnamed = jdkClient(tck, listener.address(), TckTls.jdkContext(null), p -> { });
        serve(tck, listener, unnamed);
        tck.require(subjectName(unnamed.getSession().getPeerCertificates()[0]).equals("CN=localhost"),
                "a client asking for no name got " + subjectName(unnamed.getSession().getPeerCertificates()[0]));

        Connection own = tck.track(Connection.connect(transport(tck, config().serverName("a.example").build()),
                listener.address(), SocketOptions.none(), TckContext.IO_TIMEOUT));
        var ownSide = tck.background("own client handshake", () -> own.handshake(TckContext.IO_TIMEOUT));
        tck.accept(listener).handshake(TckContext.IO_TIMEOUT);
        ownSide.join();
        tck.require(subjectName(own.peercert().get(0)).equals("CN=a.example"),
                "the transport's client asking for a.example got " + subjectName(own.peercert().get(0)));
    }

    private static void clientAuthRequired(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        Listener listener = listen(tck, config().clientAuth(ClientAuth.REQUIRED).build());
        SSLSocket good = jdkClient(tck, listener.address(), TckTls.jdkContext(pki.client()), p -> { });
        Connection server = serve(tck, listener, good);
        tck.require(!server.peercert().isEmpty() && subjectName(server.peercert().get(0)).equals("CN=atoll-tck-client"),
                "the server sees client certificates " + server.peercert().stream().map(TlsRules::subjectName).toList());
        echo(tck, server, good);
        for (TestPki.Issued bad : new TestPki.Issued[] {null, pki.untrustedClient()}) {
            SSLSocket client = jdkClient(tck, listener.address(), TckTls.jdkContext(bad), p -> { });
            var clientSide = tck.background("JDK client handshake", () -> {
                client.startHandshake();
                client.getInputStream().read();
                return null;
            });
            Connection accepted = tck.accept(listener);
            tck.requireThrows(TlsException.class, "a required client certificate that is "
                    + (bad == null ? "missing" : "from an untrusted CA"), () -> accepted.handshake(TckContext.IO_TIMEOUT));
            tck.requireThrows(IOException.class, "the refused JDK client", clientSide::join);
        }
        var accepted = new java.util.concurrent.CompletableFuture<SSLSocket>();
        InetSocketAddress address = jdkServer(tck, null, p -> p.setNeedClientAuth(true), accepted);
        Connection c = tck.track(Connection.connect(transport(tck, config().identity(pki.client().identity()).build()),
                address, SocketOptions.none(), TckContext.IO_TIMEOUT)).handshake(TckContext.IO_TIMEOUT);
        c.send(new byte[] {1});
        c.recv(1, TckContext.IO_TIMEOUT);
        tck.require(subjectName(accepted.get().getSession().getPeerCertificates()[0]).equals("CN=atoll-tck-client"),
                "a JDK server requiring a client certificate did not get the transport's");
    }

    private static void clientAuthOptional(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        Listener listener = listen(tck, config().clientAuth(ClientAuth.OPTIONAL).build());
        SSLSocket anonymous = jdkClient(tck, listener.address(), TckTls.jdkContext(null), p -> { });
        Connection server = serve(tck, listener, anonymous);
        tck.require(server.peercert().isEmpty(), "a client without a certificate shows " + server.peercert().size());
        echo(tck, server, anonymous);
        SSLSocket identified = jdkClient(tck, listener.address(), TckTls.jdkContext(pki.client()), p -> { });
        Connection second = serve(tck, listener, identified);
        tck.require(!second.peercert().isEmpty(), "a client with a certificate shows none to an optional server");
    }

    private static void serverVerification(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        record Case(String what, TestPki.Issued serverIdentity, TlsConfig clientConfig, boolean fails) {
        }
        List<Case> cases = List.of(
                new Case("a good certificate", pki.server(), config().build(), false),
                new Case("a certificate for another name", pki.server(), config().serverName("wrong.example").build(), true),
                new Case("an expired certificate", pki.expiredServer(), config().build(), true),
                new Case("a self-signed certificate", pki.selfSignedServer(), config().build(), true),
                new Case("another name with hostname verification off", pki.server(),
                        config().serverName("wrong.example").hostnameVerification(false).build(), false));
        for (Case c : cases) {
            var accepted = new java.util.concurrent.CompletableFuture<SSLSocket>();
            InetSocketAddress address = jdkServer(tck, TckTls.jdkContext(c.serverIdentity()), p -> { }, accepted);
            Connection client = tck.track(Connection.connect(transport(tck, c.clientConfig()), address, SocketOptions.none(),
                    TckContext.IO_TIMEOUT));
            if (c.fails()) {
                tck.requireThrows(TlsException.class, "a client handshake with " + c.what(),
                        () -> client.handshake(TckContext.IO_TIMEOUT));
                tck.require(client.isClosed() || !isUsable(client), "a failed handshake left the connection usable");
            } else {
                client.handshake(TckContext.IO_TIMEOUT);
            }
            tck.closeAll();
        }
    }

    private static boolean isUsable(Connection c) {
        try {
            c.send(new byte[] {1});
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeNotify(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> { });
        Connection server = serve(tck, listener, client);
        server.send(new byte[] {1, 2, 3});
        server.shutdown(ShutdownHow.WRITE);
        InputStream in = client.getInputStream();
        tck.requireBytes(new byte[] {1, 2, 3}, in.readNBytes(3), "bytes before close_notify");
        tck.require(in.read() == -1, "the JDK client did not see an orderly end after shutdown(WRITE)");

        SSLSocket closing = jdkClient(tck, listener.address(), null, p -> { });
        Connection receiving = serve(tck, listener, closing);
        closing.getOutputStream().write(new byte[] {6});
        closing.shutdownOutput();
        tck.requireBytes(new byte[] {6}, Bytes.of(receiving.recv(1, TckContext.IO_TIMEOUT)), "bytes before the peer's close_notify");
        tck.requireThrows(EndOfStreamException.class, "recv after the peer's close_notify",
                () -> tck.within(TckContext.SHORT_LIMIT, "recv after close_notify",
                        () -> receiving.recv(0, TckContext.IO_TIMEOUT)));

        SSLSocket abrupt = jdkClient(tck, listener.address(), null, p -> { });
        Connection second = serve(tck, listener, abrupt);
        TckTls.rawOf(abrupt).shutdownOutput();
        Throwable t = tck.requireThrows(IOException.class, "recv after the peer closed without close_notify",
                () -> tck.within(TckContext.SHORT_LIMIT, "recv after a close without close_notify",
                        () -> second.recv(0, TckContext.IO_TIMEOUT)));
        tck.require(!(t instanceof EndOfStreamException), "a close without close_notify was reported as an orderly end");
    }

    private static void halfClose(TckContext tck) throws Exception {
        if (!tck.secure()) {
            throw new RuleSkipped(tck.transport().name() + " is plain; SHUTDOWN-1 checks its half-close");
        }
        Listener listener = listen(tck, config().build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> { });
        Connection server = serve(tck, listener, client);
        server.shutdown(ShutdownHow.WRITE);
        tck.require(client.getInputStream().read() == -1, "the JDK client did not see the end after shutdown(WRITE)");
        client.getOutputStream().write(new byte[] {4, 5});
        client.getOutputStream().flush();
        tck.requireBytes(new byte[] {4, 5}, Bytes.of(server.recv(2, TckContext.IO_TIMEOUT)),
                "receiving after sending close_notify (TLS 1.3 half-close)");
    }

    private static void resetMidRecord(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> { });
        Connection server = serve(tck, listener, client);
        Socket raw = TckTls.rawOf(client);
        raw.getOutputStream().write(new byte[] {0x17, 0x03, 0x03, 0x40, 0x00, 1, 2, 3, 4, 5, 6, 7, 8});
        raw.getOutputStream().flush();
        Thread.sleep(50);
        raw.setSoLinger(true, 0);
        raw.close();
        Throwable t = tck.requireThrows(IOException.class, "recv after a reset in the middle of a record",
                () -> tck.within(TckContext.SHORT_LIMIT, "recv after a reset", () -> server.recv(0, TckContext.IO_TIMEOUT)));
        tck.require(!(t instanceof EndOfStreamException) && !(t instanceof SocketTimeoutException),
                "a reset in the middle of a record was reported as " + TckContext.describe(t));
    }

    private static void unusableConfiguration(TckContext tck) {
        record Case(String what, TlsConfig config, String refused, String offered) {
        }
        String tls13Suite = "TLS_AES_128_GCM_SHA256";
        String tls12Suite = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        for (Case c : List.of(
                new Case("TLS 1.3 with only a TLS 1.2 suite", config().protocols("TLSv1.3").cipherSuites(tls12Suite).build(),
                        tls12Suite, tls13Suite),
                new Case("TLS 1.2 with only a TLS 1.3 suite", config().protocols("TLSv1.2").cipherSuites(tls13Suite).build(),
                        tls13Suite, tls12Suite),
                new Case("a suite no TLS library has", config().cipherSuites("TLS_NO_SUCH_SUITE_SHA256").build(),
                        "TLS_NO_SUCH_SUITE_SHA256", tls13Suite))) {
            IllegalArgumentException e = tck.requireThrows(IllegalArgumentException.class,
                    "making the transport with " + c.what(), () -> transport(tck, c.config()));
            tck.require(e.getMessage().contains(c.refused()) && e.getMessage().contains(c.offered()),
                    "the error for " + c.what() + " does not name the suite " + c.refused() + " and what the backend offers ("
                            + c.offered() + ", say): " + e.getMessage());
        }
    }

    private static void serverNeedsIdentity(TckContext tck) throws Exception {
        Transport<?, ?> anonymous = transport(tck, TlsConfig.builder().trust(TestPki.get().ca().chain()).build());
        IllegalStateException e = tck.requireThrows(IllegalStateException.class, "listen without an identity",
                () -> tck.track(Listener.open(anonymous, new InetSocketAddress(TckContext.LOOPBACK_V4, 0))));
        tck.require(e.getMessage().contains("identity"), "the refusal to listen does not name the missing identity: "
                + e.getMessage());
        if (tck.subject().claims(Capability.UPGRADE)) {
            Listener plainListener = tck.track(Listener.open(tck.subject().tls().plain().get(),
                    new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
            Socket raw = tck.jdkClientPlain(plainListener.address());
            Connection accepted = tck.accept(plainListener);
            tck.requireThrows(IllegalStateException.class, "upgrading the server side without an identity",
                    () -> accepted.upgrade(anonymous, true));
            accepted.send(new byte[] {7});
            tck.require(raw.getInputStream().read() == 7, "the plain connection was not left usable after the refused upgrade");
        }
    }

    private static void upgradeSecureRefused(TckContext tck) throws Exception {
        Transport<?, ?> secure = transport(tck, config().build());
        Listener listener = listen(tck, config().build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> { });
        Connection server = serve(tck, listener, client);
        tck.requireThrows(dev.atoll.transport.UnsupportedFeatureException.class, "upgrading a TLS connection",
                () -> server.upgrade(secure, true));
        echo(tck, server, client);
    }

    private static void pauseOnlyBeforeServerHandshake(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        Connection own = tck.track(Connection.connect(transport(tck, config().build()), listener.address(),
                SocketOptions.none(), TckContext.IO_TIMEOUT));
        tck.requireThrows(IllegalStateException.class, "clientHello on a client-side connection",
                () -> own.clientHello(TckContext.IO_TIMEOUT));
        var ownSide = tck.background("client handshake after the refused clientHello", () -> own.handshake(TckContext.IO_TIMEOUT));
        Connection accepted = tck.accept(listener).handshake(TckContext.IO_TIMEOUT);
        ownSide.join();
        tck.requireThrows(IllegalStateException.class, "clientHello after the handshake",
                () -> accepted.clientHello(TckContext.IO_TIMEOUT));
        accepted.send(new byte[] {1, 2, 3});
        tck.requireBytes(new byte[] {1, 2, 3}, Bytes.of(own.recv(3, TckContext.IO_TIMEOUT)),
                "bytes after the refused clientHello calls");
    }

    /**
     * HANDSHAKE-2's time limit: long enough that a call waiting three times as long ends well
     * past {@link TckContext#LATE}.
     */
    private static final Duration HANDSHAKE_LIMIT = Duration.ofMillis(500);

    /** A call to time, and the silent peer of the connection it runs on. */
    private record SilentPeerCall(Socket silentPeer, TckContext.Action call) {
    }

    /** Sets up a timed call on a freshly accepted connection, and returns it. */
    @FunctionalInterface
    private interface TimedCallOn {
        TckContext.Action on(Connection accepted) throws Exception;
    }

    private static void handshakeTimeout(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        byte[] hello = clientHelloBytes("localhost", List.of());
        String limit = " with a " + HANDSHAKE_LIMIT.toMillis() + " ms timeout";
        timesOutAndCloses(tck, "a handshake" + limit + " and a client that sends nothing",
                () -> accepted(tck, listener, new byte[0], accepted -> () -> accepted.handshake(HANDSHAKE_LIMIT)));
        timesOutAndCloses(tck, "clientHello" + limit + " and a client that sends nothing",
                () -> accepted(tck, listener, new byte[0], accepted -> () -> accepted.clientHello(HANDSHAKE_LIMIT)));
        timesOutAndCloses(tck, "a handshake" + limit + " and a client silent after its ClientHello",
                () -> accepted(tck, listener, hello, accepted -> () -> accepted.handshake(HANDSHAKE_LIMIT)));
        timesOutAndCloses(tck, "a handshake continued after clientHello" + limit + " and a client silent after its "
                + "ClientHello", () -> accepted(tck, listener, hello, accepted -> {
                    accepted.clientHello(TckContext.IO_TIMEOUT);
                    TlsConfig chosen = config().build();
                    return () -> accepted.handshake(chosen, HANDSHAKE_LIMIT);
                }));
        ServerSocket silentServer = tck.jdkServer();
        timesOutAndCloses(tck, "a client's handshake" + limit + " and a server that answers nothing", () -> {
            Connection client = tck.connect((InetSocketAddress) silentServer.getLocalSocketAddress(), SocketOptions.none());
            return new SilentPeerCall(tck.track(silentServer.accept()), () -> client.handshake(HANDSHAKE_LIMIT));
        });
    }

    /** A JDK client connects and sends {@code sent} (nothing, or a ClientHello), then nothing more. */
    private static SilentPeerCall accepted(TckContext tck, Listener listener, byte[] sent, TimedCallOn call) throws Exception {
        Socket client = tck.jdkClientPlain(listener.address());
        client.getOutputStream().write(sent);
        return new SilentPeerCall(client, call.on(tck.accept(listener)));
    }

    /**
     * The call set up afresh by {@code fresh} times out after {@link #HANDSHAKE_LIMIT} and not
     * much later, and its silent peer then sees the connection end.
     */
    private static void timesOutAndCloses(TckContext tck, String what, TckContext.Work<SilentPeerCall> fresh)
            throws Exception {
        Socket[] peer = new Socket[1];
        tck.requireTimesOutAfresh(what, HANDSHAKE_LIMIT, () -> {
            SilentPeerCall setUp = fresh.call();
            peer[0] = setUp.silentPeer();
            return setUp.call();
        });
        peer[0].setSoTimeout((int) TckContext.SHORT_LIMIT.toMillis());
        try {
            peer[0].getInputStream().readAllBytes();   // what the handshake sent before it timed out, then the end
        } catch (SocketTimeoutException open) {
            throw tck.violation("after " + what + " timed out, the peer's connection was still open "
                    + TckContext.SHORT_LIMIT.toMillis() + " ms later", null);
        }
    }

    private static void notTls(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        Socket http = tck.jdkClientPlain(listener.address());
        http.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Connection accepted = tck.accept(listener);
        tck.requireThrows(TlsException.class, "a handshake with a plain HTTP client",
                () -> tck.within(TckContext.SHORT_LIMIT, "a handshake with an HTTP client",
                        () -> accepted.handshake(TckContext.IO_TIMEOUT)));

        byte[] hello = clientHelloBytes("localhost", List.of());
        Socket cut = tck.jdkClientPlain(listener.address());
        cut.getOutputStream().write(hello, 0, 20);
        cut.shutdownOutput();
        Connection second = tck.accept(listener);
        tck.requireThrows(TlsException.class, "a handshake with a ClientHello cut off after 20 bytes",
                () -> tck.within(TckContext.SHORT_LIMIT, "a handshake with a cut-off ClientHello",
                        () -> second.handshake(TckContext.IO_TIMEOUT)));
    }

    private static void refusedPeerGetsAlert(TckContext tck) throws Exception {
        record Case(String what, TlsConfig server, byte[] bytes, boolean thenEnd) {
        }
        byte[] hello = clientHelloBytes("localhost", List.of());
        byte[] badHello = hello.clone();
        badHello[5 + 4 + 2 + 32] = (byte) 0xFF;   // the session id's length, past the end of the message
        byte[] garbage = tck.randomBytes(64);
        garbage[0] = 0x42;   // no TLS content type
        TlsConfig any = config().build();
        for (Case c : List.of(
                new Case("garbage", any, garbage, false),
                new Case("a plain HTTP request", any,
                        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false),
                new Case("a ClientHello whose session id runs past its end", any, badHello, false),
                new Case("a ClientHello cut off after 20 bytes and the end of the stream", any,
                        java.util.Arrays.copyOf(hello, 20), true),
                new Case("a TLS 1.2 ClientHello to a TLS 1.3 server", config().protocols("TLSv1.3").build(),
                        clientHelloBytes("localhost", List.of(), p -> p.setProtocols(new String[] {"TLSv1.2"})), false),
                new Case("a ClientHello with no cipher suite in common",
                        config().cipherSuites("TLS_AES_256_GCM_SHA384").protocols("TLSv1.3").build(),
                        clientHelloBytes("localhost", List.of(), p -> {
                            p.setProtocols(new String[] {"TLSv1.3"});
                            p.setCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
                        }), false))) {
            Listener listener = listen(tck, c.server());
            Socket raw = tck.jdkClientPlain(listener.address());
            raw.getOutputStream().write(c.bytes());
            if (c.thenEnd()) {
                raw.shutdownOutput();
            }
            Connection accepted = tck.accept(listener);
            var serverSide = tck.background("handshake with " + c.what(), () -> accepted.handshake(TckContext.IO_TIMEOUT));
            requireAlert(tck, raw, c.what());
            tck.requireThrows(IOException.class, "the handshake with " + c.what(), serverSide::join);
            tck.closeAll();
        }

        Listener listener = listen(tck, config().protocols("TLSv1.3").build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> p.setProtocols(new String[] {"TLSv1.2"}));
        var clientSide = tck.background("JDK TLS 1.2 client handshake", () -> {
            client.startHandshake();
            return null;
        });
        Connection accepted = tck.accept(listener);
        tck.requireThrows(IOException.class, "a TLS 1.3 server's handshake with a TLS 1.2 client",
                () -> accepted.handshake(TckContext.IO_TIMEOUT));
        SSLHandshakeException e = tck.requireThrows(SSLHandshakeException.class, "the JDK TLS 1.2 client's handshake",
                () -> tck.within(TckContext.SHORT_LIMIT, "the JDK client's handshake", clientSide::join));
        tck.require(e.getMessage().contains("Received fatal alert"), "the JDK client's handshake failed without an alert "
                + "from the server: " + e.getMessage());
    }

    /** Reads from {@code raw}, within {@link TckContext#SHORT_LIMIT}, a fatal alert record before the end. */
    private static void requireAlert(TckContext tck, Socket raw, String what) throws Exception {
        raw.setSoTimeout((int) TckContext.SHORT_LIMIT.toMillis());
        byte[] record = new byte[0];
        try {
            record = raw.getInputStream().readNBytes(7);
        } catch (SocketTimeoutException e) {
            tck.require(false, "the peer that sent " + what + " received no alert within " + TckContext.SHORT_LIMIT);
        } catch (IOException reset) {
            // what arrived before the reset, if anything, is lost: no alert
        }
        tck.require(record.length == 7 && record[0] == 0x15 && record[1] == 0x03 && record[3] == 0 && record[4] == 2
                        && record[5] == 2,
                "the peer that sent " + what + " received " + java.util.HexFormat.ofDelimiter(" ").formatHex(record)
                        + " before the end, not a fatal alert record (15 03 xx 00 02 02 description)");
    }

    /** The first flight of a JDK client: one record holding a ClientHello. */
    static byte[] clientHelloBytes(String serverName, List<String> alpn) throws IOException {
        return clientHelloBytes(serverName, alpn, p -> { });
    }

    /** The first flight of a JDK client set up by {@code parameters}. */
    static byte[] clientHelloBytes(String serverName, List<String> alpn, java.util.function.Consumer<SSLParameters> parameters)
            throws IOException {
        SSLEngine engine = TckTls.jdkContext(null).createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        parameters.accept(p);
        p.setServerNames(List.of(new SNIHostName(serverName)));
        if (!alpn.isEmpty()) {
            p.setApplicationProtocols(alpn.toArray(new String[0]));
        }
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Bytes.of(out.flip());
    }

    /** Splits the one record of {@code hello} into three records of the same handshake message. */
    private static byte[] reframed(byte[] hello) {
        int length = hello.length - 5;
        int[] cuts = {0, length / 3, 2 * length / 3, length};
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            int n = cuts[i + 1] - cuts[i];
            out.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) (n >> 8), (byte) n});
            out.write(hello, 5 + cuts[i], n);
        }
        return out.toByteArray();
    }

    private static void pauseShowsClientHello(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> {
            p.setServerNames(List.of(new SNIHostName("a.example")));
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            p.setEndpointIdentificationAlgorithm(null);
        });
        tck.background("JDK client handshake", () -> {
            client.startHandshake();
            return null;
        });
        ClientHello hello = tck.accept(listener).clientHello(TckContext.IO_TIMEOUT);
        tck.require(hello.serverName().equals(Optional.of("a.example")), "SNI reads " + hello.serverName());
        tck.require(hello.alpnProtocols().equals(List.of("h2", "http/1.1")), "ALPN offers read " + hello.alpnProtocols());
        tck.require(hello.versions().contains("TLSv1.3") && hello.versions().contains("TLSv1.2"),
                "versions read " + hello.versions());
        tck.require(hello.cipherSuites().contains("TLS_AES_128_GCM_SHA256"), "cipher suites read " + hello.cipherSuites());

        byte[] split = reframed(clientHelloBytes("b.example", List.of("http/1.1")));
        Socket raw = tck.jdkClientPlain(listener.address());
        var writer = tck.background("client writes a ClientHello in pieces", () -> {
            for (int at = 0; at < split.length; at += 7) {
                raw.getOutputStream().write(split, at, Math.min(7, split.length - at));
                raw.getOutputStream().flush();
                Thread.sleep(2);
            }
            return null;
        });
        ClientHello pieces = tck.accept(listener).clientHello(TckContext.IO_TIMEOUT);
        writer.join();
        tck.require(pieces.serverName().equals(Optional.of("b.example")) && pieces.alpnProtocols().equals(List.of("http/1.1")),
                "a ClientHello in three records and many segments reads SNI " + pieces.serverName() + ", ALPN "
                        + pieces.alpnProtocols());
    }

    private static void pauseRefusesGarbage(TckContext tck) throws Exception {
        Listener listener = listen(tck, config().build());
        record Case(String what, byte[] bytes, String mention) {
        }
        for (Case c : List.of(new Case("a plain HTTP request", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "HTTP"),
                new Case("garbage", new byte[] {0x42, 0x13, 0x37, 0x00, 0x01, 0x02}, "not TLS"))) {
            Socket raw = tck.jdkClientPlain(listener.address());
            raw.getOutputStream().write(c.bytes());
            Connection accepted = tck.accept(listener);
            TlsException e = tck.requireThrows(TlsException.class, "clientHello of " + c.what(),
                    () -> tck.within(TckContext.SHORT_LIMIT, "clientHello of " + c.what(),
                            () -> accepted.clientHello(TckContext.IO_TIMEOUT)));
            tck.require(e.getMessage().contains(c.mention()), "the error for " + c.what() + " does not say '" + c.mention()
                    + "': " + e.getMessage());
            requireAlert(tck, raw, c.what() + " to a paused handshake");
            tck.require(raw.getInputStream().read() == -1, "the connection of " + c.what() + " was not closed");
        }
    }

    private static void pauseContinues(TckContext tck) throws Exception {
        TestPki pki = TestPki.get();
        Listener listener = listen(tck, config().alpn("http/1.1").build());
        SSLSocket client = jdkClient(tck, listener.address(), null, p -> {
            p.setServerNames(List.of(new SNIHostName("a.example")));
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            p.setEndpointIdentificationAlgorithm(null);
        });
        var clientSide = tck.background("JDK client handshake", () -> {
            client.startHandshake();
            return null;
        });
        Connection accepted = tck.accept(listener);
        ClientHello hello = accepted.clientHello(TckContext.IO_TIMEOUT);
        TlsConfig chosen = config().identity(pki.serverFor(hello.serverName().orElseThrow()).identity()).alpn("h2").build();
        Connection server = accepted.handshake(chosen, TckContext.IO_TIMEOUT);
        clientSide.join();
        tck.require(subjectName(client.getSession().getPeerCertificates()[0]).equals("CN=a.example"),
                "after choosing the a.example certificate the client got " + subjectName(client.getSession().getPeerCertificates()[0]));
        tck.require(server.negotiatedProtocol().equals(Optional.of("h2")) && "h2".equals(client.getApplicationProtocol()),
                "after choosing ALPN h2 the server has " + server.negotiatedProtocol() + ", the client " + client.getApplicationProtocol());
        echo(tck, server, client);
    }

    /** How long after cancelHandshake the client may take to see the alert and the end of the connection. */
    private static final Duration CANCEL_SEEN = Duration.ofSeconds(5);

    private static void pauseCancels(TckContext tck) throws Exception {
        pauseCancels(tck, transport(tck, config().build()));
    }

    /**
     * Through the SPI, so that what is checked is the transport's doing: the JDK client's handshake
     * fails with the alert, its plain socket (left open by the JDK's TLS layer) then reads the end
     * of the connection or a reset, the handle is closed, and no descriptor is left open.
     */
    private static <S, L> void pauseCancels(TckContext tck, Transport<S, L> t) throws Exception {
        L listener = t.listen(new InetSocketAddress(TckContext.LOOPBACK_V4, 0), SocketOptions.none());
        tck.track(() -> t.closeListener(listener));
        tck.track(t);
        Socket raw = tck.jdkClientPlain(t.listenerAddress(listener));
        ResourceSnapshot baseline = ResourceSnapshot.take();
        InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        SSLSocket client = (SSLSocket) TckTls.jdkContext(null).getSocketFactory()
                .createSocket(raw, remote.getHostString(), remote.getPort(), false);
        tck.track(client);
        client.setUseClientMode(true);
        var clientSide = tck.background("JDK client handshake", () -> {
            client.startHandshake();
            return null;
        });
        S accepted = t.accept(listener, TckContext.IO_TIMEOUT);
        tck.track(() -> t.close(accepted));
        t.clientHello(accepted, TckContext.IO_TIMEOUT);
        t.cancelHandshake(accepted);
        SSLHandshakeException e = tck.requireThrows(SSLHandshakeException.class, "the JDK client after a cancelled handshake",
                () -> tck.within(CANCEL_SEEN, "the JDK client's handshake after cancelHandshake", clientSide::join));
        tck.require(e.getMessage().contains("handshake_failure"), "the client's error does not name handshake_failure: "
                + e.getMessage());
        raw.setSoTimeout((int) CANCEL_SEEN.toMillis());
        try {
            int more = raw.getInputStream().read();
            tck.require(more < 0, "after the alert of a cancelled handshake the client's socket read more bytes");
        } catch (SocketTimeoutException open) {
            throw tck.violation("the connection was still open " + CANCEL_SEEN.toMillis() + " ms after cancelHandshake", null);
        } catch (java.net.SocketException reset) {
            // a reset ends the connection too
        }
        String stillOpen = tck.failsWithin(dev.atoll.transport.ConnectionClosedException.class,
                "recv on the transport with the cancelled handle", CANCEL_SEEN, () -> t.recv(accepted, 0, Transport.INFINITE));
        tck.require(stillOpen == null, "after cancelHandshake " + stillOpen);
        raw.close();
        if (ResourceSnapshot.canCountDescriptors()) {
            String leaked = ResourceSnapshot.leakedSince(baseline, TckRun.SETTLE_MILLIS);
            tck.require(leaked == null, "a cancelled handshake left " + leaked);
        }
    }

    private static void upgradeServer(TckContext tck) throws Exception {
        Transport<?, ?> plain = tck.subject().tls().plain().get();
        Transport<?, ?> secure = transport(tck, config().build());
        Listener listener = tck.track(Listener.open(plain, new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
        var client = jdkStartTlsClient(tck, listener, "STARTTLS\n");
        Connection accepted = tck.accept(listener);
        tck.requireBytes("STARTTLS\n".getBytes(StandardCharsets.US_ASCII), Bytes.of(accepted.recv(9, TckContext.IO_TIMEOUT)),
                "the STARTTLS line");
        Connection upgraded = tck.track(accepted.upgrade(secure, true)).handshake(TckContext.IO_TIMEOUT);
        requireUpgradedServer(tck, upgraded, client);
    }

    /** A JDK client that sends a STARTTLS line and starts TLS at once, sends "after", and reads two bytes back. */
    private static TckContext.Background<byte[]> jdkStartTlsClient(TckContext tck, Listener listener, String line)
            throws IOException {
        Socket raw = tck.jdkClientPlain(listener.address());
        return tck.background("JDK client: STARTTLS, then TLS at once", () -> {
            raw.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
            SSLSocket tls = tck.layer(raw, true, null);
            tls.startHandshake();
            tls.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            return tls.getInputStream().readNBytes(2);
        });
    }

    /** The upgraded server end receives the client's "after" and its "ok" reaches the client, over TLS. */
    private static void requireUpgradedServer(TckContext tck, Connection upgraded, TckContext.Background<byte[]> client)
            throws Exception {
        tck.requireBytes("after".getBytes(StandardCharsets.US_ASCII), Bytes.of(upgraded.recv(5, TckContext.IO_TIMEOUT)),
                "bytes after the upgrade");
        upgraded.send("ok".getBytes(StandardCharsets.US_ASCII));
        tck.requireBytes("ok".getBytes(StandardCharsets.US_ASCII), client.join(), "the reply over TLS");
        tck.require(upgraded.secure(), "the upgraded connection is not secure");
    }

    private static void upgradeAfterUnrecv(TckContext tck) throws Exception {
        Transport<?, ?> plain = tck.subject().tls().plain().get();
        Transport<?, ?> secure = transport(tck, config().build());
        Listener listener = tck.track(Listener.open(plain, new InetSocketAddress(TckContext.LOOPBACK_V4, 0)));
        var client = jdkStartTlsClient(tck, listener, "STARTTLS\r\n");
        Connection accepted = tck.accept(listener);
        // Read ahead: the line and the start of the ClientHello, as a line reader would, then hand back what follows it.
        byte[] line = "STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (read.size() <= line.length) {
            read.writeBytes(Bytes.of(accepted.recv(0, TckContext.IO_TIMEOUT)));
        }
        byte[] all = read.toByteArray();
        tck.requireBytes(line, Arrays.copyOf(all, line.length), "the STARTTLS line");
        accepted.unrecv(ByteBuffer.wrap(all, line.length, all.length - line.length));
        Connection upgraded = tck.track(accepted.upgrade(secure, true)).handshake(TckContext.IO_TIMEOUT);
        requireUpgradedServer(tck, upgraded, client);
    }

    private static void upgradeClient(TckContext tck) throws Exception {
        Transport<?, ?> plain = tck.subject().tls().plain().get();
        Transport<?, ?> secure = transport(tck, config().build());
        ServerSocket server = tck.jdkServer();
        var peer = tck.background("JDK server: reads STARTTLS, then TLS", () -> {
            Socket raw = tck.track(server.accept());
            byte[] line = raw.getInputStream().readNBytes(9);
            SSLSocket tls = tck.layer(raw, false, null);
            tls.startHandshake();
            tls.getOutputStream().write(tls.getInputStream().readNBytes(4));
            tls.getOutputStream().flush();
            return new String(line, StandardCharsets.US_ASCII);
        });
        Connection c = tck.track(Connection.connect(plain, (InetSocketAddress) server.getLocalSocketAddress(),
                SocketOptions.none(), TckContext.IO_TIMEOUT));
        c.send("STARTTLS\n".getBytes(StandardCharsets.US_ASCII));
        Connection upgraded = tck.track(c.upgrade(secure, false)).handshake(TckContext.IO_TIMEOUT);
        tck.require(!upgraded.peercert().isEmpty(), "the upgraded client has no server certificate");
        upgraded.send("ping".getBytes(StandardCharsets.US_ASCII));
        tck.requireBytes("ping".getBytes(StandardCharsets.US_ASCII), Bytes.of(upgraded.recv(4, TckContext.IO_TIMEOUT)),
                "the echo over the upgraded connection");
        tck.require(peer.join().equals("STARTTLS\n"), "the server read " + peer.join());
    }
}
