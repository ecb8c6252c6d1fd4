package dev.atoll.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link IdleServer} in a JVM of its own, as the idle-memory benchmarks drive it: its heap
 * fixed and touched up front (so its resident size moves only with what lies outside the
 * heap), asked to measure itself once a number of connections are being served.
 */
final class IdleServerProcess implements AutoCloseable {

    private final String server;
    private final Process process;
    private final BufferedReader replies;
    private final Writer commands;

    /**
     * Starts the server's JVM.
     *
     * @param server the server's name
     * @param mode   {@code plain}, a TLS protocol, or {@code websocket} (see {@link IdleServer})
     * @throws IOException when the JVM cannot start
     */
    IdleServerProcess(String server, String mode) throws IOException {
        this.server = server;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        }
        command.addAll(List.of(IdleServer.class.getName(), server, mode));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Reads the server's next line, which must start with {@code prefix}.
     *
     * @param prefix what the line starts with
     * @return the rest of the line
     * @throws IOException when the server answered something else, or nothing
     */
    String reply(String prefix) throws IOException {
        String line = replies.readLine();
        if (line == null || !line.startsWith(prefix)) {
            throw new IOException("the " + server + " server answered " + line);
        }
        return line.substring(prefix.length());
    }

    /**
     * Measures the server once it serves {@code connections} connections.
     *
     * @param connections how many it must be serving
     * @return its heap in use after a collection, and its resident bytes outside the heap
     * @throws IOException when the server fails
     */
    long[] measure(int connections) throws IOException {
        commands.write("measure " + connections + "\n");
        commands.flush();
        long heap = Long.parseLong(reply("heap "));
        return new long[] {heap, residentBytes(process.pid())};
    }

    /** Ends the server's input, and so the server; waits for it. */
    @Override
    public void close() throws Exception {
        commands.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** VmRSS of a process, from /proc. */
    static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
