package dev.atoll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.server.ProxyHeader.Command;
import dev.atoll.server.ProxyHeader.Family;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The PROXY header, as HAProxy's specification writes it, read byte by byte and written back. */
class ProxyHeaderParserTest {

    private static final InetSocketAddress CLIENT4 = new InetSocketAddress("192.0.2.10", 51_000);
    private static final InetSocketAddress SERVER4 = new InetSocketAddress("198.51.100.1", 443);
    private static final InetSocketAddress CLIENT6 = new InetSocketAddress("2001:db8::10", 51_000);
    private static final InetSocketAddress SERVER6 = new InetSocketAddress("2001:db8::1", 443);

    private static ProxyHeaderParser parser(ProxyProtocol accepted) {
        return new ProxyHeaderParser(accepted, 4096, "/203.0.113.5:4000");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** Every strict prefix asks for more; the whole header, with bytes after it, parses to its length. */
    private static ProxyHeader parseSplitAtEveryByte(ProxyProtocol accepted, byte[] header) throws Exception {
        ProxyHeaderParser p = parser(accepted);
        for (int k = 0; k < header.length; k++) {
            assertNull(p.parse(ByteBuffer.wrap(Arrays.copyOf(header, k))), "a header cut after " + k + " bytes is incomplete");
        }
        byte[] withMore = Arrays.copyOf(header, header.length + 5);
        System.arraycopy(ascii("hello"), 0, withMore, header.length, 5);
        ProxyHeaderParser.Parsed parsed = p.parse(ByteBuffer.wrap(withMore));
        assertEquals(header.length, parsed.length(), "the header ends where it ends; what follows is the application's");
        return parsed.header();
    }

    @Test
    void versionOneForIpv4Ipv6AndUnknown() throws Exception {
        ProxyHeader v4 = parseSplitAtEveryByte(ProxyProtocol.ANY, ascii("PROXY TCP4 192.0.2.10 198.51.100.1 51000 443\r\n"));
        assertEquals(1, v4.version());
        assertEquals(Command.PROXY, v4.command());
        assertEquals(Family.TCP4, v4.family());
        assertEquals(Optional.of(CLIENT4), v4.source());
        assertEquals(Optional.of(SERVER4), v4.destination());
        ProxyHeader v6 = parseSplitAtEveryByte(ProxyProtocol.V1, ascii("PROXY TCP6 2001:db8::10 2001:db8::1 51000 443\r\n"));
        assertEquals(Family.TCP6, v6.family());
        assertEquals(Optional.of(CLIENT6), v6.source());
        ProxyHeader unknown = parseSplitAtEveryByte(ProxyProtocol.ANY, ascii("PROXY UNKNOWN ffff:f...f:ffff 1 2 3\r\n"));
        assertEquals(Family.UNSPEC, unknown.family());
        assertEquals(Optional.empty(), unknown.source());
    }

    @Test
    void versionOneIsWrittenAsTheSpecificationShowsIt() {
        assertEquals("PROXY TCP4 192.0.2.10 198.51.100.1 51000 443\r\n",
                StandardCharsets.US_ASCII.decode(ProxyHeader.proxy(CLIENT4, SERVER4).toV1()).toString());
        assertEquals("PROXY TCP6 2001:db8:0:0:0:0:0:10 2001:db8:0:0:0:0:0:1 51000 443\r\n",
                StandardCharsets.US_ASCII.decode(ProxyHeader.proxy(CLIENT6, SERVER6).toV1()).toString());
        assertEquals("PROXY UNKNOWN\r\n", StandardCharsets.US_ASCII.decode(ProxyHeader.local().toV1()).toString());
    }

    @Test
    void versionTwoWithEveryKindOfTlvAndAChecksum() throws Exception {
        ByteArrayOutputStream ssl = new ByteArrayOutputStream();
        ssl.write(0x07);                       // client: SSL, certificate on the connection and the session
        ssl.writeBytes(new byte[] {0, 0, 0, 0});   // verified
        ssl.writeBytes(subTlv(ProxyHeader.SSL_VERSION, "TLSv1.3"));
        ssl.writeBytes(subTlv(ProxyHeader.SSL_CN, "client.example"));
        ssl.writeBytes(subTlv(ProxyHeader.SSL_CIPHER, "TLS_AES_128_GCM_SHA256"));
        ProxyHeader written = ProxyHeader.proxy(CLIENT6, SERVER6).withTlv(ProxyHeader.TLV_ALPN, "h2")
                .withTlv(ProxyHeader.TLV_AUTHORITY, "example.org").withTlv(ProxyHeader.TLV_UNIQUE_ID, new byte[] {1, 2, 3})
                .withTlv(ProxyHeader.TLV_NOOP, new byte[7]).withTlv(ProxyHeader.TLV_SSL, ssl.toByteArray());
        byte[] header = bytes(written.toV2(true));
        assertEquals(header.length - 16, (header[14] & 0xFF) << 8 | header[15] & 0xFF, "the length counts what follows the first 16 bytes");
        ProxyHeader read = parseSplitAtEveryByte(ProxyProtocol.ANY, header);
        assertEquals(2, read.version());
        assertEquals(Optional.of(CLIENT6), read.source());
        assertEquals(Optional.of(SERVER6), read.destination());
        assertEquals(Optional.of("h2"), read.alpn());
        assertEquals(Optional.of("example.org"), read.authority());
        assertArrayEquals(new byte[] {1, 2, 3}, read.uniqueId().orElseThrow());
        ProxyHeader.Ssl s = read.ssl().orElseThrow();
        assertEquals(7, s.client());
        assertEquals(0, s.verify());
        assertEquals(Optional.of("TLSv1.3"), s.version());
        assertEquals(Optional.of("client.example"), s.commonName());
        assertEquals(Optional.of("TLS_AES_128_GCM_SHA256"), s.cipher());
        assertTrue(read.tlv(ProxyHeader.TLV_CRC32C).isPresent());

        ProxyHeader v4 = parseSplitAtEveryByte(ProxyProtocol.V2, bytes(ProxyHeader.proxy(CLIENT4, SERVER4).toV2(false)));
        assertEquals(Optional.of(CLIENT4), v4.source());
        ProxyHeader local = parseSplitAtEveryByte(ProxyProtocol.ANY, bytes(ProxyHeader.local().toV2(false)));
        assertEquals(Command.LOCAL, local.command());
        assertEquals(Optional.empty(), local.source());
    }

    private static byte[] subTlv(int type, String value) {
        byte[] v = ascii(value);
        return ByteBuffer.allocate(3 + v.length).put((byte) type).putShort((short) v.length).put(v).array();
    }

    @Test
    void aChangedByteFailsTheChecksum() {
        byte[] header = bytes(ProxyHeader.proxy(CLIENT4, SERVER4).withTlv(ProxyHeader.TLV_AUTHORITY, "a").toV2(true));
        header[17] ^= 1;   // the source address
        ProxyProtocolException e = assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.ANY).parse(ByteBuffer.wrap(header)));
        assertTrue(e.getMessage().contains("CRC-32C"), e.getMessage());
        assertTrue(e.getMessage().contains("203.0.113.5"), "the message names the peer: " + e.getMessage());
    }

    @Test
    void malformedHeadersAreRefusedAsSoonAsTheirBytesShowIt() {
        List<String> v1 = List.of(
                "GET / HTTP/1.1\r\n",                                      // no header at all
                "PROXY TCP4 192.0.2.10 198.51.100.1 51000\r\n",             // a field short
                "PROXY TCP4 192.0.2 198.51.100.1 51000 443\r\n",            // not an address
                "PROXY TCP4 192.0.2.10 198.51.100.1 051000 443\r\n",        // a leading zero
                "PROXY TCP4 192.0.2.10 198.51.100.1 70000 443\r\n",         // not a port
                "PROXY TCP4 2001:db8::10 198.51.100.1 51000 443\r\n",       // IPv6 in TCP4
                "PROXY TCP5 192.0.2.10 198.51.100.1 51000 443\r\n",         // no such protocol
                "PROXY TCP4 example.org 198.51.100.1 51000 443\r\n",        // a name, never looked up
                "PROXY TCP4  192.0.2.10 198.51.100.1 51000 443\r\n",        // two spaces
                "PROXY TCP4 192.0.2.10 198.51.100.1 51000 443\n",           // LF without CR
                "PROXY " + "1".repeat(120) + "\r\n");                       // longer than 107 bytes
        for (String bad : v1) {
            assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.ANY).parse(ByteBuffer.wrap(ascii(bad))),
                    bad.strip());
        }
        assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.ANY).parse(ByteBuffer.wrap(ascii("GE"))),
                "two bytes that begin no header are enough to refuse");
        byte[] good = bytes(ProxyHeader.proxy(CLIENT4, SERVER4).withTlv(ProxyHeader.TLV_AUTHORITY, "abc").toV2(false));
        assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.V1).parse(ByteBuffer.wrap(good)),
                "version 2 where only version 1 is accepted");
        assertThrows(ProxyProtocolException.class,
                () -> parser(ProxyProtocol.V2).parse(ByteBuffer.wrap(ascii("PROXY UNKNOWN\r\n"))), "and the other way");
        for (int[] change : new int[][] {{3, 0x0B}, {12, 0x31}, {12, 0x22}, {13, 0x12}, {13, 0x41}, {13, 0x13}}) {
            byte[] bad = good.clone();
            bad[change[0]] = (byte) change[1];   // signature, version, command, DGRAM, family, protocol
            assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.ANY).parse(ByteBuffer.wrap(bad)),
                    "byte " + change[0] + " = 0x" + Integer.toHexString(change[1]));
        }
        byte[] overflowingTlv = good.clone();
        overflowingTlv[16 + 12 + 2] = 9;   // the TLV says 9 bytes; 3 are there
        assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.ANY).parse(ByteBuffer.wrap(overflowingTlv)));
        byte[] longId = bytes(ProxyHeader.proxy(CLIENT4, SERVER4).withTlv(ProxyHeader.TLV_UNIQUE_ID, new byte[129]).toV2(false));
        assertThrows(ProxyProtocolException.class, () -> parser(ProxyProtocol.ANY).parse(ByteBuffer.wrap(longId)));
        ProxyHeaderParser small = new ProxyHeaderParser(ProxyProtocol.ANY, 200, "peer");
        byte[] big = bytes(ProxyHeader.proxy(CLIENT4, SERVER4).withTlv(ProxyHeader.TLV_NOOP, new byte[500]).toV2(false));
        ProxyProtocolException tooBig = assertThrows(ProxyProtocolException.class,
                () -> small.parse(ByteBuffer.wrap(Arrays.copyOf(big, 16))), "refused from its length field, before its bytes come");
        assertTrue(tooBig.getMessage().contains("at most 200"), tooBig.getMessage());
    }
}
