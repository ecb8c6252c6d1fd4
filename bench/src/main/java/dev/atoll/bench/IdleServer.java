package dev.atoll.bench;

import dev.atoll.tck.TestPki;
import dev.atoll.transport.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server side of {@link IdleMemoryBenchmark} and {@link WebSocketIdleMemoryBenchmark}, in
 * a JVM of its own so that only the server's memory is measured. Arguments: the server's name
 * and {@code plain} or a TLS protocol (an echo server of {@link Servers}, counting connections
 * as they are accepted), or {@code websocket} (a WebSocket echo server of
 * {@link WebSocketServers}, without deflate, counting sessions as their handshakes complete).
 * It prints {@code ca BASE64} (its test CA's certificate, TLS
 * only) and {@code port N}, then answers each
 * {@code measure N} line on its standard input, once N connections are being served, with
 * {@code heap BYTES}: the heap in use after a full collection. It exits when its input ends.
 */
public final class IdleServer {

    private IdleServer() {
    }

    /**
     * Runs the server until standard input ends.
     *
     * @param args the server's name, and {@code plain}, a TLS protocol or {@code websocket}
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        AtomicInteger serving = new AtomicInteger();
        boolean websocket = args[1].equals("websocket");
        Tls tls = websocket || args[1].equals("plain") ? null : new Tls(args[1]);
        try (Servers.Running running = websocket ? WebSocketServers.start(args[0], false, serving::incrementAndGet)
                : Servers.start(args[0], counted(Workloads.ECHO, serving), tls)) {
            if (tls != null) {
                System.out.println("ca " + Base64.getEncoder().encodeToString(TestPki.get().ca().certificate().getEncoded()));
            }
            System.out.println("port " + running.address().getPort());
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                int expected = Integer.parseInt(line.substring("measure ".length()));
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (serving.get() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                if (serving.get() < expected) {
                    System.out.println("error only " + serving.get() + " of " + expected + " connections arrived");
                } else {
                    Thread.sleep(500);   // every connection's thread reaches its blocking receive
                    System.gc();
                    System.gc();
                    System.out.println("heap " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                }
                System.out.flush();
            }
        }
    }

    private static Workload counted(Workload workload, AtomicInteger serving) {
        return new Workload() {
            @Override
            public void serve(Connection connection) throws IOException {
                serving.incrementAndGet();
                workload.serve(connection);
            }

            @Override
            public void serve(Socket socket) throws IOException {
                serving.incrementAndGet();
                workload.serve(socket);
            }

            @Override
            public ChannelHandler netty() {
                return new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        serving.incrementAndGet();
                        ch.pipeline().addLast(workload.netty());
                    }
                };
            }
        };
    }
}
