package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.ShutdownHow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;

/** The transport under test acting as the peer of itself. */
final class ConnectionPeer implements Peer {

    private final Connection connection;
    private final String description;
    private ByteBuffer leftover = ByteBuffer.allocate(0);

    ConnectionPeer(Connection connection, String description) {
        this.connection = connection;
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void write(byte[] data) throws IOException {
        connection.send(data);
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        return Bytes.of(connection.recv(n, TckContext.IO_TIMEOUT));
    }

    @Override
    public int readSome(byte[] buffer) throws IOException {
        if (!leftover.hasRemaining()) {
            try {
                leftover = connection.recv(0, TckContext.IO_TIMEOUT);
            } catch (EndOfStreamException end) {
                return -1;
            }
        }
        int n = Math.min(buffer.length, leftover.remaining());
        leftover.get(buffer, 0, n);
        return n;
    }

    @Override
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            try {
                all.writeBytes(Bytes.of(connection.recv(0, TckContext.IO_TIMEOUT)));
            } catch (EndOfStreamException end) {
                return all.toByteArray();
            }
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        connection.shutdown(ShutdownHow.WRITE);
    }

    @Override
    public void reset() throws IOException {
        connection.setopt(StandardSocketOptions.SO_LINGER, 0);
        connection.close();
    }

    @Override
    public InetSocketAddress local() {
        try {
            return connection.sockname();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InetSocketAddress remote() {
        try {
            return connection.peername();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
