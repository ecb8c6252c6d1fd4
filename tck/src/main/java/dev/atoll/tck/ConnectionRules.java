package dev.atoll.tck;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import dev.atoll.transport.UnsupportedFeatureException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Listening, accepting, connecting and addresses. */
final class ConnectionRules {

    private ConnectionRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("connect", List.of(
                Rule.of("LISTEN-1", "listen on port 0 binds an ephemeral port that a JDK client reaches", ConnectionRules::listen),
                Rule.of("LISTEN-2", "closing a listener wakes a blocked accept with ConnectionClosedException, "
                        + "and a connection it accepted before still echoes", ConnectionRules::closeWakesAccept),
                Rule.of("ACCEPT-1", "accept returns the JDK client's connection with matching addresses", ConnectionRules::accept),
                Rule.of("ACCEPT-2", "accept times out with SocketTimeoutException and the listener stays usable",
                        ConnectionRules::acceptTimeout),
                Rule.of("ACCEPT-3", "a listener nobody accepts on leaves JDK clients in its small backlog, accepts no more "
                        + "than it holds, and closes within 1 s ending every client it held", ConnectionRules::acceptBackPressure),
                Rule.of("CONNECT-1", "connect reaches a JDK server with matching addresses", ConnectionRules::connect),
                Rule.of("CONNECT-2", "connect to a port nothing listens on throws ConnectException naming it",
                        ConnectionRules::connectRefused),
                Rule.of("CONNECT-3", "connect to a peer that does not answer (a full backlog) throws SocketTimeoutException "
                        + "naming it, after its timeout and not much later", ConnectionRules::connectTimeout),
                Rule.of("LISTEN-3", "a listener bound to 127.0.0.1 accepts on no other address", ConnectionRules::boundAddressOnly),
                Rule.of("LISTEN-4", "two listeners with SO_REUSEPORT share a port, the kernel spreads " + REUSE_PORT_CLIENTS
                        + " JDK clients over both, and closing one leaves the other serving; or listen refuses SO_REUSEPORT "
                        + "with UnsupportedFeatureException naming it, never ignoring it", ConnectionRules::reusePort),
                Rule.of("ADDR-1", "peername and sockname mirror the peer's over IPv4", ConnectionRules::addressesV4),
                Rule.of("ADDR-2", Capability.IPV6, "peername and sockname mirror the peer's over IPv6 and data flows",
                        ConnectionRules::addressesV6)));
    }

    private static void listen(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        InetSocketAddress address = listener.address();
        tck.require(address.getPort() > 0, "listener reports port " + address.getPort() + ", expected the bound ephemeral port");
        tck.require(address.getAddress().equals(TckContext.LOOPBACK_V4),
                "listener reports address " + address.getAddress() + ", expected " + TckContext.LOOPBACK_V4);
        Socket client = tck.track(new Socket());
        client.connect(address, (int) TckContext.IO_TIMEOUT.toMillis());
        tck.require(client.isConnected(), "a JDK client could not connect to " + address);
    }

    private static void closeWakesAccept(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        Pair acceptedBefore = tck.pairAccepted(listener);
        var blocked = tck.background("accept", () -> listener.accept(Transport.INFINITE));
        Thread.sleep(200);
        listener.close();
        tck.requireThrows(ConnectionClosedException.class, "accept blocked while the listener was closed",
                () -> tck.within(Duration.ofSeconds(5), "accept after the listener was closed", blocked::join));
        byte[] data = tck.randomBytes(1000);
        acceptedBefore.peer().write(data);
        byte[] received = Bytes.of(acceptedBefore.subject().recv(data.length, TckContext.IO_TIMEOUT));
        tck.requireBytes(data, received, "bytes from " + acceptedBefore.peer().description()
                + " on a connection accepted before the listener closed");
        acceptedBefore.subject().send(java.nio.ByteBuffer.wrap(received));
        tck.requireBytes(data, acceptedBefore.peer().readExactly(data.length),
                "bytes echoed on a connection accepted before the listener closed");
    }

    /** ACCEPT-3's listener backlog: small, so that a few clients fill it. */
    static final int SMALL_BACKLOG = 2;
    /** ACCEPT-3's clients, many more than the backlog holds. */
    static final int BACKLOG_CLIENTS = 64;
    /** ACCEPT-3's clients connect in waves of this many, one wave after the other. */
    static final int CLIENTS_PER_WAVE = 8;
    /** How long each of ACCEPT-3's clients tries to connect. */
    static final Duration WAVE_CONNECT_TIMEOUT = Duration.ofMillis(300);
    /**
     * How many connections more than {@link #SMALL_BACKLOG} ACCEPT-3 lets a listener accept. Linux
     * holds backlog + 1 established connections and completes up to backlog more handshakes
     * later (their SYN-ACKs are retransmitted once accept makes room); the rest is what a
     * transport may take from the kernel ahead of the accept calls.
     */
    static final int BEYOND_BACKLOG = 8;
    /** How long closing a listener may take, whatever it holds. */
    static final Duration LISTENER_CLOSE_LIMIT = Duration.ofSeconds(1);

    private static void acceptBackPressure(TckContext tck) throws Exception {
        ResourceSnapshot baseline = ResourceSnapshot.take();
        Listener listener = tck.listen(new InetSocketAddress(TckContext.LOOPBACK_V4, 0),
                SocketOptions.of(AtollOptions.BACKLOG, SMALL_BACKLOG));
        InetSocketAddress address = listener.address();
        // In waves, each all at once with a short connect timeout: once the backlog is full, Linux
        // drops the SYNs, so the rest time out (or sit connected in a handshake the kernel dropped),
        // while a listener that empties the backlog by itself lets every wave in.
        Map<InetSocketAddress, Socket> attempted = new HashMap<>();
        Map<InetSocketAddress, Socket> connected = new HashMap<>();
        for (int wave = 0; wave < BACKLOG_CLIENTS / CLIENTS_PER_WAVE; wave++) {
            List<TckContext.Background<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < CLIENTS_PER_WAVE; i++) {
                Socket client = tck.track(new Socket());
                client.bind(new InetSocketAddress(TckContext.LOOPBACK_V4, 0));
                attempted.put((InetSocketAddress) client.getLocalSocketAddress(), client);
                attempts.add(tck.background("client " + client.getLocalSocketAddress(), () -> {
                    try {
                        client.connect(address, (int) WAVE_CONNECT_TIMEOUT.toMillis());
                        return true;
                    } catch (IOException droppedOrTimedOut) {
                        client.close();
                        return false;
                    }
                }));
            }
            for (var attempt : attempts) {
                attempt.join();
            }
        }
        attempted.forEach((local, client) -> {
            if (client.isConnected() && !client.isClosed()) {
                connected.put(local, client);
            }
        });
        tck.require(!connected.isEmpty(), "none of " + BACKLOG_CLIENTS + " JDK clients could connect to " + address
                + " with a backlog of " + SMALL_BACKLOG);

        Set<InetSocketAddress> handedOut = new HashSet<>();
        Duration wait = TckContext.IO_TIMEOUT;   // the first one is in the backlog; then until none comes
        for (int calls = 0; calls <= BACKLOG_CLIENTS; calls++) {
            Connection accepted;
            try {
                accepted = tck.track(listener.accept(wait));
            } catch (SocketTimeoutException none) {
                break;
            }
            wait = Duration.ofMillis(500);
            tck.require(attempted.containsKey(accepted.peername()), "accepted a connection from " + accepted.peername()
                    + ", which is none of the JDK clients");
            handedOut.add(accepted.peername());
        }
        tck.require(handedOut.size() <= SMALL_BACKLOG + BEYOND_BACKLOG, "with a backlog of " + SMALL_BACKLOG
                + " and nobody accepting, " + connected.size() + " of " + BACKLOG_CLIENTS + " JDK clients connected and "
                + handedOut.size() + " were accepted, more than " + (SMALL_BACKLOG + BEYOND_BACKLOG)
                + ": the listener takes connections from the kernel ahead of accept");

        long start = System.nanoTime();
        tck.within(TckContext.SHORT_LIMIT, "closing a listener that holds connections", () -> {
            listener.close();
            return null;
        });
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        tck.require(closeMillis <= LISTENER_CLOSE_LIMIT.toMillis(), "closing the listener took " + closeMillis
                + " ms, more than " + LISTENER_CLOSE_LIMIT.toMillis() + " ms");

        // Every client the listener held, in its own queue or the kernel's, sees its connection end.
        List<TckContext.Background<String>> ends = new ArrayList<>();
        for (var client : connected.entrySet()) {
            if (!handedOut.contains(client.getKey())) {
                ends.add(tck.background("end of " + client.getKey(), () -> endSeenBy(client.getValue())));
            }
        }
        for (var end : ends) {
            String notEnded = end.join();
            tck.require(notEnded == null, notEnded + " after the listener that held it closed");
        }
        tck.closeAll();
        if (ResourceSnapshot.canCountDescriptors()) {
            String leaked = ResourceSnapshot.leakedSince(baseline, TckRun.SETTLE_MILLIS);
            tck.require(leaked == null, "closing the listener, its connections and the clients left " + leaked);
        }
    }

    /**
     * Writes a byte and reads: a connection whose server side is gone ends in a reset or an end of
     * stream. Returns {@code null} when it did, otherwise what happened.
     */
    private static String endSeenBy(Socket client) throws IOException {
        client.setSoTimeout(5_000);
        try {
            client.getOutputStream().write(1);
            int read = client.getInputStream().read();
            return read < 0 ? null : "the JDK client " + client.getLocalSocketAddress() + " read a byte";
        } catch (SocketTimeoutException e) {
            return "the JDK client " + client.getLocalSocketAddress() + " saw its connection open for 5 s";
        } catch (SocketException resetOrBrokenPipe) {
            return null;
        }
    }

    /** LISTEN-4's clients: so many that the kernel giving all to one of two listeners does not happen by chance. */
    static final int REUSE_PORT_CLIENTS = 64;

    private static void reusePort(TckContext tck) throws Exception {
        SocketOptions reusePort = SocketOptions.of(StandardSocketOptions.SO_REUSEPORT, true);
        Listener first;
        try {
            first = tck.listen(new InetSocketAddress(TckContext.LOOPBACK_V4, 0), reusePort);
        } catch (UnsupportedFeatureException refused) {
            tck.require(refused.getMessage() != null && refused.getMessage().contains("SO_REUSEPORT"),
                    "listen refused SO_REUSEPORT with a message that does not name it: " + refused.getMessage());
            throw new RuleSkipped(tck.transport().name() + " refuses SO_REUSEPORT: " + refused.getMessage());
        }
        InetSocketAddress address = first.address();
        Listener second;
        try {
            second = tck.listen(address, reusePort);
        } catch (BindException inUse) {
            throw tck.violation("a second listener with SO_REUSEPORT could not bind " + address + ", where the first one "
                    + "listens: listen ignored SO_REUSEPORT (" + TckContext.describe(inUse) + ")", inUse);
        }
        tck.require(second.address().equals(address), "the second listener with SO_REUSEPORT reports " + second.address()
                + ", not the address it shares with the first, " + address);

        Map<InetSocketAddress, Socket> clients = new HashMap<>();
        for (int i = 0; i < REUSE_PORT_CLIENTS; i++) {
            Socket client = tck.jdkClient(address);
            clients.put((InetSocketAddress) TckTls.rawOf(client).getLocalSocketAddress(), client);
        }
        // The first listener takes all it has, then the second the rest: a second listener that only
        // shares the first one's queue gets none.
        List<Connection> firstAccepted = new ArrayList<>();
        try {
            while (true) {
                firstAccepted.add(tck.track(first.accept(Duration.ofMillis(500))));
            }
        } catch (SocketTimeoutException drained) {
            // the first listener has no more
        }
        List<Connection> secondAccepted = new ArrayList<>();
        while (firstAccepted.size() + secondAccepted.size() < REUSE_PORT_CLIENTS) {
            try {
                secondAccepted.add(tck.accept(second));
            } catch (SocketTimeoutException missing) {
                throw tck.violation("of " + REUSE_PORT_CLIENTS + " JDK clients connected to " + address + ", the first listener "
                        + "accepted " + firstAccepted.size() + " and the second " + secondAccepted.size(), missing);
            }
        }
        tck.require(!firstAccepted.isEmpty() && !secondAccepted.isEmpty(), "of " + REUSE_PORT_CLIENTS + " JDK clients "
                + "connected to " + address + ", the first listener accepted " + firstAccepted.size() + " and the second "
                + secondAccepted.size() + ": SO_REUSEPORT did not make the kernel spread them");
        List<Connection> allAccepted = new ArrayList<>(firstAccepted);
        allAccepted.addAll(secondAccepted);
        Set<InetSocketAddress> seen = new HashSet<>();
        for (Connection accepted : allAccepted) {
            tck.require(clients.containsKey(accepted.peername()) && seen.add(accepted.peername()), "accepted "
                    + accepted.peername() + ", which is not one of the JDK clients or was accepted twice");
        }
        for (Connection accepted : List.of(firstAccepted.get(0), secondAccepted.get(0))) {
            JdkSocketPeer peer = new JdkSocketPeer(clients.get(accepted.peername()), "JDK client");
            var peerSide = tck.background("JDK client handshake", () -> {
                peer.handshake();
                return null;
            });
            Connection ready = accepted.handshake(TckContext.IO_TIMEOUT);
            peerSide.join();
            byte[] data = tck.randomBytes(100);
            ready.send(data);
            tck.requireBytes(data, peer.readExactly(data.length), "bytes sent to a client accepted through SO_REUSEPORT");
        }

        tck.within(TckContext.SHORT_LIMIT, "closing the first listener", () -> {
            first.close();
            return null;
        });
        Socket late = tck.jdkClientPlain(address);
        Connection lateAccepted = tck.accept(second);
        tck.require(lateAccepted.peername().equals(late.getLocalSocketAddress()), "after the first listener closed, the "
                + "second accepted " + lateAccepted.peername() + ", not the client that connected then");
        tck.within(TckContext.SHORT_LIMIT, "closing the second listener", () -> {
            second.close();
            return null;
        });
        tck.requireThrows(ConnectException.class, "a JDK client connecting to " + address + " after both listeners closed",
                () -> tck.jdkClientPlain(address));
    }

    private static void accept(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        Socket client = tck.track(new Socket());
        client.connect(listener.address(), (int) TckContext.IO_TIMEOUT.toMillis());
        Connection accepted = tck.accept(listener);
        tck.require(accepted.peername().equals(client.getLocalSocketAddress()),
                "peername " + accepted.peername() + " is not the client's address " + client.getLocalSocketAddress());
        tck.require(accepted.sockname().equals(client.getRemoteSocketAddress()),
                "sockname " + accepted.sockname() + " is not the address the client reached " + client.getRemoteSocketAddress());
    }

    private static void acceptTimeout(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        Duration timeout = Duration.ofMillis(200);
        tck.requireTimesOut("accept with no client and a 200 ms timeout", timeout, () -> listener.accept(timeout));
        Socket client = tck.track(new Socket());
        client.connect(listener.address(), (int) TckContext.IO_TIMEOUT.toMillis());
        Connection accepted = tck.accept(listener);
        tck.require(accepted.peername().equals(client.getLocalSocketAddress()), "the listener did not accept after a timeout");
    }

    private static void connect(TckContext tck) throws Exception {
        ServerSocket server = tck.jdkServer();
        Connection connected = tck.connect((InetSocketAddress) server.getLocalSocketAddress(), SocketOptions.none());
        Socket accepted = tck.track(server.accept());
        tck.require(connected.peername().equals(server.getLocalSocketAddress()),
                "peername " + connected.peername() + " is not the server's address " + server.getLocalSocketAddress());
        tck.require(connected.sockname().equals(accepted.getRemoteSocketAddress()),
                "sockname " + connected.sockname() + " is not what the server sees " + accepted.getRemoteSocketAddress());
    }

    private static void connectRefused(TckContext tck) throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, TckContext.LOOPBACK_V4)) {
            port = closed.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(TckContext.LOOPBACK_V4, port);
        ConnectException e = tck.requireThrows(ConnectException.class, "connect to " + nobody,
                () -> tck.within(TckContext.SHORT_LIMIT, "connect to a closed port", () -> tck.connect(nobody, SocketOptions.none())));
        tck.require(e.getMessage() != null && e.getMessage().contains(String.valueOf(port)),
                "the ConnectException does not name the address: " + e.getMessage());
    }

    /** How many JDK clients CONNECT-3 may connect to fill a backlog of 1 until the kernel drops a SYN. */
    static final int BACKLOG_FILLERS = 16;

    private static void connectTimeout(TckContext tck) throws Exception {
        ServerSocket silent = tck.track(new ServerSocket(0, 1, TckContext.LOOPBACK_V4));   // never accepts
        InetSocketAddress address = (InetSocketAddress) silent.getLocalSocketAddress();
        boolean full = false;
        for (int i = 0; i < BACKLOG_FILLERS && !full; i++) {
            Socket filler = tck.track(new Socket());
            try {
                filler.connect(address, 200);
            } catch (SocketTimeoutException dropped) {
                full = true;
            }
        }
        if (!full) {
            throw new RuleSkipped("the kernel took " + BACKLOG_FILLERS + " connections into a backlog of 1 without "
                    + "dropping a SYN: there is no silent peer on this machine");
        }
        Duration timeout = Duration.ofMillis(300);
        SocketTimeoutException e = tck.requireTimesOut("connect to " + address + ", whose backlog is full, with a 300 ms timeout",
                timeout, () -> tck.track(Connection.connect(tck.transport(), address, SocketOptions.none(), timeout)));
        tck.require(e.getMessage() != null && e.getMessage().contains(String.valueOf(address.getPort())),
                "the connect timeout does not name the address: " + e.getMessage());
    }

    private static void boundAddressOnly(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        int port = listener.address().getPort();
        List<InetAddress> others = new ArrayList<>();
        for (String other : List.of("127.0.0.2", "::1")) {
            InetAddress address = InetAddress.getByName(other);
            try (ServerSocket probe = new ServerSocket(0, 1, address)) {
                others.add(probe.getInetAddress());
            } catch (IOException notOnThisMachine) {
                // that address is not usable here
            }
        }
        if (others.isEmpty()) {
            throw new RuleSkipped("neither 127.0.0.2 nor ::1 is usable on this machine");
        }
        for (InetAddress other : others) {
            InetSocketAddress elsewhere = new InetSocketAddress(other, port);
            Socket client = tck.track(new Socket());
            tck.requireThrows(ConnectException.class, "a JDK client connecting to " + elsewhere + " while the listener is bound "
                    + "to " + listener.address(), () -> client.connect(elsewhere, (int) TckContext.SHORT_LIMIT.toMillis()));
        }
        Socket client = tck.track(new Socket());
        client.connect(listener.address(), (int) TckContext.IO_TIMEOUT.toMillis());
        tck.require(tck.accept(listener).peername().equals(client.getLocalSocketAddress()),
                "the listener did not accept on its own address");
    }

    private static void addressesV4(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> requireMirrored(tck, pair));
    }

    private static void addressesV6(TckContext tck) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            tck.require(probe.getInetAddress() instanceof Inet6Address, "::1 is not IPv6");
        } catch (java.io.IOException e) {
            throw new RuleSkipped("IPv6 loopback ::1 is not usable on this machine: " + e.getMessage());
        }
        tck.inEveryTopology(new InetSocketAddress(v6, 0), pair -> {
            requireMirrored(tck, pair);
            tck.require(pair.subject().peername().getAddress() instanceof Inet6Address,
                    "peername " + pair.subject().peername() + " is not IPv6");
            byte[] data = tck.randomBytes(1000);
            pair.peer().write(data);
            tck.requireBytes(data, Bytes.of(pair.subject().recv(data.length, TckContext.IO_TIMEOUT)), "bytes over IPv6");
        });
    }

    private static void requireMirrored(TckContext tck, Pair pair) throws Exception {
        tck.require(pair.subject().peername().equals(pair.peer().local()),
                "peername " + pair.subject().peername() + " is not the peer's sockname " + pair.peer().local());
        tck.require(pair.subject().sockname().equals(pair.peer().remote()),
                "sockname " + pair.subject().sockname() + " is not the peer's peername " + pair.peer().remote());
    }
}
