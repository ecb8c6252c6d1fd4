package dev.atoll.websocket.conformance;

import dev.atoll.websocket.ExternalProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An echo server run as a process that prints its port on its first line, on 127.0.0.1 with plain {@code ws}. */
final class ExternalEchoServer implements ServerConformanceTest.EchoServer {

    private final ExternalProcess process;
    private final Target target;

    private ExternalEchoServer(ExternalProcess process, Target target) {
        this.process = process;
        this.target = target;
    }

    /**
     * Starts the server and waits, for at most 20 s, for the port it prints.
     *
     * @param name    the report's name
     * @param dir     its working directory
     * @param command its command line
     * @return the running server
     */
    static ExternalEchoServer start(String name, Path dir, List<String> command) throws Exception {
        ExternalProcess process = ExternalProcess.start(name, dir, command);
        try {
            return new ExternalEchoServer(process, new Target(name, "127.0.0.1", process.awaitPort(Duration.ofSeconds(20)),
                    false, "/"));
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
