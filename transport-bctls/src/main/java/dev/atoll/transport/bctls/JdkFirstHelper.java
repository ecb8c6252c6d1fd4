package dev.atoll.transport.bctls;

import java.security.AlgorithmParameterGenerator;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertStoreParameters;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.ExemptionMechanism;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Every primitive from the JDK's installed providers where they have it, and from Bouncy
 * Castle's provider where they do not, under one name. Bouncy Castle's TLS asks for some
 * primitives by names only its own provider knows: RSA-PSS signatures as
 * {@code SHA256withRSAandMGF1} (the JDK's is {@code RSASSA-PSS} with parameters) and
 * ChaCha20-Poly1305 as the {@code ChaCha7539} cipher with the {@code Poly1305} MAC. Without
 * them TLS 1.3 has no RSA certificate and no ChaCha20 suite. Where each name comes from is
 * decided once.
 */
final class JdkFirstHelper implements JcaJceHelper {

    private final JcaJceHelper jdk = new DefaultJcaJceHelper();
    private final JcaJceHelper bc = new ProviderJcaJceHelper(new BouncyCastleProvider());
    private final Map<String, JcaJceHelper> chosen = new ConcurrentHashMap<>();

    /**
     * The JDK's providers when one of them has the algorithm ({@code type} as in
     * {@link Security#getProviders(String)}; a cipher by the algorithm of its transformation),
     * Bouncy Castle's otherwise.
     */
    private JcaJceHelper helperFor(String type, String algorithm) {
        String name = type.equals("Cipher") ? algorithm.split("/", 2)[0] : algorithm;
        return chosen.computeIfAbsent(type + "." + name, filter -> Security.getProviders(filter) != null ? jdk : bc);
    }

    @Override
    public Cipher createCipher(String name) throws NoSuchAlgorithmException, NoSuchPaddingException,
            NoSuchProviderException {
        return helperFor("Cipher", name).createCipher(name);
    }

    @Override
    public Mac createMac(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("Mac", name).createMac(name);
    }

    @Override
    public KeyAgreement createKeyAgreement(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("KeyAgreement", name).createKeyAgreement(name);
    }

    @Override
    public AlgorithmParameterGenerator createAlgorithmParameterGenerator(String name)
            throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("AlgorithmParameterGenerator", name).createAlgorithmParameterGenerator(name);
    }

    @Override
    public AlgorithmParameters createAlgorithmParameters(String name) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return helperFor("AlgorithmParameters", name).createAlgorithmParameters(name);
    }

    @Override
    public KeyGenerator createKeyGenerator(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("KeyGenerator", name).createKeyGenerator(name);
    }

    @Override
    public KeyFactory createKeyFactory(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("KeyFactory", name).createKeyFactory(name);
    }

    @Override
    public SecretKeyFactory createSecretKeyFactory(String name) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return helperFor("SecretKeyFactory", name).createSecretKeyFactory(name);
    }

    @Override
    public KeyPairGenerator createKeyPairGenerator(String name) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return helperFor("KeyPairGenerator", name).createKeyPairGenerator(name);
    }

    @Override
    @SuppressWarnings("deprecation")
    public MessageDigest createDigest(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("MessageDigest", name).createDigest(name);
    }

    @Override
    public MessageDigest createMessageDigest(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("MessageDigest", name).createMessageDigest(name);
    }

    @Override
    public Signature createSignature(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("Signature", name).createSignature(name);
    }

    @Override
    public CertificateFactory createCertificateFactory(String name) throws NoSuchProviderException,
            CertificateException {
        return helperFor("CertificateFactory", name).createCertificateFactory(name);
    }

    @Override
    public SecureRandom createSecureRandom(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
        return helperFor("SecureRandom", name).createSecureRandom(name);
    }

    @Override
    public CertPathBuilder createCertPathBuilder(String name) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return helperFor("CertPathBuilder", name).createCertPathBuilder(name);
    }

    @Override
    public CertPathValidator createCertPathValidator(String name) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return helperFor("CertPathValidator", name).createCertPathValidator(name);
    }

    @Override
    public CertStore createCertStore(String name, CertStoreParameters parameters) throws NoSuchAlgorithmException,
            InvalidAlgorithmParameterException, NoSuchProviderException {
        return helperFor("CertStore", name).createCertStore(name, parameters);
    }

    @Override
    public ExemptionMechanism createExemptionMechanism(String name) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return helperFor("ExemptionMechanism", name).createExemptionMechanism(name);
    }

    @Override
    public KeyStore createKeyStore(String name) throws KeyStoreException, NoSuchProviderException {
        return helperFor("KeyStore", name).createKeyStore(name);
    }
}
