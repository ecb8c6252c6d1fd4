package dev.atoll.websocket.conformance;

import dev.atoll.tck.TckTls;
import dev.atoll.tck.TestPki;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.net.ssl.SSLSocket;

/**
 * The suite as a WebSocket server (RFC 6455 section 4.2) of a client under test, as Autobahn's
 * fuzzing server: it listens on 127.0.0.1 (over TLS with the TCK's test server certificate for
 * {@code wss}), has the client connect to a fresh path for each connection a case opens, checks
 * every part of the client's upgrade request, and answers it with the permessage-deflate
 * parameters the case asks for, within what the client offered.
 */
public final class FuzzingServer implements Connector, AutoCloseable {

    /** The client under test. */
    @FunctionalInterface
    public interface Client {
        /**
         * Starts connecting to the URI on another thread and runs the session there (an echo).
         *
         * @param uri where to connect
         * @return the connection's attempt and session, failed when the client gave up on it
         */
        Future<?> connect(URI uri);
    }

    /**
     * A client's upgrade request, accepted and checked, not yet answered.
     *
     * @param socket  the connection
     * @param in      its input, holding whatever arrived behind the request head
     * @param request the request head
     * @param key     its {@code Sec-WebSocket-Key}
     */
    public record Upgrade(Socket socket, InputStream in, HttpHead request, String key) {

        /** {@return the {@code Sec-WebSocket-Extensions} offered, comma-joined, empty for none} */
        public String extensions() {
            return String.join(", ", request.values("Sec-WebSocket-Extensions"));
        }

        /**
         * Writes a response head.
         *
         * @param status the status line
         * @param fields the fields after the status line, each ended by CRLF
         */
        public void respond(String status, String fields) throws IOException {
            socket.getOutputStream().write((status + "\r\n" + fields + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /** {@return a session on the connection in the server's role, without extensions} */
        public Peer peer() throws IOException {
            return new Peer(Role.SERVER, socket, in, null, extensions(), "");
        }
    }

    /** How often the wait for the client looks at whether it gave up. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final ServerSocket listener;
    private final boolean tls;
    private final Client client;
    private int sequence;

    /**
     * Listens on an ephemeral port of 127.0.0.1.
     *
     * @param tls    whether the client connects with {@code wss}
     * @param client the client under test
     */
    public FuzzingServer(boolean tls, Client client) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        this.listener = tls ? TckTls.jdkContext(TestPki.get().server()).getServerSocketFactory().createServerSocket(0, 50, loopback)
                : new ServerSocket(0, 50, loopback);
        this.tls = tls;
        this.client = client;
    }

    @Override
    public Role role() {
        return Role.SERVER;
    }

    /** {@return the URI of a path on this server} */
    public URI uri(String path) {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + listener.getLocalPort() + path);
    }

    /**
     * Has the client under test connect to a fresh path, and accepts and checks its upgrade
     * request (RFC 6455 section 4.1): a GET of HTTP/1.1 or later of the path, the {@code Host},
     * {@code Upgrade: websocket}, {@code Connection: Upgrade}, a key of 16 bytes in base64 and
     * version 13. Connections to older paths (a client late from an earlier case) are closed.
     *
     * @param timeout how long the client may take to connect and send its request
     * @return the request, not yet answered
     * @throws HandshakeException when the request breaks the RFC
     */
    public Upgrade accept(Duration timeout) throws IOException, HandshakeException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String path = "/case/" + ++sequence;
        Future<?> attempt = client.connect(uri(path));
        for (;;) {
            Socket socket = acceptOne(attempt, path, deadline);
            try {
                socket.setTcpNoDelay(true);
                if (socket instanceof SSLSocket s) {
                    s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    s.startHandshake();
                }
                InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                Optional<HttpHead> read = HttpHead.read(socket, in, deadline);
                if (read.isEmpty()) {
                    throw new HandshakeException("the client closed the connection without an upgrade request");
                }
                HttpHead request = read.get();
                String[] line = request.startLine().split(" ");
                if (line.length == 3 && !line[1].equals(path)) {
                    socket.close();
                    continue;
                }
                return new Upgrade(socket, in, request, check(request, path));
            } catch (IOException | HandshakeException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    private Socket acceptOne(Future<?> attempt, String path, long deadline) throws IOException {
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("the client did not connect to " + path + " in time");
            }
            if (attempt.isDone()) {
                try {
                    attempt.get();
                    throw new IOException("the client ended its attempt on " + path + " without connecting");
                } catch (ExecutionException e) {
                    throw new IOException("the client gave up on " + path + " before connecting: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for the client", e);
                }
            }
            listener.setSoTimeout((int) Math.max(1, Math.min(left, POLL.toNanos()) / 1_000_000));
            try {
                return listener.accept();
            } catch (SocketTimeoutException poll) {
                // look at the attempt again
            }
        }
    }

