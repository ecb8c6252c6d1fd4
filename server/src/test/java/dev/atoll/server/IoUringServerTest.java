package dev.atoll.server;

/** The server over {@code iouring}. */
class IoUringServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.plain("iouring");
    }
}
