package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A connection of the transport under test used through the SPI itself: each call goes straight
 * to the {@link Transport} with the handle, past the {@link Connection} view and its own
 * closed-state check. For rules about what the transport does by itself, such as after a close.
 *
 * @param <S> the transport's connection handle type
 */
public final class SpiConnection<S> implements AutoCloseable {

    private final Transport<S, ?> transport;
    private final S handle;

    SpiConnection(Transport<S, ?> transport, S handle) {
        this.transport = transport;
        this.handle = handle;
    }

    /**
     * A {@link Connection} view of the same handle, for the ordinary use of the connection.
     *
     * @return a view bound to the handle
     */
    public Connection view() {
        return Connection.bind(transport, handle);
    }

    /**
     * {@link Transport#recv(Object, int, Duration)}.
     *
     * @param length  0 or the exact length
     * @param timeout how long to wait
     * @return the bytes
     * @throws IOException what the transport throws
     */
    public ByteBuffer recv(int length, Duration timeout) throws IOException {
        return transport.recv(handle, length, timeout);
    }

    /**
     * {@link Transport#recv(Object, ByteBuffer, Duration)}.
     *
     * @param dst     where the bytes go
     * @param timeout how long to wait
     * @return how many bytes
     * @throws IOException what the transport throws
     */
    public int recv(ByteBuffer dst, Duration timeout) throws IOException {
        return transport.recv(handle, dst, timeout);
    }

    /**
     * {@link Transport#unrecv}.
     *
     * @param bytes the bytes to hand back
     * @throws IOException what the transport throws
     */
    public void unrecv(ByteBuffer bytes) throws IOException {
        transport.unrecv(handle, bytes);
    }

    /**
     * {@link Transport#send(Object, ByteBuffer...)}.
     *
     * @param data the buffers
     * @throws IOException what the transport throws
     */
    public void send(ByteBuffer... data) throws IOException {
        transport.send(handle, data);
    }

    /**
     * {@link Transport#sendfile}.
     *
     * @param path   the file
     * @param offset the first byte
     * @param length how many, 0 for all
     * @return the bytes sent
     * @throws IOException what the transport throws
     */
    public long sendfile(Path path, long offset, long length) throws IOException {
        return transport.sendfile(handle, path, offset, length);
    }

    /**
     * {@link Transport#setopt}.
     *
     * @param option the option
     * @param value  its value
     * @param <T>    its type
     * @throws IOException what the transport throws
     */
    public <T> void setopt(SocketOption<T> option, T value) throws IOException {
        transport.setopt(handle, option, value);
    }

    /**
     * {@link Transport#getopt}.
     *
     * @param option the option
     * @param <T>    its type
     * @return its value
     * @throws IOException what the transport throws
     */
    public <T> T getopt(SocketOption<T> option) throws IOException {
        return transport.getopt(handle, option);
    }

    /**
     * {@link Transport#getstat}.
     *
     * @return the counters
     * @throws IOException what the transport throws
     */
    public SocketStats getstat() throws IOException {
        return transport.getstat(handle);
    }

    /**
     * {@link Transport#peername}.
     *
     * @return the peer's address
     * @throws IOException what the transport throws
     */
    public InetSocketAddress peername() throws IOException {
        return transport.peername(handle);
    }

    /**
     * {@link Transport#sockname}.
     *
     * @return the local address
     * @throws IOException what the transport throws
     */
    public InetSocketAddress sockname() throws IOException {
        return transport.sockname(handle);
    }

    /**
     * {@link Transport#shutdown}.
     *
     * @param how which direction
     * @throws IOException what the transport throws
     */
    public void shutdown(ShutdownHow how) throws IOException {
        transport.shutdown(handle, how);
    }

    /**
     * {@link Transport#clientHello}, then {@link Transport#cancelHandshake}: refuses a paused
     * handshake.
     *
     * @param timeout how long the client may take to send its ClientHello
     * @throws IOException what the transport throws
     */
    public void cancelAfterClientHello(Duration timeout) throws IOException {
        transport.clientHello(handle, timeout);
        transport.cancelHandshake(handle);
    }

    /**
     * {@link Transport#close(Object)}.
     *
     * @throws IOException what the transport throws
     */
    @Override
    public void close() throws IOException {
        transport.close(handle);
    }

    @Override
    public String toString() {
        return transport.name() + " handle " + handle;
    }
}
