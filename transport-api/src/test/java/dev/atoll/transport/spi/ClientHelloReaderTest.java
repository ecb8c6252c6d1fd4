package dev.atoll.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class ClientHelloReaderTest {

    /** A real ClientHello, from the JDK's own client engine. */
    private static byte[] jdkClientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("example.org", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("example.org")));
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] bytes = new byte[out.flip().remaining()];
        out.get(bytes);
        return bytes;
    }

    @Test
    void readsSniAlpnVersionsAndSuites() throws Exception {
        ClientHello hello = ClientHelloReader.read(ByteBuffer.wrap(jdkClientHello()), "peer").orElseThrow();
        assertEquals(Optional.of("example.org"), hello.serverName());
        assertEquals(List.of("h2", "http/1.1"), hello.alpnProtocols());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), hello.versions());
        assertTrue(hello.cipherSuites().contains("TLS_AES_128_GCM_SHA256"), hello.cipherSuites().toString());
    }

    @Test
    void waitsForMoreBytesAtEveryCut() throws Exception {
        byte[] hello = jdkClientHello();
        for (int cut = 0; cut < hello.length; cut++) {
            assertEquals(Optional.empty(), ClientHelloReader.read(ByteBuffer.wrap(hello, 0, cut), "peer"), "cut at " + cut);
        }
    }

    @Test
    void reassemblesAClientHelloSplitOverRecords() throws Exception {
        byte[] hello = jdkClientHello();
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int at = 5; at < hello.length; at += 50) {
            int n = Math.min(50, hello.length - at);
            records.writeBytes(new byte[] {0x16, 0x03, 0x01, 0, (byte) n});
            records.write(hello, at, n);
        }
        ClientHello read = ClientHelloReader.read(ByteBuffer.wrap(records.toByteArray()), "peer").orElseThrow();
        assertEquals(Optional.of("example.org"), read.serverName());
    }

    @Test
    void refusesPlainHttpGarbageSsl2AndOversizedHellos() {
        TlsException http = assertThrows(TlsException.class, () -> ClientHelloReader.read(
                ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)), "peer"));
        assertTrue(http.getMessage().contains("plain HTTP request"), http.getMessage());
        TlsException garbage = assertThrows(TlsException.class, () -> ClientHelloReader.read(ByteBuffer.wrap(new byte[] {0x42}), "peer"));
        assertTrue(garbage.getMessage().contains("not TLS"), garbage.getMessage());
        TlsException ssl2 = assertThrows(TlsException.class,
                () -> ClientHelloReader.read(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0x2e, 0x01}), "peer"));
        assertTrue(ssl2.getMessage().contains("SSL 2.0"), ssl2.getMessage());
        byte[] huge = {0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x10, 0x00, 0x00};
        TlsException big = assertThrows(TlsException.class, () -> ClientHelloReader.read(ByteBuffer.wrap(huge), "peer"));
        assertTrue(big.getMessage().contains("more than"), big.getMessage());
        byte[] notHello = {0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00};
        assertThrows(TlsException.class, () -> ClientHelloReader.read(ByteBuffer.wrap(notHello), "peer"));
    }

    @Test
    void aMalformedBodyIsAClearError() {
        byte[] truncatedBody = {0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x03};
        TlsException e = assertThrows(TlsException.class, () -> ClientHelloReader.read(ByteBuffer.wrap(truncatedBody), "peer"));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }
}
