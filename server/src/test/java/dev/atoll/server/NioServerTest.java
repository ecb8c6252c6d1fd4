package dev.atoll.server;

/** The server over {@code nio}. */
class NioServerTest extends ServerSuite {
    @Override
    Backend backend() {
        return Backend.plain("nio");
    }
}
