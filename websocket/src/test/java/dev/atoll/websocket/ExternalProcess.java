package dev.atoll.websocket;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer that runs as a process of its own, bounded in time: its output goes to files in the
 * test's directory, and it is stopped with every process it started, however the test ends.
 */
public final class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private ExternalProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts a process.
     *
     * @param name    for messages and the names of its output files
     * @param dir     its working directory, where its output goes
     * @param command the command line
     * @return the running process
     * @throws IOException when it cannot start
     */
    public static ExternalProcess start(String name, Path dir, List<String> command) throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ExternalProcess(name, process, out, err);
    }

    /**
     * Waits for the process to end.
     *
     * @param limit how long it may take
     * @return its exit code
     * @throws AssertionError when it did not end in time (it is then stopped)
     */
    public int await(Duration limit) throws InterruptedException, IOException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError(name + " did not end within " + limit + "\n" + output());
        }
        return process.exitValue();
    }

    /** {@return what the process wrote to its standard output} */
    public String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /**
     * Waits for the port a server prints on its first line.
     *
     * @param limit how long it may take
     * @return the port
     * @throws IOException when no port came in time, with the process's output
     */
    public int awaitPort(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String out = stdout();
            int end = out.indexOf('\n');
            if (end > 0 && out.substring(0, end).strip().matches("[0-9]+")) {
                return Integer.parseInt(out.substring(0, end).strip());
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IOException(name + " printed no port within " + limit + "\n" + output());
    }

    /**
     * Waits for a line of the process's standard output that starts with a prefix.
     *
     * @param prefix how the line starts
     * @param limit  how long it may take
     * @return everything the process wrote to its standard output by then
     * @throws AssertionError when no such line came in time, with the process's output
     */
    public String awaitLine(String prefix, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String out = stdout();
            if (out.lines().anyMatch(line -> line.startsWith(prefix)) && out.endsWith("\n")) {
                return out;
            }
            if (System.nanoTime() >= deadline || !process.isAlive()) {
                throw new AssertionError(name + " wrote no line starting with '" + prefix + "' within " + limit
                        + "\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** {@return what the process wrote on both its outputs, for a failure's message} */
    public String output() throws IOException {
        return name + "'s output:\n" + stdout() + name + "'s errors:\n" + Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Stops the process and its descendants: asked first, then forced, within a few seconds. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(3, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
        }
        for (ProcessHandle child : descendants) {
            child.onExit().completeOnTimeout(child, 3, TimeUnit.SECONDS).join();
        }
    }

    /**
     * A script among the test resources, in {@code peers/}.
     *
     * @param file its name
     * @return its path
     */
    public static Path script(String file) {
        try {
            return Path.of(ExternalProcess.class.getResource("peers/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Finds a program on the {@code PATH}.
     *
     * @param program its name
     * @return its path, or {@code null} when it is not there
     */
    public static Path onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d, program);
            if (!d.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
