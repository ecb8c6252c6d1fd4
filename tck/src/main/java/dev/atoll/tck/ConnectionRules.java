package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/** Listening, accepting, connecting and addresses. */
final class ConnectionRules {

    private ConnectionRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("connect", List.of(
                Rule.of("LISTEN-1", "listen on port 0 binds an ephemeral port that a JDK client reaches", ConnectionRules::listen),
                Rule.of("LISTEN-2", "closing a listener wakes a blocked accept with ConnectionClosedException",
                        ConnectionRules::closeWakesAccept),
                Rule.of("ACCEPT-1", "accept returns the JDK client's connection with matching addresses", ConnectionRules::accept),
                Rule.of("ACCEPT-2", "accept times out with SocketTimeoutException and the listener stays usable",
                        ConnectionRules::acceptTimeout),
                Rule.of("CONNECT-1", "connect reaches a JDK server with matching addresses", ConnectionRules::connect),
                Rule.of("CONNECT-2", "connect to a port nothing listens on throws ConnectException naming it",
                        ConnectionRules::connectRefused),
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
        var blocked = tck.background("accept", () -> listener.accept(Transport.INFINITE));
        Thread.sleep(200);
        listener.close();
        tck.requireThrows(ConnectionClosedException.class, "accept blocked while the listener was closed",
                () -> tck.within(Duration.ofSeconds(5), "accept after the listener was closed", blocked::join));
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
        long start = System.nanoTime();
        tck.requireThrows(SocketTimeoutException.class, "accept with no client and a 200 ms timeout",
                () -> tck.within(Duration.ofSeconds(5), "accept with a 200 ms timeout", () -> listener.accept(timeout)));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        tck.require(elapsedMillis >= 190, "accept timed out after " + elapsedMillis + " ms, before its 200 ms timeout");
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
