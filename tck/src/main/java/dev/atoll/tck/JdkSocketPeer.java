package dev.atoll.tck;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * The reference peer: a blocking {@link java.net.Socket} of the JDK, or a JDK
 * {@link SSLSocket} layered over one for a secure subject.
 */
final class JdkSocketPeer implements Peer {

    private final Socket socket;
    private final Socket raw;
    private final String description;

    JdkSocketPeer(Socket socket, String description) throws IOException {
        this.socket = socket;
        this.raw = TckTls.rawOf(socket);
        this.description = description;
        socket.setSoTimeout((int) TckContext.IO_TIMEOUT.toMillis());
    }

    /** Runs the TLS handshake of a TLS peer; nothing for a plain one. */
    void handshake() throws IOException {
        if (socket instanceof SSLSocket tls) {
            tls.startHandshake();
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void write(byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        InputStream in = socket.getInputStream();
        int filled = 0;
        while (filled < n) {
            int r = in.read(out, filled, n - filled);
            if (r < 0) {
                throw new EOFException(description + ": end of stream after " + filled + " of " + n + " bytes");
            }
            filled += r;
        }
        return out;
    }

    @Override
    public int readSome(byte[] buffer) throws IOException {
        return socket.getInputStream().read(buffer);
    }

    @Override
    public byte[] readToEnd() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void reset() throws IOException {
        raw.setSoLinger(true, 0);
        raw.close();
    }

    @Override
    public InetSocketAddress local() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public InetSocketAddress remote() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    /**
     * Closes at once. A JDK TLS socket's own close waits for the peer's close_notify, for up to
     * its read timeout; a check that ends does not wait for that, so the plain socket goes first.
     */
    @Override
    public void close() throws IOException {
        raw.close();
        socket.close();
    }

}
