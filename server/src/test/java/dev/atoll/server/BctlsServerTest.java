package dev.atoll.server;

/** The server over {@code bctls} on {@code iouring}. */
class BctlsServerTest extends ServerSuite {
    @Override
    Backend backend() {
        return Backend.secure("bctls", "iouring");
    }
}
