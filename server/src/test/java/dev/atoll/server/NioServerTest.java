package dev.atoll.server;

/** The server over {@code nio}. */
class NioServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.plain("nio");
    }
}
