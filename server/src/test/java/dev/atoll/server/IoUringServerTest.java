package dev.atoll.server;

/** The server over {@code iouring}. */
class IoUringServerTest extends ServerSuite {
    @Override
    Backend backend() {
        return Backend.plain("iouring");
    }
}
