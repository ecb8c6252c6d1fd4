package dev.atoll.server;

/** The server over {@code jsse} on {@code iouring}. */
class JsseOverIoUringServerTest extends CallbackSuite {
    @Override
    Backend backend() {
        return Backend.secure("jsse", "iouring");
    }
}
