package dev.atoll.server;

/** The server over {@code jsse} on {@code nio}. */
class JsseServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.secure("jsse", "nio");
    }
}
