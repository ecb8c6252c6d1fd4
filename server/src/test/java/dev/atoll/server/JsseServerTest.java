package dev.atoll.server;

/** The server over {@code jsse} on {@code nio}. */
class JsseServerTest extends ServerSuite {
    @Override
    Backend backend() {
        return Backend.secure("jsse", "nio");
    }
}
