package dev.atoll.server;

/** The server over {@code bctls} on {@code iouring}. */
class BctlsOverIoUringServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.secure("bctls", "iouring");
    }
}
