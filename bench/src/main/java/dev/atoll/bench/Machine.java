package dev.atoll.bench;

import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Prints, as JSON, what a benchmark result depends on: cores, CPU, memory, JDK, kernel,
 * io_uring availability, and the JDK's poller mode for virtual threads (seen from the poller
 * threads that a blocking read on a virtual thread starts).
 */
public final class Machine {

    private Machine() {
    }

    /**
     * Prints the machine as JSON.
     *
     * @param args none
     * @throws Exception when the poller probe fails
     */
    public static void main(String[] args) throws Exception {
        String uring = IoUring.isAvailable() ? "available"
                : "unavailable: " + IoUring.unavailabilityCause();
        System.out.printf(Locale.ROOT, """
                {
                  "date": "%s",
                  "cores": %d,
                  "cpu": "%s",
                  "memoryGiB": %.1f,
                  "jdk": "%s %s",
                  "kernel": "%s %s",
                  "ioUring": "%s",
                  "pollerMode": "%s"
                }
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), json(cpu()), memoryGiB(),
                json(System.getProperty("java.vm.name")), json(System.getProperty("java.runtime.version")),
                json(System.getProperty("os.name")), json(System.getProperty("os.version")), json(uring),
                json(pollerMode()));
    }

    private static String cpu() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            for (String line : Files.readAllLines(info)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return System.getProperty("os.arch");
    }

    private static double memoryGiB() throws IOException {
        Path info = Path.of("/proc/meminfo");
        if (Files.isReadable(info)) {
            for (String line : Files.readAllLines(info)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        }
        return Runtime.getRuntime().maxMemory() / 1024.0 / 1024.0 / 1024.0;
    }

    /** The jdk.pollerMode setting and the poller threads a virtual thread's blocking read starts. */
    private static String pollerMode() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = accepted.getInputStream()) {
                    in.read();
                } catch (IOException e) {
                    // the probe is over
                }
            });
            Thread.sleep(200);
            TreeSet<String> pollers = new TreeSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().toLowerCase(Locale.ROOT).contains("poller")) {
                    pollers.add(t.getName().replaceAll("-?[0-9]+$", "-N"));
                }
            }
            client.getOutputStream().write(1);
            reader.join();
            String setting = System.getProperty("jdk.pollerMode");
            return (setting == null ? "JDK default" : "jdk.pollerMode=" + setting) + "; platform poller threads: "
                    + (pollers.isEmpty() ? "none (pollers run as virtual threads)" : String.join(", ", List.copyOf(pollers)));
        }
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
