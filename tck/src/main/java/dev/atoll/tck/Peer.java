package dev.atoll.tck;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The other end of a connection under test: a reference JDK socket, or a connection of the
 * transport itself. Every read waits at most {@link TckContext#IO_TIMEOUT}.
 */
public interface Peer extends AutoCloseable {

    /**
     * What this peer is, such as "JDK client".
     *
     * @return what this peer is, such as "JDK client"
     */
    String description();

    /**
     * Writes all bytes.
     *
     * @param data the bytes
     * @throws IOException on failure
     */
    void write(byte[] data) throws IOException;

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many
     * @return the bytes
     * @throws IOException on failure, including an end of stream before {@code n} bytes
     */
    byte[] readExactly(int n) throws IOException;

    /**
     * Reads what is available, at least one byte.
     *
     * @param buffer where to put the bytes
     * @return how many were read, or -1 at the end of stream
     * @throws IOException on failure or timeout
     */
    int readSome(byte[] buffer) throws IOException;

    /**
     * Reads until the end of stream and returns everything read.
     *
     * @return the bytes before the end
     * @throws IOException on failure or timeout
     */
    byte[] readToEnd() throws IOException;

    /**
     * Shuts down this peer's sending side: the connection under test sees an end of stream.
     *
     * @throws IOException on failure
     */
    void shutdownOutput() throws IOException;

    /**
     * Closes abruptly with a TCP reset (SO_LINGER 0).
     *
     * @throws IOException on failure
     */
    void reset() throws IOException;

    /**
     * This peer's local address.
     *
     * @return this peer's local address
     */
    InetSocketAddress local();

    /**
     * This peer's remote address.
     *
     * @return this peer's remote address
     */
    InetSocketAddress remote();

    @Override
    void close() throws IOException;
}
