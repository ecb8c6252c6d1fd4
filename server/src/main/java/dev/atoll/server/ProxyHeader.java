package dev.atoll.server;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A PROXY protocol header (HAProxy's specification, versions 1 and 2): who the client really is
 * when a proxy relays its connection. A server reads it
 * ({@link ConnectionContext#proxyHeader()}); a client behind which a server expects one writes it
 * with {@link #toV1()} or {@link #toV2(boolean)} before anything else.
 *
 * <pre>{@code
 * ProxyHeader header = ProxyHeader.proxy(client, server).withTlv(ProxyHeader.TLV_AUTHORITY, "example.org");
 * connection.send(header.toV2(true));
 * }</pre>
 */
public final class ProxyHeader {

    /** TLV type: the application protocol the client negotiated with the proxy (ALPN). */
    public static final int TLV_ALPN = 0x01;
    /** TLV type: the host name the client asked for (SNI or Host). */
    public static final int TLV_AUTHORITY = 0x02;
    /** TLV type: a CRC-32C of the whole header. */
    public static final int TLV_CRC32C = 0x03;
    /** TLV type: padding to ignore. */
    public static final int TLV_NOOP = 0x04;
    /** TLV type: an opaque id of the connection, at most 128 bytes. */
    public static final int TLV_UNIQUE_ID = 0x05;
    /** TLV type: what the client's TLS connection to the proxy was. */
    public static final int TLV_SSL = 0x20;
    /** TLV type: the network namespace. */
    public static final int TLV_NETNS = 0x30;

    /** Sub-TLV types of {@link #TLV_SSL}. */
    static final int SSL_VERSION = 0x21;
    static final int SSL_CN = 0x22;
    static final int SSL_CIPHER = 0x23;
    static final int SSL_SIG_ALG = 0x24;
    static final int SSL_KEY_ALG = 0x25;

    /** The 12 bytes that begin a version 2 header. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** What the proxy says about the connection. */
    public enum Command {
        /** The proxy's own connection (a health check): the socket's peer is the client. */
        LOCAL,
        /** A relayed connection: the source address is the client. */
        PROXY
    }

    /** The address family of a header. */
    public enum Family {
        /** Unknown or unsaid ({@code UNKNOWN} in version 1): no addresses. */
        UNSPEC,
        /** TCP over IPv4. */
        TCP4,
        /** TCP over IPv6. */
        TCP6,
        /** A Unix socket (version 2 only); its paths are not addresses this API reports. */
        UNIX
    }

    /**
     * One type-length-value of a version 2 header.
     *
     * @param type  its type, such as {@link #TLV_AUTHORITY}
     * @param value its bytes
     */
    public record Tlv(int type, byte[] value) {
        /**
         * Checks the parts.
         *
         * @param type  0 to 255
         * @param value at most 65535 bytes; copied
         */
        public Tlv {
            if (type < 0 || type > 255) {
                throw new IllegalArgumentException("a TLV type is one byte, not " + type);
            }
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("a TLV value holds at most 65535 bytes, not " + value.length);
            }
            value = value.clone();
        }

        /** {@return a copy of the value} */
        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv t && t.type == type && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "TLV 0x" + Integer.toHexString(type) + " (" + value.length + " bytes)";
        }
    }

    /**
     * What {@link #TLV_SSL} says of the client's TLS connection to the proxy.
     *
     * @param client   the flags: 0x01 the client spoke TLS, 0x02 it sent a certificate on this
     *                 connection, 0x04 on this session
     * @param verify   0 when the client's certificate was verified
     * @param version  the TLS version, such as {@code TLSv1.3}
     * @param commonName the client certificate's common name
     * @param cipher   the cipher suite
     * @param signatureAlgorithm the certificate's signature algorithm
     * @param keyAlgorithm the certificate's key algorithm
     */
    public record Ssl(int client, long verify, Optional<String> version, Optional<String> commonName,
                      Optional<String> cipher, Optional<String> signatureAlgorithm, Optional<String> keyAlgorithm) {
    }

    private final int version;
    private final Command command;
    private final Family family;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final List<Tlv> tlvs;

    ProxyHeader(int version, Command command, Family family, InetSocketAddress source, InetSocketAddress destination,
                List<Tlv> tlvs) {
        this.version = version;
        this.command = command;
        this.family = family;
        this.source = source;
        this.destination = destination;
        this.tlvs = List.copyOf(tlvs);
    }

    /**
     * A header relaying a TCP connection.
     *
     * @param source      the client
     * @param destination the address the client connected to
     * @return the header, with no TLVs
     */
    public static ProxyHeader proxy(InetSocketAddress source, InetSocketAddress destination) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.isUnresolved() || destination.isUnresolved()) {
            throw new IllegalArgumentException("a PROXY header carries addresses, not names: " + source + ", " + destination);
        }
        boolean v4 = source.getAddress() instanceof Inet4Address;
        if (v4 != destination.getAddress() instanceof Inet4Address) {
            throw new IllegalArgumentException("source and destination must be of one family: " + source + ", " + destination);
        }
        return new ProxyHeader(2, Command.PROXY, v4 ? Family.TCP4 : Family.TCP6, source, destination, List.of());
    }

    /**
     * A header of the proxy's own connection (a health check).
     *
     * @return the header
     */
    public static ProxyHeader local() {
        return new ProxyHeader(2, Command.LOCAL, Family.UNSPEC, null, null, List.of());
    }

    /**
     * This header with one more TLV (written by {@link #toV2} only).
     *
     * @param type  the type
     * @param value the bytes
     * @return a new header
     */
    public ProxyHeader withTlv(int type, byte[] value) {
        if (type == TLV_CRC32C) {
            throw new IllegalArgumentException("the CRC-32C TLV is computed by toV2(true)");
        }
        List<Tlv> more = new ArrayList<>(tlvs);
        more.add(new Tlv(type, value));
        return new ProxyHeader(version, command, family, source, destination, more);
    }

    /**
     * This header with one more TLV holding text, such as {@link #TLV_AUTHORITY}.
     *
     * @param type  the type
     * @param value the text, in UTF-8
     * @return a new header
     */
    public ProxyHeader withTlv(int type, String value) {
        return withTlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@return 1 or 2: the version the header was read in (2 for one made here)} */
    public int version() {
        return version;
    }

    /** {@return LOCAL or PROXY (always PROXY in version 1)} */
    public Command command() {
        return command;
    }

    /** {@return the address family} */
    public Family family() {
        return family;
    }

    /** {@return the client's address, when the header relays a TCP connection} */
    public Optional<InetSocketAddress> source() {
        return Optional.ofNullable(source);
    }

    /** {@return the address the client connected to, when the header relays a TCP connection} */
    public Optional<InetSocketAddress> destination() {
        return Optional.ofNullable(destination);
    }

    /** {@return every TLV, in order (the CRC-32C one included when present)} */
    public List<Tlv> tlvs() {
        return tlvs;
    }

    /**
     * The value of the first TLV of a type.
     *
     * @param type a TLV type
     * @return the first TLV's value of that type
     */
    public Optional<byte[]> tlv(int type) {
        return tlvs.stream().filter(t -> t.type() == type).findFirst().map(Tlv::value);
    }

    /** {@return the ALPN protocol the client negotiated with the proxy} */
    public Optional<String> alpn() {
        return text(TLV_ALPN);
    }

    /** {@return the host name the client asked the proxy for} */
    public Optional<String> authority() {
        return text(TLV_AUTHORITY);
    }

    /** {@return the proxy's id of the connection} */
    public Optional<byte[]> uniqueId() {
        return tlv(TLV_UNIQUE_ID);
    }

    /** {@return the network namespace} */
    public Optional<String> netns() {
        return text(TLV_NETNS);
    }

    /** {@return what the proxy says of the client's TLS} */
    public Optional<Ssl> ssl() {
        return tlv(TLV_SSL).map(ProxyHeaderParser::ssl);
    }

    private Optional<String> text(int type) {
        return tlv(type).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * The version 1 header: {@code PROXY TCP4 ...\r\n}, {@code PROXY TCP6 ...\r\n} or
     * {@code PROXY UNKNOWN\r\n}. TLVs have no place in it.
     *
     * @return the bytes to send first
     */
    public ByteBuffer toV1() {
        String line = switch (family) {
            case TCP4, TCP6 -> "PROXY " + family + " " + literal(source) + " " + literal(destination) + " "
                    + source.getPort() + " " + destination.getPort();
            default -> "PROXY UNKNOWN";
        };
        return ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The version 2 header, with every TLV.
     *
     * @param crc32c whether to add a CRC-32C of the header, which the receiver checks
     * @return the bytes to send first
     */
    public ByteBuffer toV2(boolean crc32c) {
        int addressLength = switch (family) {
            case TCP4 -> 12;
            case TCP6 -> 36;
            default -> 0;
        };
        int tlvLength = crc32c ? 7 : 0;
        for (Tlv t : tlvs) {
            if (t.type() != TLV_CRC32C) {
                tlvLength += 3 + t.value.length;
            }
        }
        int length = addressLength + tlvLength;
        if (length > 0xFFFF) {
            throw new IllegalStateException("the header's TLVs take " + length + " bytes; at most 65535 fit");
        }
        ByteBuffer b = ByteBuffer.allocate(16 + length);
        b.put(V2_SIGNATURE);
        b.put((byte) (0x20 | (command == Command.PROXY ? 1 : 0)));
        b.put((byte) switch (family) {
            case TCP4 -> 0x11;
            case TCP6 -> 0x21;
            default -> 0x00;
        });
        b.putShort((short) length);
        if (addressLength > 0) {
            b.put(source.getAddress().getAddress());
            b.put(destination.getAddress().getAddress());
            b.putShort((short) source.getPort());
            b.putShort((short) destination.getPort());
        }
        for (Tlv t : tlvs) {
            if (t.type() != TLV_CRC32C) {
                b.put((byte) t.type()).putShort((short) t.value.length).put(t.value);
            }
        }
        if (crc32c) {
            b.put((byte) TLV_CRC32C).putShort((short) 4);
            int at = b.position();
            b.putInt(0);
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.capacity());
            b.putInt(at, (int) crc.getValue());
        }
        return b.flip();
    }

    private static String literal(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        return scope < 0 ? host : host.substring(0, scope);
    }

    @Override
    public String toString() {
        return "PROXY v" + version + " " + command + " " + family + (source == null ? "" : " " + source + " -> " + destination)
                + (tlvs.isEmpty() ? "" : " " + tlvs);
    }
}
