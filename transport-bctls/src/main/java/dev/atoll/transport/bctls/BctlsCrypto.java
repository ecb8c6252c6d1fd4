package dev.atoll.transport.bctls;

import java.security.Provider;
import java.security.SecureRandom;
import java.util.Locale;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Where Bouncy Castle's TLS stack takes its cryptography from. The TLS protocol itself is
 * always Bouncy Castle's; the primitives under it are chosen here.
 */
public enum BctlsCrypto {

    /**
     * The JDK's providers (SunJCE, SunEC, ...), found in the security provider order, and Bouncy
     * Castle's only for what the JDK lacks (RSA-PSS signatures under the names Bouncy Castle's TLS
     * asks for, so TLS 1.3 with RSA certificates; ChaCha20-Poly1305): AES-GCM runs on the JDK's
     * CPU intrinsics, which is what bulk transfers need. The default.
     */
    JDK,

    /**
     * Bouncy Castle's own provider for everything: pure-Java AES-GCM (slower in bulk), Bouncy
     * Castle's EC, and the post-quantum hybrid key exchange groups ({@code X25519MLKEM768},
     * {@code SecP256r1MLKEM768}, {@code SecP384r1MLKEM1024}) for TLS 1.3, which the JDK's
     * primitives do not carry here.
     */
    BC;

    /**
     * A new JSSE provider with this crypto under it. Nothing is installed in
     * {@link java.security.Security}: the provider is used by this transport only.
     *
     * @return the provider
     */
    Provider jsseProvider() {
        return switch (this) {
            case JDK -> new BouncyCastleJsseProvider(false, new JdkFirstCryptoProvider());
            case BC -> new BouncyCastleJsseProvider(new BouncyCastleProvider());
        };
    }

    /** Bouncy Castle's JCA crypto on {@link JdkFirstHelper}. */
    private static final class JdkFirstCryptoProvider extends JcaTlsCryptoProvider {

        @Override
        public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
            return new JcaTlsCrypto(new JdkFirstHelper(), new ProviderJcaJceHelper(new BouncyCastleProvider()), keyRandom,
                    nonceRandom) {
            };
        }
    }

    /**
     * The crypto named in a setting.
     *
     * @param name {@code jdk} or {@code bc}
     * @return the crypto
     * @throws IllegalArgumentException for another name
     */
    public static BctlsCrypto named(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("atoll.bctls.crypto: '" + name + "' is not jdk or bc");
        }
    }
}
