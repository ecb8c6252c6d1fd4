package dev.atoll.server;

/** The server over {@code jsse} on {@code nio}. */
class JsseOverNioServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.secure("jsse", "nio");
    }
}
