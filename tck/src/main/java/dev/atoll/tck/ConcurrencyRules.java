package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/** Many connections at once, each on its own virtual thread. */
final class ConcurrencyRules {

    /** How many connections CONC-1 and CONC-2 run at once. */
    static final int CONNECTIONS = 200;

    /** Bytes each connection echoes. */
    static final int BYTES_PER_CONNECTION = 16 * 1024;

    private ConcurrencyRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("concurrency", List.of(
                Rule.of("CONC-1", CONNECTIONS + " JDK and own clients at once echo through one listener",
                        ConcurrencyRules::manyClientsOneListener),
                Rule.of("CONC-2", CONNECTIONS + " connections of the transport at once echo with a JDK server",
                        ConcurrencyRules::manyConnectionsToJdkServer)));
    }

    private static void manyClientsOneListener(TckContext tck) throws Exception {
        Listener listener = tck.listen();
        var acceptor = tck.background("accept and echo", () -> {
            for (int i = 0; i < CONNECTIONS; i++) {
                Connection c = tck.track(listener.accept(TckContext.IO_TIMEOUT));
                Thread.ofVirtual().start(() -> echoUntilEnd(c));
            }
            return null;
        });
        List<TckContext.Background<String>> clients = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < CONNECTIONS; i++) {
            boolean jdk = i % 2 == 0;
            long seed = tck.random().nextLong();
            clients.add(tck.background("client " + i, () -> {
                go.await();
                return jdk ? jdkClientEcho(tck, listener.address(), seed) : ownClientEcho(tck, listener.address(), seed);
            }));
        }
        go.countDown();
        acceptor.join();
        requireAllEchoed(tck, clients);
    }

    private static void manyConnectionsToJdkServer(TckContext tck) throws Exception {
        ServerSocket server = tck.jdkServer();
        server.setSoTimeout(0);
        tck.background("JDK server accepts and echoes", () -> {
            while (!server.isClosed()) {
                Socket s = tck.jdkAccept(server);
                Thread.ofVirtual().start(() -> jdkEcho(s));
            }
            return null;
        });
        List<TckContext.Background<String>> clients = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < CONNECTIONS; i++) {
            long seed = tck.random().nextLong();
            clients.add(tck.background("client " + i, () -> {
                go.await();
                return ownClientEcho(tck, (InetSocketAddress) server.getLocalSocketAddress(), seed);
            }));
        }
        go.countDown();
        requireAllEchoed(tck, clients);
    }

    private static void requireAllEchoed(TckContext tck, List<TckContext.Background<String>> clients) throws Exception {
        List<String> failures = new ArrayList<>();
        for (var client : clients) {
            String failure = client.join();
            if (failure != null) {
                failures.add(failure);
            }
        }
        tck.require(failures.isEmpty(), failures.size() + " of " + CONNECTIONS + " connections failed, first: "
                + (failures.isEmpty() ? "" : failures.get(0)));
    }

    private static void echoUntilEnd(Connection c) {
        try (c) {
            while (true) {
                c.send(c.recv(0, TckContext.IO_TIMEOUT));
            }
        } catch (EndOfStreamException end) {
            // the client is done
        } catch (IOException e) {
            // the client's check reports what went wrong
        }
    }

    private static void jdkEcho(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException e) {
            // the client's check reports what went wrong
        }
    }

    /** Returns null on success, or what went wrong. */
    private static String jdkClientEcho(TckContext tck, InetSocketAddress server, long seed) {
        byte[] data = new byte[BYTES_PER_CONNECTION];
        new Random(seed).nextBytes(data);
        try (Socket s = tck.jdkClient(server)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(data);
            byte[] back = in.readNBytes(data.length);
            return Arrays.equals(data, back) ? null : "JDK client got " + back.length + " different bytes back";
        } catch (IOException e) {
            return "JDK client: " + TckContext.describe(e);
        }
    }

    private static String ownClientEcho(TckContext tck, InetSocketAddress server, long seed) {
        byte[] data = new byte[BYTES_PER_CONNECTION];
        new Random(seed).nextBytes(data);
        Transport<?, ?> transport = tck.transport();
        try (Connection c = Connection.connect(transport, server, SocketOptions.none(), TckContext.IO_TIMEOUT)) {
            c.send(ByteBuffer.wrap(data));
            byte[] back = Bytes.of(c.recv(data.length, TckContext.IO_TIMEOUT));
            return Arrays.equals(data, back) ? null : transport.name() + " client got different bytes back";
        } catch (IOException e) {
            return transport.name() + " client: " + TckContext.describe(e);
        }
    }
}
