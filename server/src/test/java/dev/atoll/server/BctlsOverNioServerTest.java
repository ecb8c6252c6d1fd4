package dev.atoll.server;

/** The server over {@code bctls} on {@code nio}. */
class BctlsOverNioServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.secure("bctls", "nio");
    }
}