    private String check(HttpHead request, String path) throws HandshakeException {
        String[] line = request.startLine().split(" ");
        if (line.length != 3 || !line[0].equals("GET") || !line[2].matches("HTTP/1\\.[1-9]")) {
            throw new HandshakeException("the client's request line is not a GET of HTTP/1.1: " + request);
        }
        String host = "127.0.0.1:" + listener.getLocalPort();
        if (!request.field("Host").map(h -> h.equalsIgnoreCase(host)).orElse(false) || request.values("Host").size() != 1) {
            throw new HandshakeException("the client's request has no Host: " + host + ": " + request);
        }
        if (!request.hasToken("Upgrade", "websocket") || !request.hasToken("Connection", "upgrade")) {
            throw new HandshakeException("the client's request lacks Upgrade: websocket or Connection: Upgrade: " + request);
        }
        List<String> keys = request.values("Sec-WebSocket-Key");
        byte[] nonce;
        try {
            nonce = keys.size() == 1 ? Base64.getDecoder().decode(keys.get(0)) : new byte[0];
        } catch (IllegalArgumentException notBase64) {
            nonce = new byte[0];
        }
        if (nonce.length != 16) {
            throw new HandshakeException("the client's Sec-WebSocket-Key is not 16 bytes in base64: " + request);
        }
        if (!request.values("Sec-WebSocket-Version").equals(List.of("13"))) {
            throw new HandshakeException("the client's Sec-WebSocket-Version is not 13: " + request);
        }
        return keys.get(0);
    }

    /**
     * Reads the client's permessage-deflate offers.
     *
     * @param upgrade the request
     * @return its offers, in its order of preference
     * @throws HandshakeException when an offer breaks RFC 7692 section 7.1
     */
    static List<DeflateOffer.Received> deflateOffers(Upgrade upgrade) throws HandshakeException {
        List<DeflateOffer.Received> offers = new ArrayList<>();
        for (String element : upgrade.request().values("Sec-WebSocket-Extensions")) {
            if (element.split(";")[0].trim().equalsIgnoreCase("permessage-deflate")) {
                try {
                    offers.add(DeflateOffer.Received.parse(element));
                } catch (IllegalArgumentException e) {
                    throw new HandshakeException("the client's permessage-deflate offer breaks RFC 7692: " + e.getMessage());
                }
            }
        }
        return offers;
    }

    /**
     * {@return the fields of a 101 answering the key, ended by CRLF each}
     *
     * @param accept the {@code Sec-WebSocket-Accept}
     */
    static String switching(String accept) {
        return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n";
    }

    /** The status line of an upgrade. */
    static final String SWITCHING = "HTTP/1.1 101 Switching Protocols";

    @Override
    public Peer open(List<DeflateOffer> answers, Duration timeout) throws IOException, HandshakeException {
        Upgrade upgrade = accept(timeout);
        try {
            DeflateOffer.Answer chosen = null;
            if (!answers.isEmpty()) {
                List<DeflateOffer.Received> offers = deflateOffers(upgrade);
                search:
                for (DeflateOffer answer : answers) {
                    for (DeflateOffer.Received offer : offers) {
                        Optional<DeflateOffer.Answer> a = answer.answer(offer);
                        if (a.isPresent()) {
                            chosen = a.get();
                            break search;
                        }
                    }
                }
            }
            String fields = switching(FuzzingClient.acceptOf(upgrade.key()));
            if (chosen != null) {
                fields += "Sec-WebSocket-Extensions: " + chosen.header() + "\r\n";
            }
            upgrade.respond(SWITCHING, fields);
            return new Peer(Role.SERVER, upgrade.socket(), upgrade.in(), chosen == null ? null : new Deflate(chosen.agreement(), Role.SERVER),
                    upgrade.extensions(), chosen == null ? "" : chosen.header());
        } catch (IOException | HandshakeException | RuntimeException e) {
            upgrade.socket().close();
            throw e;
        }
    }

    /** Stops listening. */
    @Override
    public void close() throws IOException {
        listener.close();
    }
}
