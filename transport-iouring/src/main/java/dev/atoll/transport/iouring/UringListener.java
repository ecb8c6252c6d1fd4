package dev.atoll.transport.iouring;

import dev.atoll.transport.ConnectionClosedException;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listener of the {@code iouring} transport. The event loop accepts; connections wait in a
 * queue until {@code accept} takes them (the kernel's backlog bounds how many arrive).
 */
final class UringListener {


    private final LinkedBlockingQueue<Object> accepted = new LinkedBlockingQueue<>();
    private volatile Channel channel;
    private volatile InetSocketAddress address;
    private volatile boolean closed;

    /** Made before the server channel binds, so that no accepted connection finds it missing. */
    UringListener() {
    }

    /** Records the bound server channel. */
    UringListener bound(Channel serverChannel) {
        this.channel = serverChannel;
        this.address = (InetSocketAddress) serverChannel.localAddress();
        return this;
    }

    /** Called on the event loop for each accepted connection. */
    void offer(UringSocket socket) throws IOException {
        if (closed) {
            socket.close();
            return;
        }
        accepted.add(socket);
    }

    UringSocket accept(Duration timeout) throws IOException {
        String operation = "accept on " + address;
        if (closed) {
            throw new ConnectionClosedException(operation + ": listener closed");
        }
        Object next;
        try {
            next = timeout.compareTo(dev.atoll.transport.Transport.INFINITE) >= 0 ? accepted.take()
                    : accepted.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(operation + ": interrupted");
        }
        if (next == null) {
            throw new SocketTimeoutException(operation + ": no connection within " + timeout);
        }
        if (next == this) {
            accepted.add(this);
            throw new ConnectionClosedException(operation + ": listener closed");
        }
        return (UringSocket) next;
    }

    InetSocketAddress address() throws ConnectionClosedException {
        if (closed) {
            throw new ConnectionClosedException("address of " + address + ": listener closed");
        }
        return address;
    }

    void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Futures.await(channel.close(), dev.atoll.transport.spi.Deadline.after(Duration.ofSeconds(5)), "close of " + address);
        Object pending;
        while ((pending = accepted.poll()) != null) {
            if (pending instanceof UringSocket socket) {
                socket.close();
            }
        }
        accepted.add(this);
    }

}
