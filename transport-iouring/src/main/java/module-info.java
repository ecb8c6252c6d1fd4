/**
 * Atoll's {@code iouring} transport: plain TCP on Linux io_uring through Netty.
 */
module dev.atoll.transport.iouring {
    requires dev.atoll.transport;
    requires jdk.net;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;

    exports dev.atoll.transport.iouring;

    provides dev.atoll.transport.TransportProvider with dev.atoll.transport.iouring.IoUringTransportProvider;
}
