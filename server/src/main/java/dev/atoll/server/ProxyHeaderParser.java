package dev.atoll.server;

import dev.atoll.server.ProxyHeader.Command;
import dev.atoll.server.ProxyHeader.Family;
import dev.atoll.server.ProxyHeader.Ssl;
import dev.atoll.server.ProxyHeader.Tlv;
import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads a PROXY protocol header from the start of a connection, strictly, and however the
 * network splits it; the bytes after it stay on the connection.
 */
final class ProxyHeaderParser {

    /** The longest version 1 header, CR LF included. */
    static final int V1_MAX = 107;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    private final ProxyProtocol accepted;
    private final int limit;
    private final String peer;

    /**
     * A parser for one connection.
     *
     * @param accepted which versions to accept (not NONE)
     * @param limit    the most bytes a header may take
     * @param peer     for messages
     */
    ProxyHeaderParser(ProxyProtocol accepted, int limit, String peer) {
        this.accepted = accepted;
        this.limit = limit;
        this.peer = peer;
    }

    /**
     * Receives the header, then hands the bytes that came after it back to the connection.
     *
     * @throws ProxyProtocolException when the header is missing, malformed, too long or cut short
     * @throws SocketTimeoutException when it is not complete within {@code timeout}
     */
    static ProxyHeader read(Connection connection, ProxyProtocol accepted, int limit, Duration timeout) throws IOException {
        String peer = String.valueOf(connection.peername());
        ProxyHeaderParser parser = new ProxyHeaderParser(accepted, limit, peer);
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer seen = ByteBuffer.allocate(0);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("PROXY header from " + peer + ": not complete within " + timeout.toMillis()
                        + " ms (" + seen.remaining() + " bytes came)");
            }
            ByteBuffer more;
            try {
                more = connection.recv(0, Duration.ofNanos(left));
            } catch (EndOfStreamException end) {
                throw new ProxyProtocolException("PROXY header from " + peer + ": the connection ended after "
                        + seen.remaining() + " bytes of it");
            } catch (SocketTimeoutException late) {
                continue;   // reported above with what came
            }
            ByteBuffer joined = ByteBuffer.allocate(seen.remaining() + more.remaining());
            seen = joined.put(seen).put(more).flip();
            Parsed parsed = parser.parse(seen);
            if (parsed != null) {
                if (parsed.length() < seen.limit()) {
                    connection.unrecv(seen.position(parsed.length()).slice());
                }
                return parsed.header();
            }
        }
    }

    /** A complete header and how many bytes it took. */
    record Parsed(ProxyHeader header, int length) {
    }

    /**
     * Parses what arrived so far.
     *
     * @param bytes what arrived so far, from the first byte (position 0)
     * @return the header, or {@code null} while more bytes are needed
     * @throws ProxyProtocolException as soon as the bytes cannot begin a valid header
     */
    Parsed parse(ByteBuffer bytes) throws ProxyProtocolException {
        if (!bytes.hasRemaining()) {
            return null;
        }
        byte first = bytes.get(0);
        if (first == 'P' && accepted != ProxyProtocol.V2) {
            return parseV1(bytes);
        }
        if (first == V2_FIRST && accepted != ProxyProtocol.V1) {
            return parseV2(bytes);
        }
        throw fail("expected a " + (accepted == ProxyProtocol.ANY ? "" : accepted + " ") + "PROXY header, got byte 0x"
                + Integer.toHexString(first & 0xFF) + " first");
    }

    private static final byte V2_FIRST = ProxyHeader.V2_SIGNATURE[0];

    private ProxyProtocolException fail(String what) {
        return new ProxyProtocolException("PROXY header from " + peer + ": " + what);
    }

    // ---- version 1

    private Parsed parseV1(ByteBuffer b) throws ProxyProtocolException {
        int n = b.limit();
        for (int i = 0; i < Math.min(n, V1_PREFIX.length); i++) {
            if (b.get(i) != V1_PREFIX[i]) {
                throw fail("a version 1 header begins with 'PROXY ', not '" + printable(b, Math.min(n, V1_PREFIX.length)) + "'");
            }
        }
        int end = -1;
        for (int i = 0; i < Math.min(n, V1_MAX); i++) {
            byte c = b.get(i);
            if (c == '\r') {
                if (i + 1 == n) {
                    break;   // its LF has not come yet
                }
                if (b.get(i + 1) != '\n') {
                    throw fail("a CR not followed by LF at " + i);
                }
                end = i;
                break;
            }
            if (c < 0x20 || c >= 0x7F) {   // bytes from 0x80 are negative
                throw fail("a version 1 header holds printable ASCII only, ending in CR LF; byte 0x"
                        + Integer.toHexString(c & 0xFF) + " at " + i);
            }
        }
        if (end < 0) {
            if (n >= V1_MAX) {
                throw fail("no CR LF within the " + V1_MAX + " bytes a version 1 header may take");
            }
            return null;
        }
        String line = new String(bytes(b, 0, end), StandardCharsets.US_ASCII);
        String[] f = line.split(" ", -1);
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return new Parsed(new ProxyHeader(1, Command.PROXY, Family.UNSPEC, null, null, List.of()), end + 2);
        }
        if (f.length != 6) {
            throw fail("'" + line + "' is not PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>");
        }
        Family family = switch (f[1]) {
            case "TCP4" -> Family.TCP4;
            case "TCP6" -> Family.TCP6;
            default -> throw fail("unknown protocol '" + f[1] + "' in '" + line + "'");
        };
        InetAddress source = address(f[2], family, line);
        InetAddress destination = address(f[3], family, line);
        return new Parsed(new ProxyHeader(1, Command.PROXY, family, new InetSocketAddress(source, port(f[4], line)),
                new InetSocketAddress(destination, port(f[5], line)), List.of()), end + 2);
    }

    private InetAddress address(String text, Family family, String line) throws ProxyProtocolException {
        boolean valid = family == Family.TCP4 ? text.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")
                : text.matches("[0-9a-fA-F:.]+") && text.contains(":");
        if (valid) {
            try {
                InetAddress a = InetAddress.getByName(text);   // a literal: never looked up
                if (family == Family.TCP4 ? a instanceof Inet4Address : (a instanceof Inet6Address || text.contains(":"))) {
                    return a;
                }
            } catch (UnknownHostException notALiteral) {
                // reported below
            }
        }
        throw fail("'" + text + "' is not an " + (family == Family.TCP4 ? "IPv4" : "IPv6") + " address in '" + line + "'");
    }

    private int port(String text, String line) throws ProxyProtocolException {
        if (text.matches("0|[1-9][0-9]{0,4}")) {
            int port = Integer.parseInt(text);
            if (port <= 0xFFFF) {
                return port;
            }
        }
        throw fail("'" + text + "' is not a port in '" + line + "'");
    }

    // ---- version 2

    private Parsed parseV2(ByteBuffer b) throws ProxyProtocolException {
        int n = b.limit();
        byte[] signature = ProxyHeader.V2_SIGNATURE;
        for (int i = 0; i < Math.min(n, signature.length); i++) {
            if (b.get(i) != signature[i]) {
                throw fail("not the version 2 signature (byte " + i + " is 0x" + Integer.toHexString(b.get(i) & 0xFF) + ")");
            }
        }
        if (n < 16) {
            return null;
        }
        int versionCommand = b.get(12) & 0xFF;
        if (versionCommand >> 4 != 2) {
            throw fail("version " + (versionCommand >> 4) + " in a version 2 header");
        }
        Command command = switch (versionCommand & 0x0F) {
            case 0 -> Command.LOCAL;
            case 1 -> Command.PROXY;
            default -> throw fail("unknown command " + (versionCommand & 0x0F));
        };
        int familyProtocol = b.get(13) & 0xFF;
        int length = b.getShort(14) & 0xFFFF;
        int total = 16 + length;
        if (total > limit) {
            throw fail("a header of " + total + " bytes; at most " + limit + " are accepted");
        }
        if (n < total) {
            return null;
        }
        Family family = switch (familyProtocol >> 4) {
            case 0 -> Family.UNSPEC;
            case 1 -> Family.TCP4;
            case 2 -> Family.TCP6;
            case 3 -> Family.UNIX;
            default -> throw fail("unknown address family " + (familyProtocol >> 4));
        };
        int protocol = familyProtocol & 0x0F;
        if (protocol > 2) {
            throw fail("unknown transport protocol " + protocol);
        }
        if (command == Command.PROXY && protocol == 2) {
            throw fail("a datagram (DGRAM) header on a stream connection");
        }
        if (command == Command.PROXY && family != Family.UNSPEC && protocol == 0) {
            throw fail("an address family with no transport protocol");
        }
        int addressLength = switch (family) {
            case TCP4 -> 12;
            case TCP6 -> 36;
            case UNIX -> 216;
            case UNSPEC -> 0;
        };
        InetSocketAddress source = null;
        InetSocketAddress destination = null;
        int at = 16;
        if (command == Command.LOCAL) {
            family = Family.UNSPEC;   // the addresses of a LOCAL header are to be ignored, and its TLVs too
            return new Parsed(new ProxyHeader(2, command, family, null, null, List.of()), total);
        }
        if (length < addressLength) {
            throw fail("a " + family + " header needs " + addressLength + " bytes of addresses; it has " + length);
        }
        if (family == Family.TCP4 || family == Family.TCP6) {
            int size = family == Family.TCP4 ? 4 : 16;
            try {
                InetAddress src = InetAddress.getByAddress(bytes(b, at, size));
                InetAddress dst = InetAddress.getByAddress(bytes(b, at + size, size));
                source = new InetSocketAddress(src, b.getShort(at + 2 * size) & 0xFFFF);
                destination = new InetSocketAddress(dst, b.getShort(at + 2 * size + 2) & 0xFFFF);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        at += addressLength;
        List<Tlv> tlvs = tlvs(b, at, total, "");
        for (Tlv t : tlvs) {
            switch (t.type()) {
                case ProxyHeader.TLV_CRC32C -> checkCrc(b, total, t);
                case ProxyHeader.TLV_UNIQUE_ID -> {
                    if (t.value().length > 128) {
                        throw fail("a unique id of " + t.value().length + " bytes; at most 128 are allowed");
                    }
                }
                case ProxyHeader.TLV_SSL -> {
                    if (t.value().length < 5) {
                        throw fail("an SSL TLV of " + t.value().length + " bytes; it needs at least 5");
                    }
                    tlvs(ByteBuffer.wrap(t.value()), 5, t.value().length, "SSL ");
                }
                default -> { }
            }
        }
        return new Parsed(new ProxyHeader(2, command, family, source, destination, tlvs), total);
    }

    private List<Tlv> tlvs(ByteBuffer b, int from, int end, String what) throws ProxyProtocolException {
        List<Tlv> tlvs = new ArrayList<>();
        int at = from;
        while (at < end) {
            if (end - at < 3) {
                throw fail("a " + what + "TLV cut short: " + (end - at) + " bytes left where its type and length take 3");
            }
            int type = b.get(at) & 0xFF;
            int len = b.getShort(at + 1) & 0xFFFF;
            if (at + 3 + len > end) {
                throw fail("a " + what + "TLV of type 0x" + Integer.toHexString(type) + " says " + len + " bytes; "
                        + (end - at - 3) + " are left");
            }
            tlvs.add(new Tlv(type, bytes(b, at + 3, len)));
            at += 3 + len;
        }
        return tlvs;
    }

    private void checkCrc(ByteBuffer b, int total, Tlv crcTlv) throws ProxyProtocolException {
        byte[] expected = crcTlv.value();
        if (expected.length != 4) {
            throw fail("a CRC-32C TLV of " + expected.length + " bytes; it takes 4");
        }
        byte[] header = bytes(b, 0, total);
        // The checksum is computed with its own four bytes zeroed: find them after the addresses.
        int at = 16 + switch (header[13] >> 4 & 0x0F) {
            case 1 -> 12;
            case 2 -> 36;
            case 3 -> 216;
            default -> 0;
        };
        while (at < total) {
            int type = header[at] & 0xFF;
            int len = (header[at + 1] & 0xFF) << 8 | header[at + 2] & 0xFF;
            if (type == ProxyHeader.TLV_CRC32C) {
                java.util.Arrays.fill(header, at + 3, at + 7, (byte) 0);
                break;
            }
            at += 3 + len;
        }
        CRC32C crc = new CRC32C();
        crc.update(header);
        int actual = (int) crc.getValue();
        if (actual != ByteBuffer.wrap(expected).getInt()) {
            throw fail("its CRC-32C does not match: the header was changed on the way");
        }
    }

    static Ssl ssl(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        int client = b.get(0) & 0xFF;
        long verify = b.getInt(1) & 0xFFFFFFFFL;
        String version = null;
        String cn = null;
        String cipher = null;
        String sigAlg = null;
        String keyAlg = null;
        int at = 5;
        while (at + 3 <= value.length) {
            int type = b.get(at) & 0xFF;
            int len = b.getShort(at + 1) & 0xFFFF;
            String text = new String(value, at + 3, Math.min(len, value.length - at - 3), StandardCharsets.UTF_8);
            switch (type) {
                case ProxyHeader.SSL_VERSION -> version = text;
                case ProxyHeader.SSL_CN -> cn = text;
                case ProxyHeader.SSL_CIPHER -> cipher = text;
                case ProxyHeader.SSL_SIG_ALG -> sigAlg = text;
                case ProxyHeader.SSL_KEY_ALG -> keyAlg = text;
                default -> { }
            }
            at += 3 + len;
        }
        return new Ssl(client, verify, Optional.ofNullable(version), Optional.ofNullable(cn), Optional.ofNullable(cipher),
                Optional.ofNullable(sigAlg), Optional.ofNullable(keyAlg));
    }

    private static byte[] bytes(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.get(from, out);
        return out;
    }

    private static String printable(ByteBuffer b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b.get(i) & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }
}
