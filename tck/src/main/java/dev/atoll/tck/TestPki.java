package dev.atoll.tck;

import dev.atoll.transport.tls.TlsIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates made fresh for each TCK run, so none ever expires by date: a test CA, server
 * certificates for {@code localhost}, {@code 127.0.0.1} and {@code ::1} and for named hosts,
 * a client certificate, and the bad ones (expired, self-signed, from an untrusted CA). Keys are
 * EC P-256, and the server and client certificates also come with RSA 2048 keys
 * ({@link #KEY_ALGORITHMS}), since a TLS library chooses its key by the key's type and may
 * handle one type and not the other; certificates are X.509 v3 written in DER here, signed by
 * the CA with SHA256withECDSA.
 */
public final class TestPki {

    /** The names the default server certificate holds. */
    public static final List<String> SERVER_NAMES = List.of("localhost", "127.0.0.1", "::1");

    /**
     * The key algorithms of the server and client certificates, as the JCA names them: every
     * TLS check that presents a certificate holds for each.
     */
    public static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA");

    private final Issued ca;
    private final Issued server;
    private final Issued client;
    private final Issued rsaServer;
    private final Issued rsaClient;
    private final Issued expiredServer;
    private final Issued selfSignedServer;
    private final Issued untrustedClient;

    /**
     * A certificate with its key.
     *
     * @param key         the private key
     * @param certificate the certificate
     * @param chain       the certificate and those of its issuers, up to the root
     */
    public record Issued(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {

        /**
         * The key and chain as a {@link TlsIdentity}.
         *
         * @return the identity
         */
        public TlsIdentity identity() {
            return TlsIdentity.of(key, chain);
        }

        /**
         * The key and chain in a PKCS#12 key store.
         *
         * @param alias    the entry's alias
         * @param password the password
         * @return the key store
         */
        public KeyStore keyStore(String alias, char[] password) {
            return identity().toKeyStore(alias, password);
        }
    }

    /** The password of every key store this class makes. */
    public static final char[] PASSWORD = "atoll-tck".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Holder {
        static final TestPki INSTANCE = new TestPki();
    }

    /**
     * The PKI of this JVM, made on first use.
     *
     * @return the PKI
     */
    public static TestPki get() {
        return Holder.INSTANCE;
    }

    private TestPki() {
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant until = now.plus(Duration.ofDays(30));
        ca = issue("Atoll TCK CA", null, List.of(), true, from, until);
        server = issue("localhost", ca, SERVER_NAMES, false, from, until);
        client = issue("atoll-tck-client", ca, List.of(), false, from, until);
        rsaServer = issue("localhost", ca, SERVER_NAMES, false, from, until, "RSA");
        rsaClient = issue("atoll-tck-client", ca, List.of(), false, from, until, "RSA");
        expiredServer = issue("localhost", ca, SERVER_NAMES, false, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        selfSignedServer = issue("localhost", null, SERVER_NAMES, false, from, until);
        Issued otherCa = issue("Untrusted CA", null, List.of(), true, from, until);
        untrustedClient = issue("untrusted-client", otherCa, List.of(), false, from, until);
    }

    /**
     * The CA every good certificate chains to.
     *
     * @return the CA every good certificate chains to
     */
    public Issued ca() {
        return ca;
    }

    /**
     * The server certificate for localhost, 127.0.0.1 and ::1.
     *
     * @return the server certificate for localhost, 127.0.0.1 and ::1
     */
    public Issued server() {
        return server;
    }

    /**
     * A client certificate from the CA.
     *
     * @return a client certificate from the CA
     */
    public Issued client() {
        return client;
    }

    /**
     * A server certificate from the CA whose validity ended yesterday.
     *
     * @return a server certificate from the CA whose validity ended yesterday
     */
    public Issued expiredServer() {
        return expiredServer;
    }

    /**
     * A server certificate that signs itself.
     *
     * @return a server certificate that signs itself
     */
    public Issued selfSignedServer() {
        return selfSignedServer;
    }

    /**
     * A client certificate from a CA nobody trusts.
     *
     * @return a client certificate from a CA nobody trusts
     */
    public Issued untrustedClient() {
        return untrustedClient;
    }

    /**
     * A server certificate from the CA for one host name.
     *
     * @param host the name
     * @return the certificate
     */
    public Issued serverFor(String host) {
        return serverFor(host, "EC");
    }

    /**
     * The server certificate for localhost, 127.0.0.1 and ::1 with a key of one algorithm.
     *
     * @param keyAlgorithm one of {@link #KEY_ALGORITHMS}
     * @return the certificate
     */
    public Issued server(String keyAlgorithm) {
        return byKey(keyAlgorithm, server, rsaServer);
    }

    /**
     * A client certificate from the CA with a key of one algorithm.
     *
     * @param keyAlgorithm one of {@link #KEY_ALGORITHMS}
     * @return the certificate
     */
    public Issued client(String keyAlgorithm) {
        return byKey(keyAlgorithm, client, rsaClient);
    }

    /**
     * A server certificate from the CA for one host name, with a key of one algorithm.
     *
     * @param host         the name
     * @param keyAlgorithm one of {@link #KEY_ALGORITHMS}
     * @return the certificate
     */
    public Issued serverFor(String host, String keyAlgorithm) {
        requireKnown(keyAlgorithm);
        Instant now = Instant.now();
        return issue(host, ca, List.of(host), false, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), keyAlgorithm);
    }

    /**
     * The server certificate for localhost, 127.0.0.1 and ::1 with an RSA key, for checks in
     * which the server's key must not depend on an elliptic curve.
     *
     * @return the certificate
     */
    public Issued rsaServer() {
        return rsaServer;
    }

    private static Issued byKey(String keyAlgorithm, Issued ec, Issued rsa) {
        requireKnown(keyAlgorithm);
        return keyAlgorithm.equals("RSA") ? rsa : ec;
    }

    private static void requireKnown(String keyAlgorithm) {
        if (!KEY_ALGORITHMS.contains(keyAlgorithm)) {
            throw new IllegalArgumentException("no test certificates with " + keyAlgorithm + " keys; there are "
                    + KEY_ALGORITHMS);
        }
    }

    /**
     * Writes a certificate chain as PEM, for outside tools.
     *
     * @param certificates the chain
     * @param file         where to
     * @return the file
     */
    public static Path writeCertificates(List<X509Certificate> certificates, Path file) {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            }
            return Files.writeString(file, pem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a private key as unencrypted PKCS#8 PEM, for outside tools.
     *
     * @param key  the key
     * @param file where to
     * @return the file
     */
    public static Path writeKey(PrivateKey key, Path file) {
        try {
            return Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    // --- X.509 in DER

    private static Issued issue(String commonName, Issued issuer, List<String> names, boolean isCa, Instant from, Instant until) {
        return issue(commonName, issuer, names, isCa, from, until, "EC");
    }

    private static Issued issue(String commonName, Issued issuer, List<String> names, boolean isCa, Instant from, Instant until,
                                String keyAlgorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            generator.initialize(keyAlgorithm.equals("RSA") ? 2048 : 256, RANDOM);
            KeyPair keys = generator.generateKeyPair();
            byte[] subject = name(commonName);
            byte[] issuerName = issuer == null ? subject : issuer.certificate.getSubjectX500Principal().getEncoded();
            byte[] algorithm = seq(oid("1.2.840.10045.4.3.2"));
            List<byte[]> extensions = new ArrayList<>();
            extensions.add(extension("2.5.29.19", true, isCa ? seq(bool(true)) : seq()));
            extensions.add(extension("2.5.29.15", true, isCa ? bitString(new byte[] {0x06}, 1) : bitString(new byte[] {(byte) 0x80}, 7)));
            if (!isCa) {
                extensions.add(extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))));
            }
            if (!names.isEmpty()) {
                ByteArrayOutputStream general = new ByteArrayOutputStream();
                for (String n : names) {
                    boolean ip = n.equals("::1") || n.matches("[0-9.]+");
                    general.writeBytes(ip ? tlv(0x87, InetAddress.getByName(n).getAddress())
                            : tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
                }
                extensions.add(extension("2.5.29.17", false, tlv(0x30, general.toByteArray())));
            }
            byte[] tbs = seq(
                    tlv(0xA0, integer(BigInteger.TWO)),
                    integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)),
                    algorithm,
                    issuerName,
                    seq(time(from), time(until)),
                    subject,
                    keys.getPublic().getEncoded(),
                    tlv(0xA3, seq(extensions.toArray(new byte[0][]))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuer == null ? keys.getPrivate() : issuer.key, RANDOM);
            signer.update(tbs);
            byte[] der = seq(tbs, algorithm, bitString(signer.sign(), 0));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            if (issuer != null) {
                chain.addAll(issuer.chain);
            }
            return new Issued(keys.getPrivate(), certificate, List.copyOf(chain));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a test certificate for " + commonName, e);
        }
    }

    private static byte[] name(String commonName) {
        return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] extension(String id, boolean critical, byte[] value) {
        return critical ? seq(oid(id), bool(true), tlv(0x04, value)) : seq(oid(id), tlv(0x04, value));
    }

    private static byte[] time(Instant t) {
        String text = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
        return tlv(0x17, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bool(boolean b) {
        return tlv(0x01, new byte[] {(byte) (b ? 0xFF : 0)});
    }

    private static byte[] integer(BigInteger i) {
        return tlv(0x02, i.toByteArray());
    }

    private static byte[] bitString(byte[] bits, int unused) {
        byte[] body = new byte[bits.length + 1];
        body[0] = (byte) unused;
        System.arraycopy(bits, 0, body, 1, bits.length);
        return tlv(0x03, body);
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int shift = 63 - Long.numberOfLeadingZeros(v | 1);
            for (int s = shift / 7 * 7; s > 0; s -= 7) {
                out.write((int) ((v >> s) & 0x7F) | 0x80);
            }
            out.write((int) (v & 0x7F));
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xFF);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
