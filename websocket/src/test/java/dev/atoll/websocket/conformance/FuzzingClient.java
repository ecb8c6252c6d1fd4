package dev.atoll.websocket.conformance;

import dev.atoll.tck.TckTls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The suite as a WebSocket client (RFC 6455 section 4.1) of a {@link Target}: plain TCP or TLS
 * trusting the TCK's test CA with SNI {@code localhost}, an upgrade request it writes itself, and
 * every part of the server's answer checked.
 */
public final class FuzzingClient implements Connector {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Target target;

    public FuzzingClient(Target target) {
        this.target = target;
    }

    @Override
    public Role role() {
        return Role.CLIENT;
    }

    /**
     * Connects to the target, over TLS when it is {@code wss}, without a handshake.
     *
     * @param timeout for the TCP and TLS handshakes
     * @return the connected socket
     */
    public Socket connect(Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
            if (!target.tls()) {
                return socket;
            }
            SSLSocket tls = (SSLSocket) TckTls.jdkContext(null).getSocketFactory().createSocket(socket, "localhost",
                    target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("localhost")));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setUseClientMode(true);
            tls.setSoTimeout((int) timeout.toMillis());
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** {@return a fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64} */
    public static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** {@return the {@code Sec-WebSocket-Accept} a server owes for a key} */
    public static String acceptOf(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@return an upgrade request head, ended by its blank line}
     *
     * @param method     the method
     * @param key        the key, or {@code null} to leave the field out
     * @param version    the {@code Sec-WebSocket-Version}
     * @param extensions the {@code Sec-WebSocket-Extensions}, or {@code null}
     */
    public String request(String method, String key, String version, String extensions) {
        StringBuilder s = new StringBuilder();
        s.append(method).append(' ').append(target.path()).append(" HTTP/1.1\r\n");
        s.append("Host: localhost:").append(target.port()).append("\r\n");
        s.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
        if (key != null) {
            s.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        }
        s.append("Sec-WebSocket-Version: ").append(version).append("\r\n");
        if (extensions != null) {
            s.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
        }
        return s.append("\r\n").toString();
    }

    @Override
    public Peer open(List<DeflateOffer> offers, Duration timeout) throws IOException, HandshakeException {
        return open(offers, new byte[0], timeout);
    }

    /**
     * Opens a connection with several permessage-deflate offers, the first preferred, and bytes
     * written in the same write as the request head.
     *
     * @param offers    the offers, none for no extension
     * @param pipelined what follows the request head at once
     * @param timeout   how long the handshake may take
     * @return the peer
     */
    public Peer open(List<DeflateOffer> offers, byte[] pipelined, Duration timeout) throws IOException, HandshakeException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket socket = connect(timeout);
        try {
            String key = newKey();
            String extensions = offers.isEmpty() ? null
                    : String.join(", ", offers.stream().map(DeflateOffer::header).toList());
            byte[] head = request("GET", key, "13", extensions).getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes = new byte[head.length + pipelined.length];
            System.arraycopy(head, 0, bytes, 0, head.length);
            System.arraycopy(pipelined, 0, bytes, head.length, pipelined.length);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            Optional<HttpHead> read = HttpHead.read(socket, in, deadline);
            if (read.isEmpty()) {
                throw new HandshakeException("the server closed the connection instead of answering the upgrade");
            }
            HttpHead response = read.get();
            if (response.status() != 101) {
                throw new HandshakeException("the server answered the upgrade with " + response);
            }
            if (!response.hasToken("Upgrade", "websocket") || !response.hasToken("Connection", "upgrade")) {
                throw new HandshakeException("a 101 without Upgrade: websocket and Connection: upgrade: " + response);
            }
            if (!response.field("Sec-WebSocket-Accept").orElse("").equals(acceptOf(key))) {
                throw new HandshakeException("a wrong Sec-WebSocket-Accept: " + response);
            }
            if (response.field("Sec-WebSocket-Protocol").isPresent()) {
                throw new HandshakeException("a subprotocol that was not offered: " + response);
            }
            List<String> agreed = response.fields().stream().filter(f -> f[0].equalsIgnoreCase("Sec-WebSocket-Extensions"))
                    .flatMap(f -> List.of(f[1].split(",")).stream()).map(String::trim).filter(v -> !v.isEmpty()).toList();
            Deflate deflate = null;
            if (agreed.size() > 1) {
                throw new HandshakeException("more than one extension agreed: " + agreed);
            }
            if (agreed.size() == 1) {
                deflate = new Deflate(agree(offers, agreed.get(0)), Role.CLIENT);
            }
            return new Peer(Role.CLIENT, socket, in, deflate, extensions == null ? "" : extensions, String.join(", ", agreed));
        } catch (IOException | HandshakeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Deflate.Agreement agree(List<DeflateOffer> offers, String response) throws HandshakeException {
        if (offers.isEmpty()) {
            throw new HandshakeException("an extension that was not offered: " + response);
        }
        String reasons = "";
        for (DeflateOffer offer : offers) {
            try {
                return offer.agree(response);
            } catch (IllegalArgumentException e) {
                reasons += (reasons.isEmpty() ? "" : "; ") + e.getMessage();
            }
        }
        throw new HandshakeException("permessage-deflate answered against every offer: " + reasons);
    }
}
