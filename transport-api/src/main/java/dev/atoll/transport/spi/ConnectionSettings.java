package dev.atoll.transport.spi;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.SendTimeoutException;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.SocketOption;
import java.time.Duration;
import java.util.Set;

/**
 * A connection's values of Atoll's own options ({@link AtollOptions}), which a backend keeps
 * itself rather than in the kernel: the receive chunk size (kept by the {@link Receiver}), the
 * send timeout and whether it closes, and the close linger. A backend holds one per connection
 * and lets it answer {@code setopt}/{@code getopt} for {@link #OPTIONS}.
 */
public final class ConnectionSettings {

    /** The options this class keeps. */
    public static final Set<SocketOption<?>> OPTIONS = Set.of(AtollOptions.RECV_CHUNK_SIZE, AtollOptions.SEND_TIMEOUT,
            AtollOptions.SEND_TIMEOUT_CLOSE, AtollOptions.CLOSE_LINGER);

    private static final Duration DEFAULT_CLOSE_LINGER = Duration.ofSeconds(AtollOptions.DEFAULT_CLOSE_LINGER_SECONDS);

    private final Receiver receiver;
    private volatile Duration sendTimeout = Transport.INFINITE;
    private volatile boolean sendTimeoutCloses;
    private volatile Duration closeLinger = DEFAULT_CLOSE_LINGER;

    /**
     * The settings of a connection whose receives go through {@code receiver}.
     *
     * @param receiver the connection's receiver, which keeps the chunk size
     */
    public ConnectionSettings(Receiver receiver) {
        this.receiver = receiver;
    }

    /**
     * Whether this class keeps an option.
     *
     * @param option the option
     * @return {@code true} for one of {@link #OPTIONS}
     */
    public static boolean keeps(SocketOption<?> option) {
        return OPTIONS.contains(option);
    }

    /**
     * Sets one of {@link #OPTIONS}.
     *
     * @param option the option
     * @param value  the value
     * @param <T>    the value type
     * @throws IllegalArgumentException when the value is out of range
     */
    public <T> void set(SocketOption<T> option, T value) {
        if (option == AtollOptions.RECV_CHUNK_SIZE) {
            receiver.chunkSize((Integer) value);
        } else if (option == AtollOptions.SEND_TIMEOUT) {
            sendTimeout = AtollOptions.checkDuration(AtollOptions.SEND_TIMEOUT, (Duration) value);
        } else if (option == AtollOptions.SEND_TIMEOUT_CLOSE) {
            sendTimeoutCloses = (Boolean) value;
        } else if (option == AtollOptions.CLOSE_LINGER) {
            closeLinger = AtollOptions.checkDuration(AtollOptions.CLOSE_LINGER, (Duration) value);
        } else {
            throw new IllegalArgumentException(option.name() + " is not one of Atoll's own options");
        }
    }

    /**
     * Reads one of {@link #OPTIONS}.
     *
     * @param option the option
     * @param <T>    the value type
     * @return the value
     */
    public <T> T get(SocketOption<T> option) {
        Object value;
        if (option == AtollOptions.RECV_CHUNK_SIZE) {
            value = receiver.chunkSize();
        } else if (option == AtollOptions.SEND_TIMEOUT) {
            value = sendTimeout;
        } else if (option == AtollOptions.SEND_TIMEOUT_CLOSE) {
            value = sendTimeoutCloses;
        } else if (option == AtollOptions.CLOSE_LINGER) {
            value = closeLinger;
        } else {
            throw new IllegalArgumentException(option.name() + " is not one of Atoll's own options");
        }
        return option.type().cast(value);
    }

    /**
     * Sets those of {@code options} that this class keeps, as a connect does.
     *
     * @param options the options given to connect
     */
    public void setFrom(SocketOptions options) {
        for (SocketOption<?> option : options.options()) {
            if (keeps(option)) {
                setFrom(options, option);
            }
        }
    }

    private <T> void setFrom(SocketOptions options, SocketOption<T> option) {
        set(option, options.get(option));
    }

    /**
     * The deadline of a send: {@code timeout}, or the {@link AtollOptions#SEND_TIMEOUT} when it is
     * {@code null}.
     *
     * @param timeout the call's own limit, or {@code null}
     * @return the deadline, from now
     */
    public Deadline sendDeadline(Duration timeout) {
        return Deadline.after(timeout == null ? sendTimeout : timeout);
    }

    /**
     * The close linger ({@link AtollOptions#CLOSE_LINGER}).
     *
     * @return how long a close may go on in the background
     */
    public Duration closeLinger() {
        return closeLinger;
    }

    /**
     * The error of a send that timed out: closes the connection first when
     * {@link AtollOptions#SEND_TIMEOUT_CLOSE} says so (SEND-4).
     *
     * @param operation  the operation and peer, such as "send to /127.0.0.1:80"
     * @param bytesTaken how many bytes of the call were taken
     * @param connection what to close
     * @return the exception to throw
     */
    public SendTimeoutException sendTimedOut(String operation, long bytesTaken, java.io.Closeable connection) {
        if (sendTimeoutCloses) {
            try {
                connection.close();
            } catch (IOException | RuntimeException ignored) {
                // the timeout is what the caller hears of; the connection is gone either way
            }
            return new SendTimeoutException(operation + ": timed out, and the connection was closed", bytesTaken, true);
        }
        return new SendTimeoutException(operation + ": timed out", bytesTaken, false);
    }

    /**
     * The error of an operation on a connection whose thread was interrupted (INTR-1), after
     * the connection was closed; sets the thread's interrupt status again.
     *
     * @param operation the operation and peer
     * @return the exception to throw
     */
    public static java.io.InterruptedIOException interrupted(String operation) {
        Thread.currentThread().interrupt();
        return new java.io.InterruptedIOException(operation + ": interrupted; the connection was closed");
    }
}
