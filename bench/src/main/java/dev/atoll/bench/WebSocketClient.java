package dev.atoll.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One client WebSocket connection of the benchmarks, on a blocking {@link SocketChannel}: it
 * does the opening handshake itself (raw bytes, RFC 6455 section 4.1), offering
 * permessage-deflate (RFC 7692) or not, sends a message that is one frame built once (masked,
 * and compressed when deflate was negotiated), and reads whole messages back, inflating them
 * when the server compressed them, counting their bytes. A server's pings get no pong: the
 * servers measured send none.
 */
final class WebSocketClient implements WebSocketLoad.Session, AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;

    private final SocketChannel channel;
    private final boolean deflate;
    private final ByteBuffer in;
    private final ByteBuffer inflated;
    private final ByteBuffer tail = ByteBuffer.allocateDirect(DEFLATE_TAIL.length);
    private final Inflater inflater;
    private ByteBuffer frame;
    private boolean closing;

    private WebSocketClient(SocketChannel channel, boolean deflate, int maxMessage) {
        this.channel = channel;
        this.deflate = deflate;
        this.in = ByteBuffer.allocateDirect(maxMessage + 64).flip();
        this.inflated = deflate ? ByteBuffer.allocateDirect(64 * 1024) : null;
        this.inflater = deflate ? new Inflater(true) : null;
    }

    /**
     * Connects and completes the opening handshake.
     *
     * @param address    the server
     * @param deflate    whether to offer permessage-deflate; the server must accept it
     * @param maxMessage the largest message the client will send or read (its buffers' size)
     * @return the open connection
     * @throws IOException when the server refuses the upgrade, or does not accept deflate offered
     */
    static WebSocketClient connect(InetSocketAddress address, boolean deflate, int maxMessage) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            WebSocketClient client = new WebSocketClient(channel, deflate, maxMessage);
            client.handshake(address);
            return client;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void handshake(InetSocketAddress address) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + WebSocketServers.PATH + " HTTP/1.1\r\n"
                + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "")
                + "\r\n";
        writeFully(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        String head = readHead();
        String[] lines = head.split("\r\n");
        if (!lines[0].matches("HTTP/1\\.1 101( .*)?")) {
            throw new IOException("the server refused the upgrade: " + lines[0]);
        }
        String accept = null;
        String extensions = "";
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("sec-websocket-accept")) {
                accept = value;
            } else if (name.equals("sec-websocket-extensions")) {
                extensions += value;
            }
        }
        if (!acceptOf(key).equals(accept)) {
            throw new IOException("the server answered Sec-WebSocket-Accept " + accept + ", not " + acceptOf(key));
        }
        if (deflate != extensions.contains("permessage-deflate")) {
            throw new IOException("permessage-deflate " + (deflate ? "offered" : "not offered")
                    + " but the server answered extensions [" + extensions + "]");
        }
    }

    /** Reads the response head up to its empty line, leaving what follows in {@code in}. */
    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                fill();
            }
            head.append((char) (in.get() & 0xff));
            int n = head.length();
            if (n >= 4 && head.charAt(n - 4) == '\r' && head.charAt(n - 3) == '\n' && head.charAt(n - 2) == '\r'
                    && head.charAt(n - 1) == '\n') {
                return head.toString();
            }
            if (n > 16384) {
                throw new IOException("the server's response head has no end in 16 KiB");
            }
        }
    }

    static String acceptOf(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /**
     * Sets the message this connection sends: one binary frame, masked with a random key, its
     * payload compressed (without the last four bytes of the flush, RFC 7692 section 7.2.1)
     * when deflate was negotiated. Each message is compressed on its own, which a server that
     * keeps its inflater's context between messages decodes as well.
     *
     * @param message the message's bytes
     */
    void message(byte[] message) {
        frame = frame(message, deflate);
    }

    static ByteBuffer frame(byte[] message, boolean deflate) {
        byte[] payload = deflate ? compress(message) : message;
        int length = payload.length;
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuffer f = ByteBuffer.allocateDirect(header + 4 + length);
        f.put((byte) (FIN | (deflate ? RSV1 : 0) | OP_BINARY));
        if (length < 126) {
            f.put((byte) (0x80 | length));
        } else if (length < 65536) {
            f.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            f.put((byte) (0x80 | 127)).putLong(length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.put(mask);
        for (int i = 0; i < length; i++) {
            f.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return f.flip();
    }

    static byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(message);
            byte[] out = new byte[message.length + 64];
            int n = 0;
            while (true) {
                n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
                if (n < out.length) {
                    break;
                }
                out = Arrays.copyOf(out, out.length * 2);
            }
            if (n < 4 || !Arrays.equals(out, n - 4, n, DEFLATE_TAIL, 0, 4)) {
                throw new IllegalStateException("a sync flush that does not end in 00 00 ff ff");
            }
            return Arrays.copyOf(out, n - 4);
        } finally {
            deflater.end();
        }
    }

    /**
     * Payload bytes that compress about as text does (words from a small vocabulary, some
     * repeated), the same for a given size.
     *
     * @param size the bytes
     * @return the message
     */
    static byte[] textLike(int size) {
        String[] words = {"atoll", "transport", "message", "socket", "frame", "deflate", "server", "client",
            "echo", "session", "buffer", "thread", "\"id\":", "\"value\":", "{", "}", "[", "]", "1234", "true"};
        Random random = new Random(size);
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            String w = random.nextInt(4) == 0 ? Integer.toString(random.nextInt(100_000)) : words[random.nextInt(words.length)];
            for (int j = 0; j < w.length() && i < size; j++) {
                out[i++] = (byte) w.charAt(j);
            }
            if (i < size) {
                out[i++] = ' ';
            }
        }
        return out;
    }

    /**
     * Sends the message set by {@link #message(byte[])}.
     *
     * @throws IOException when the server has gone
     */
    @Override
    public void send() throws IOException {
        writeFully(frame.rewind());
    }

    /**
     * Reads one whole message (its frames up to the final one), inflating it if the server
     * compressed it.
     *
     * @return the message's bytes, inflated
     * @throws IOException when the server closes, sends something malformed, or goes away
     */
    @Override
    public int receive() throws IOException {
        int bytes = 0;
        boolean first = true;
        boolean compressed = false;
        while (true) {
            need(2);
            int b0 = in.get() & 0xff;
            int b1 = in.get() & 0xff;
            if ((b1 & 0x80) != 0) {
                throw new IOException("the server masked a frame");
            }
            long length = b1 & 0x7f;
            if (length == 126) {
                need(2);
                length = in.getShort() & 0xffff;
            } else if (length == 127) {
                need(8);
                length = in.getLong();
            }
            int opcode = b0 & 0x0f;
            if (opcode >= OP_CLOSE) {
                need((int) length);
                in.position(in.position() + (int) length);
                if (opcode == OP_CLOSE) {
                    throw new EOFException("the server closed the session");
                }
                continue;   // a ping or pong between data frames
            }
            if (first) {
                compressed = (b0 & RSV1) != 0;
                first = false;
            }
            bytes += compressed ? inflate(length) : consume(length);
            if ((b0 & FIN) != 0) {
                if (compressed) {
                    bytes += inflate(tail.clear().put(DEFLATE_TAIL).flip());
                }
                return bytes;
            }
        }
    }

    private int consume(long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (!in.hasRemaining()) {
                fill();
            }
            int n = (int) Math.min(left, in.remaining());
            in.position(in.position() + n);
            left -= n;
        }
        return (int) length;
    }

    private int inflate(long length) throws IOException {
        long left = length;
        int bytes = 0;
        while (left > 0) {
            if (!in.hasRemaining()) {
                fill();
            }
            int n = (int) Math.min(left, in.remaining());
            ByteBuffer part = in.slice(in.position(), n);
            bytes += inflate(part);
            in.position(in.position() + n);
            left -= n;
        }
        return bytes;
    }

    private int inflate(ByteBuffer compressed) throws IOException {
        inflater.setInput(compressed);
        int bytes = 0;
        try {
            while (!inflater.needsInput()) {
                int n = inflater.inflate(inflated.clear());
                if (n == 0 && !inflater.needsInput()) {
                    throw new IOException("the server's compressed message does not inflate (finished "
                            + inflater.finished() + ", needs a dictionary " + inflater.needsDictionary() + ")");
                }
                bytes += n;
            }
        } catch (DataFormatException e) {
            throw new IOException("the server's compressed message is not deflate data", e);
        }
        return bytes;
    }

    /** Makes at least {@code n} bytes readable in {@code in}. */
    private void need(int n) throws IOException {
        while (in.remaining() < n) {
            fill();
        }
    }

    /** Reads at least one more byte into {@code in}. */
    private void fill() throws IOException {
        in.compact();
        try {
            if (channel.read(in) < 0) {
                throw new EOFException("the server closed the connection");
            }
        } finally {
            in.flip();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /**
     * Starts the closing handshake: sends a close frame (1000). {@link #close()} then waits for
     * the server to end the connection; many sessions close sooner sending all their close
     * frames first.
     */
    void sendClose() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            writeFully(ByteBuffer.wrap(new byte[] {(byte) (FIN | OP_CLOSE), (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8}));
        } catch (IOException gone) {
            // the server has already ended the connection
        }
    }

    /**
     * Closes the session: a close frame (1000) unless {@link #sendClose()} sent it, then waits
     * up to a second for the server to end the connection, then closes it.
     */
    @Override
    public void close() throws IOException {
        sendClose();
        try {
            channel.configureBlocking(false);
            long deadline = System.nanoTime() + 1_000_000_000L;
            ByteBuffer scratch = ByteBuffer.allocate(4096);
            int n;
            while ((n = channel.read(scratch.clear())) >= 0 && System.nanoTime() < deadline) {
                if (n == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException gone) {
            // the server has already ended the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel.close();
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /**
     * Closes many sessions: every close frame first, then each connection.
     *
     * @param clients the sessions
     * @throws IOException when a connection cannot be closed
     */
    static void closeAll(List<WebSocketClient> clients) throws IOException {
        clients.forEach(WebSocketClient::sendClose);
        IOException first = null;
        for (WebSocketClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
