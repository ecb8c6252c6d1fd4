package dev.atoll.transport.iouring;

import dev.atoll.transport.Availability;
import dev.atoll.transport.Transport;
import dev.atoll.transport.spi.SettingValues;
import dev.atoll.transport.TransportProvider;
import java.util.Map;

/**
 * Finds the {@code iouring} transport for {@link java.util.ServiceLoader}. It runs where Netty's
 * io_uring transport does (Linux, a kernel that has io_uring and allows it, the native library
 * for this machine), with Netty's io_uring polling one shot at a time (multishot polls lose resets);
 * elsewhere it reports the reason. Setting {@code atoll.iouring.threads}:
 * the number of event-loop threads (default: the number of processors).
 */
public final class IoUringTransportProvider implements TransportProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public IoUringTransportProvider() {
    }

    static String reason() {
        return NettyIoUring.unavailability();
    }

    @Override
    public String name() {
        return IoUringTransport.NAME;
    }

    @Override
    public Availability availability() {
        String reason = reason();
        return reason.isEmpty() ? Availability.AVAILABLE : Availability.unavailable(reason);
    }

    @Override
    public Transport<?, ?> create(Map<String, String> settings) {
        String threads = settings.get("atoll.iouring.threads");
        int n = Runtime.getRuntime().availableProcessors();
        if (threads != null) {
            n = SettingValues.integer("atoll.iouring.threads", threads, 1, 1024);
        }
        return new IoUringTransport(n);
    }
}
