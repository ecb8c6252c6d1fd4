package dev.atoll.transport.spi;

import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a TLS ClientHello from the first bytes a client sends, for the paused handshake of
 * {@link dev.atoll.transport.Transport#clientHello}. Shared by every secure transport. It
 * reassembles a ClientHello split over several records and reads, refuses anything that is not
 * one with a {@link TlsException} that says what arrived (a plain HTTP request, an SSL 2.0
 * hello, garbage), and bounds what it accepts to {@link #MAX_LENGTH} bytes.
 */
public final class ClientHelloReader {

    /** The largest ClientHello message accepted, in bytes. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final int RECORD_HEADER = 5;
    private static final int MAX_RECORD = 16 * 1024;
    private static final List<String> HTTP_METHODS = List.of("GET ", "POST", "HEAD", "PUT ", "DELE", "OPTI", "CONN",
            "PATC", "TRAC", "PRI ");

    private static final Map<Integer, String> VERSIONS = Map.of(0x0304, "TLSv1.3", 0x0303, "TLSv1.2", 0x0302, "TLSv1.1",
            0x0301, "TLSv1", 0x0300, "SSLv3");

    private static final Map<Integer, String> SUITES = Map.ofEntries(
            Map.entry(0x1301, "TLS_AES_128_GCM_SHA256"),
            Map.entry(0x1302, "TLS_AES_256_GCM_SHA384"),
            Map.entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
            Map.entry(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));

    private ClientHelloReader() {
    }

    /**
     * Reads the ClientHello from the bytes received so far, without consuming them.
     *
     * @param received the bytes from the client, from its first one (position to limit)
     * @param peer     the client, for messages
     * @return the ClientHello, or empty when more bytes are needed
     * @throws TlsException when the bytes are not a ClientHello or it is too large
     */
    public static Optional<ClientHello> read(ByteBuffer received, String peer) throws TlsException {
        ByteBuffer in = received.duplicate();
        String from = "clientHello from " + peer + ": ";
        if (in.hasRemaining() && in.get(in.position()) != 22) {
            throw new TlsException(from + describeNonTls(in), null);
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (in.remaining() >= RECORD_HEADER) {
            int start = in.position();
            int type = in.get(start) & 0xFF;
            int major = in.get(start + 1) & 0xFF;
            int length = in.getShort(start + 3) & 0xFFFF;
            if (type != 22) {
                throw new TlsException(from + "a record of type " + type + " inside the ClientHello", null);
            }
            if (major != 3 || length == 0 || length > MAX_RECORD) {
                throw new TlsException(from + "a malformed TLS record header (version " + major + "." + in.get(start + 2)
                        + ", length " + length + ")", null);
            }
            if (in.remaining() < RECORD_HEADER + length) {
                break;
            }
            byte[] fragment = new byte[length];
            in.position(start + RECORD_HEADER).get(fragment);
            message.writeBytes(fragment);
            byte[] m = message.toByteArray();
            if (m.length >= 4) {
                if (m[0] != 1) {
                    throw new TlsException(from + "a handshake message of type " + m[0] + ", not a ClientHello", null);
                }
                int messageLength = ((m[1] & 0xFF) << 16) | ((m[2] & 0xFF) << 8) | (m[3] & 0xFF);
                if (messageLength > MAX_LENGTH) {
                    throw new TlsException(from + "a ClientHello of " + messageLength + " bytes, more than the "
                            + MAX_LENGTH + " accepted", null);
                }
                if (m.length >= 4 + messageLength) {
                    return Optional.of(parse(ByteBuffer.wrap(m, 4, messageLength).slice(), from));
                }
            }
        }
        return Optional.empty();
    }

    private static String describeNonTls(ByteBuffer in) {
        int first = in.get(in.position()) & 0xFF;
        if (in.remaining() >= 4) {
            byte[] start = new byte[4];
            in.duplicate().get(start);
            String text = new String(start, StandardCharsets.ISO_8859_1);
            if (HTTP_METHODS.contains(text)) {
                return "a plain HTTP request (\"" + text.strip() + " ...\"), not TLS; is the client using http:// ?";
            }
        }
        if ((first & 0x80) != 0) {
            return "an SSL 2.0 ClientHello, which is not supported";
        }
        return String.format("bytes that are not TLS (the first is 0x%02x, a handshake record starts with 0x16)", first);
    }

    private static ClientHello parse(ByteBuffer body, String from) throws TlsException {
        try {
            int legacyVersion = body.getShort() & 0xFFFF;
            body.position(body.position() + 32);
            skip(body, body.get() & 0xFF);
            int suitesLength = body.getShort() & 0xFFFF;
            List<String> suites = new ArrayList<>();
            for (int end = body.position() + suitesLength; body.position() < end; ) {
                int code = body.getShort() & 0xFFFF;
                suites.add(SUITES.getOrDefault(code, hex(code)));
            }
            skip(body, body.get() & 0xFF);
            String serverName = null;
            List<String> alpn = new ArrayList<>();
            List<String> versions = new ArrayList<>();
            if (body.hasRemaining()) {
                int extensionsEnd = (body.getShort() & 0xFFFF) + body.position();
                while (body.position() < extensionsEnd) {
                    int type = body.getShort() & 0xFFFF;
                    int length = body.getShort() & 0xFFFF;
                    ByteBuffer data = body.slice(body.position(), length);
                    skip(body, length);
                    switch (type) {
                        case 0 -> serverName = serverName(data);
                        case 16 -> alpn.addAll(alpn(data));
                        case 43 -> versions.addAll(versions(data));
                        default -> { }
                    }
                }
            }
            if (versions.isEmpty()) {
                versions.add(VERSIONS.getOrDefault(legacyVersion, hex(legacyVersion)));
            }
            return new ClientHello(Optional.ofNullable(serverName), alpn, versions, suites, body.limit());
        } catch (RuntimeException e) {
            throw new TlsException(from + "a malformed ClientHello (" + e + ")", e);
        }
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }

    private static String serverName(ByteBuffer data) {
        int end = (data.getShort() & 0xFFFF) + data.position();
        while (data.position() < end) {
            int type = data.get() & 0xFF;
            byte[] name = new byte[data.getShort() & 0xFFFF];
            data.get(name);
            if (type == 0) {
                return new String(name, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static List<String> alpn(ByteBuffer data) {
        List<String> protocols = new ArrayList<>();
        int end = (data.getShort() & 0xFFFF) + data.position();
        while (data.position() < end) {
            byte[] name = new byte[data.get() & 0xFF];
            data.get(name);
            protocols.add(new String(name, StandardCharsets.US_ASCII));
        }
        return protocols;
    }

    private static List<String> versions(ByteBuffer data) {
        List<String> versions = new ArrayList<>();
        int length = data.get() & 0xFF;
        for (int i = 0; i < length / 2; i++) {
            int v = data.getShort() & 0xFFFF;
            versions.add(VERSIONS.getOrDefault(v, hex(v)));
        }
        return versions;
    }

    private static String hex(int code) {
        return String.format("0x%04x", code);
    }
}
