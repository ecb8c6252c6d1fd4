package dev.atoll.transport.spi;

import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A plain connection handle that carries out the operations itself; {@link PlainTransport}
 * forwards the transport's operations to it. Each method follows the rules of the
 * {@link dev.atoll.transport.Transport} method of the same name.
 */
public interface PlainSocket {

    /**
     * See {@link dev.atoll.transport.Transport#recv}.
     *
     * @param length  0 for what is available, or the exact count
     * @param timeout how long to wait
     * @return the bytes
     * @throws IOException on timeout, end of stream, close or failure
     */
    ByteBuffer recv(int length, Duration timeout) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#recv(Object, ByteBuffer, Duration)}.
     *
     * @param dst     where the bytes go
     * @param timeout how long to wait
     * @return how many bytes were received
     * @throws IOException on timeout, end of stream, close or failure
     */
    int recv(ByteBuffer dst, Duration timeout) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#unrecv}.
     *
     * @param bytes the bytes to hand back
     * @throws IOException when closed
     */
    void unrecv(ByteBuffer bytes) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#send(Object, Duration, ByteBuffer...)}.
     *
     * @param data    the buffers
     * @param timeout how long to wait for the peer; {@code null} for the connection's
     *                {@link dev.atoll.transport.AtollOptions#SEND_TIMEOUT}
     * @throws IOException on failure or timeout
     */
    void send(ByteBuffer[] data, Duration timeout) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#sendfile}.
     *
     * @param path   the file
     * @param offset the first byte
     * @param length how many, 0 for all to the end
     * @return the bytes sent
     * @throws IOException on failure
     */
    long sendfile(Path path, long offset, long length) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#setopt}.
     *
     * @param option the option
     * @param value  the value
     * @param <T>    the value type
     * @throws IOException when unsupported or refused
     */
    <T> void setopt(SocketOption<T> option, T value) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#getopt}.
     *
     * @param option the option
     * @param <T>    the value type
     * @return the value
     * @throws IOException when unsupported
     */
    <T> T getopt(SocketOption<T> option) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#getstat}.
     *
     * @return the counters
     */
    SocketStats stats();

    /**
     * See {@link dev.atoll.transport.Transport#peername}.
     *
     * @return the peer's address
     * @throws IOException when closed
     */
    InetSocketAddress remote() throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#sockname}.
     *
     * @return the local address
     * @throws IOException when closed
     */
    InetSocketAddress local() throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#shutdown}.
     *
     * @param how which direction(s)
     * @throws IOException on failure
     */
    void shutdown(ShutdownHow how) throws IOException;

    /**
     * See {@link dev.atoll.transport.Transport#close}.
     *
     * @throws IOException on failure
     */
    void close() throws IOException;
}
