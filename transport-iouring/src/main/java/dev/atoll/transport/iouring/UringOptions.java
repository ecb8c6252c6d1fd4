package dev.atoll.transport.iouring;

import io.netty.channel.ChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/** The JDK's socket options and the Netty channel options they are on an io_uring channel. */
final class UringOptions {

    static final Map<SocketOption<?>, ChannelOption<?>> CONNECTION = connection();

    static final Set<SocketOption<?>> SUPPORTED = supported();

    private UringOptions() {
    }

    private static Map<SocketOption<?>, ChannelOption<?>> connection() {
        Map<SocketOption<?>, ChannelOption<?>> map = new LinkedHashMap<>();
        map.put(StandardSocketOptions.TCP_NODELAY, ChannelOption.TCP_NODELAY);
        map.put(StandardSocketOptions.SO_KEEPALIVE, ChannelOption.SO_KEEPALIVE);
        map.put(StandardSocketOptions.SO_RCVBUF, ChannelOption.SO_RCVBUF);
        map.put(StandardSocketOptions.SO_SNDBUF, ChannelOption.SO_SNDBUF);
        map.put(StandardSocketOptions.SO_LINGER, ChannelOption.SO_LINGER);
        map.put(StandardSocketOptions.SO_REUSEADDR, ChannelOption.SO_REUSEADDR);
        map.put(StandardSocketOptions.IP_TOS, ChannelOption.IP_TOS);
        map.put(ExtendedSocketOptions.TCP_KEEPIDLE, IoUringChannelOption.TCP_KEEPIDLE);
        map.put(ExtendedSocketOptions.TCP_KEEPINTERVAL, IoUringChannelOption.TCP_KEEPINTVL);
        map.put(ExtendedSocketOptions.TCP_KEEPCOUNT, IoUringChannelOption.TCP_KEEPCNT);
        map.put(ExtendedSocketOptions.TCP_QUICKACK, IoUringChannelOption.TCP_QUICKACK);
        return Map.copyOf(map);
    }

    private static Set<SocketOption<?>> supported() {
        java.util.HashSet<SocketOption<?>> all = new java.util.HashSet<>(CONNECTION.keySet());
        all.addAll(dev.atoll.transport.spi.ConnectionSettings.OPTIONS);
        return Set.copyOf(all);
    }

    @SuppressWarnings("unchecked")
    static <T> ChannelOption<T> of(SocketOption<T> option) {
        return (ChannelOption<T>) CONNECTION.get(option);
    }
}
