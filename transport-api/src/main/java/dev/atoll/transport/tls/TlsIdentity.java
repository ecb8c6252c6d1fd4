package dev.atoll.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key and its certificate chain: what a TLS server (or a client that authenticates)
 * presents. Loaded and checked when it is made, so a missing key or a wrong password fails
 * here, not on the first connection. Two identities are equal when they hold equal keys and
 * equal chains, however they were loaded.
 */
public final class TlsIdentity {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final PrivateKey key;
    private final List<X509Certificate> chain;

    private TlsIdentity(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = List.copyOf(chain);
    }

    /**
     * An identity from a key and its chain held in memory (from a secrets store, say).
     *
     * @param key   the private key
     * @param chain the certificate chain, the identity's own certificate first
     * @return the identity
     * @throws IllegalArgumentException when the chain is empty
     */
    public static TlsIdentity of(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an identity needs at least its own certificate");
        }
        return new TlsIdentity(key, chain);
    }

    /**
     * The identity in a key store: its only key entry, or the one under {@code alias}.
     *
     * @param store    the key store
     * @param alias    the entry, or {@code null} for the store's only key entry
     * @param password the key's password
     * @return the identity
     * @throws IllegalArgumentException when there is no such key entry, the store holds several
     *                                  and none is named, or the password is wrong
     */
    public static TlsIdentity of(KeyStore store, String alias, char[] password) {
        try {
            String chosen = alias;
            if (chosen == null) {
                List<String> keys = new ArrayList<>();
                for (String a : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(a)) {
                        keys.add(a);
                    }
                }
                if (keys.size() != 1) {
                    throw new IllegalArgumentException("the key store holds " + keys.size() + " key entries " + keys
                            + "; name the alias of the one to use");
                }
                chosen = keys.get(0);
            }
            if (!store.isKeyEntry(chosen)) {
                throw new IllegalArgumentException("the key store has no key entry '" + chosen + "'");
            }
            Key key = store.getKey(chosen, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException("the entry '" + chosen + "' holds no private key");
            }
            Certificate[] certificates = store.getCertificateChain(chosen);
            if (certificates == null || certificates.length == 0) {
                throw new IllegalArgumentException("the entry '" + chosen + "' has no certificate chain");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certificates) {
                chain.add((X509Certificate) c);
            }
            return new TlsIdentity(privateKey, chain);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("cannot read the private key: wrong password", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the key store: " + e.getMessage(), e);
        }
    }

    /**
     * The identity in a PKCS#12 file.
     *
     * @param file     the {@code .p12}/{@code .pfx} file
     * @param password its password (also the key's)
     * @return the identity
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it is not PKCS#12, the password is wrong, or it
     *                                  holds no single key entry
     */
    public static TlsIdentity pkcs12(Path file, char[] password) throws IOException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException(file + ": wrong password", e);
            }
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a readable PKCS#12 file: " + e.getMessage(), e);
        }
        try {
            return of(store, null, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The identity in PEM files: a certificate chain (the identity's own certificate first) and
     * an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}).
     *
     * @param certificateChain the certificates
     * @param privateKey       the key
     * @return the identity
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException when a file holds no certificate or no PKCS#8 key, or the
     *                                  key does not belong to the first certificate
     */
    public static TlsIdentity pem(Path certificateChain, Path privateKey) throws IOException {
        List<X509Certificate> chain = certificates(certificateChain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certificateChain + ": no certificate");
        }
        String text = Files.readString(privateKey, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(privateKey + ": no PEM block");
        }
        if (!m.group(1).equals("PRIVATE KEY")) {
            throw new IllegalArgumentException(privateKey + ": a '" + m.group(1) + "' block; convert it to an unencrypted "
                    + "PKCS#8 'PRIVATE KEY' (openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
        String algorithm = chain.get(0).getPublicKey().getAlgorithm();
        try {
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new TlsIdentity(key, chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(privateKey + ": not a " + algorithm + " key for the certificate of "
                    + chain.get(0).getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every certificate of a PEM (or DER) file.
     *
     * @param file the file
     * @return the certificates, in file order
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException when it holds something that is not a certificate
     */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : all) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a certificate file: " + e.getMessage(), e);
        }
    }

    /**
     * The private key.
     *
     * @return the key
     */
    public PrivateKey key() {
        return key;
    }

    /**
     * The certificate chain, the identity's own certificate first.
     *
     * @return the chain
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * The identity as a PKCS#12 key store with one entry, for TLS libraries that take key
     * stores.
     *
     * @param alias    the entry's alias
     * @param password the password to protect it with
     * @return a new key store
     */
    public KeyStore toKeyStore(String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold an identity in a PKCS#12 key store", e);
        }
    }

    @Override
    public String toString() {
        return "identity " + chain.get(0).getSubjectX500Principal();
    }

    /**
     * Whether {@code other} is an identity with an equal key and an equal chain.
     *
     * @param other the object to compare with
     * @return {@code true} when both hold the same key and certificates
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TlsIdentity that && key.equals(that.key) && chain.equals(that.chain);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + chain.hashCode();
    }
}
