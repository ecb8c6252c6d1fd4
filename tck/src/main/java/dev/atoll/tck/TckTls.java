package dev.atoll.tck;

import dev.atoll.transport.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of a TCK run: configurations for the transport under test, and the JDK's own
 * {@link SSLSocket}s as the independent peer, all on {@link TestPki}'s certificates.
 */
public final class TckTls {

    private TckTls() {
    }

    /**
     * The configuration of the transport under test: the server certificate for localhost,
     * 127.0.0.1 and ::1, the test CA as the only trust anchor, hostname verification on.
     *
     * @return the configuration
     */
    public static TlsConfig serverConfig() {
        TestPki pki = TestPki.get();
        return TlsConfig.builder().identity(pki.server().identity()).trust(pki.ca().chain()).build();
    }

    /**
     * A JDK context for reference peers: optionally presenting an identity, trusting the test CA.
     *
     * @param identity what the JDK side presents, or {@code null}
     * @return the context
     */
    public static SSLContext jdkContext(TestPki.Issued identity) {
        return jdkContext(identity, TestPki.get().ca().certificate());
    }

    /**
     * A JDK context optionally presenting an identity and trusting one given CA, such as the
     * test CA of another JVM.
     *
     * @param identity what the JDK side presents, or {@code null}
     * @param anchor   the only certificate it trusts
     * @return the context
     */
    public static SSLContext jdkContext(TestPki.Issued identity, X509Certificate anchor) {
        try {
            KeyManagerFactory keys = null;
            if (identity != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity.keyStore("key", TestPki.PASSWORD), TestPki.PASSWORD);
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", anchor);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make the JDK's TLS context for the TCK", e);
        }
    }

    private static final Map<Socket, Socket> RAW = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The plain socket a TLS socket from {@link #layer} runs over (the socket itself if it is
     * not one), to reset it without a close_notify.
     *
     * @param socket the socket
     * @return the plain socket under it
     */
    static Socket rawOf(Socket socket) {
        Socket raw = RAW.get(socket);
        return raw == null ? socket : raw;
    }

    private static final class Default {
        static final SSLContext CONTEXT = jdkContext(TestPki.get().server());
    }

    /**
     * A JDK TLS socket layered over a connected plain socket, client or server side, with
     * hostname verification on for a client. Its handshake starts on first use.
     *
     * @param raw     the connected plain socket; closing the TLS socket closes it
     * @param client  {@code true} for the client side
     * @param context the context, or {@code null} for the default reference peer's
     * @return the TLS socket
     * @throws IOException when it cannot be layered
     */
    public static SSLSocket layer(Socket raw, boolean client, SSLContext context) throws IOException {
        SSLContext c = context == null ? Default.CONTEXT : context;
        InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        SSLSocket tls = (SSLSocket) c.getSocketFactory().createSocket(raw, remote.getHostString(), remote.getPort(), true);
        tls.setUseClientMode(client);
        RAW.put(tls, raw);
        if (client) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        return tls;
    }
}
