package dev.atoll.server;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The server's JFR events. A disabled event costs a field check: nothing is formatted unless
 * {@link Event#shouldCommit()} says the recording wants it.
 */
final class JfrEvents {

    private JfrEvents() {
    }

    @Name("dev.atoll.server.Connection")
    @Label("Connection")
    @Category({"Atoll", "Server"})
    @Description("A connection from acceptance to close")
    @StackTrace(false)
    static final class ConnectionEvent extends Event {
        @Label("Id")
        long id;
        @Label("Peer")
        String peer;
        @Label("Local")
        String local;
        @Label("Transport")
        String transport;
        @Label("Bytes Received")
        @DataAmount
        long bytesReceived;
        @Label("Bytes Sent")
        @DataAmount
        long bytesSent;
        @Label("Failure")
        String failure;
    }

    @Name("dev.atoll.server.Handshake")
    @Label("Handshake")
    @Category({"Atoll", "Server"})
    @Description("A connection's handshake, completed or failed")
    @StackTrace(false)
    static final class HandshakeEvent extends Event {
        @Label("Id")
        long id;
        @Label("Peer")
        String peer;
        @Label("Transport")
        String transport;
        @Label("TLS Version")
        String tlsVersion;
        @Label("Cipher Suite")
        String cipherSuite;
        @Label("Server Name")
        String serverName;
        @Label("Application Protocol")
        String applicationProtocol;
        @Label("Failure")
        String failure;
    }

    @Name("dev.atoll.server.AcceptError")
    @Label("Accept Error")
    @Category({"Atoll", "Server"})
    @Description("Accepting a connection failed; the acceptor backs off and goes on")
    @StackTrace(false)
    static final class AcceptErrorEvent extends Event {
        @Label("Listener")
        String listener;
        @Label("Error")
        String error;
        @Label("Back-off")
        @Timespan(Timespan.MILLISECONDS)
        long backoff;
    }

    @Name("dev.atoll.server.ConnectionRefused")
    @Label("Connection Refused")
    @Category({"Atoll", "Server"})
    @Description("A connection accepted at the limit and closed")
    @StackTrace(false)
    static final class RefusedEvent extends Event {
        @Label("Peer")
        String peer;
        @Label("Reason")
        String reason;
    }

    @Name("dev.atoll.server.Listener")
    @Label("Listener")
    @Category({"Atoll", "Server"})
    @Description("A listen socket opened or closed")
    @StackTrace(false)
    static final class ListenerEvent extends Event {
        @Label("Address")
        String address;
        @Label("Open")
        boolean open;
    }
}
