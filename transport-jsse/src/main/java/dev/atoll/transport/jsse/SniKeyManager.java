package dev.atoll.transport.jsse;

import dev.atoll.transport.tls.TlsIdentity;
import java.net.Socket;
import java.security.Principal;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the identity a {@link dev.atoll.transport.tls.TlsConfig} names for the server name
 * the client asked for through SNI, and the default identity otherwise.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private static final String DEFAULT = "default";

    private final Map<String, TlsIdentity> byAlias = new LinkedHashMap<>();
    private final Map<String, String> aliasByName = new LinkedHashMap<>();

    SniKeyManager(TlsIdentity identity, Map<String, TlsIdentity> byName) {
        byAlias.put(DEFAULT, identity);
        byName.forEach((name, id) -> {
            String alias = "sni:" + name;
            byAlias.put(alias, id);
            aliasByName.put(name, alias);
        });
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String alias = aliasByName.getOrDefault(requestedName(engine), DEFAULT);
        return fits(alias, keyType) ? alias : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        for (String keyType : keyTypes) {
            if (fits(DEFAULT, keyType)) {
                return DEFAULT;
            }
        }
        return null;
    }

    private static String requestedName(SSLEngine engine) {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return "";
    }

    /** Whether the identity's key suits the key type the TLS library asks for. */
    private boolean fits(String alias, String keyType) {
        return fits(byAlias.get(alias).key(), keyType);
    }

    /**
     * Whether a key suits a key type as JSSE providers name them: the key's algorithm
     * ({@code RSA}, {@code EC}, {@code RSASSA-PSS}); for a TLS 1.2 key exchange, the exchange
     * with its signature algorithm last ({@code ECDHE_RSA}, {@code ECDHE_ECDSA}, {@code EC_EC});
     * Bouncy Castle's {@code EC/secp256r1} for an EC key on that curve.
     */
    static boolean fits(PrivateKey key, String keyType) {
        String algorithm = key.getAlgorithm();
        if (keyType.startsWith("EC/")) {
            return algorithm.equals("EC") && key instanceof ECKey ec && onCurve(ec, keyType.substring(3));
        }
        String signature = keyType.substring(keyType.lastIndexOf('_') + 1);
        return switch (signature) {
            case "ECDSA" -> algorithm.equals("EC");
            case "DSS" -> algorithm.equals("DSA");
            default -> signature.equals(algorithm);
        };
    }

    private static boolean onCurve(ECKey key, String curve) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            ECParameterSpec named = parameters.getParameterSpec(ECParameterSpec.class);
            ECParameterSpec own = key.getParams();
            return named.getCurve().equals(own.getCurve()) && named.getGenerator().equals(own.getGenerator())
                    && named.getOrder().equals(own.getOrder());
        } catch (GeneralSecurityException unknownCurve) {
            return false;
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(DEFAULT, keyType) ? new String[] {DEFAULT} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return chooseEngineClientAlias(keyType, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = byAlias.keySet().stream().filter(a -> fits(a, keyType)).toList();
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(DEFAULT, keyType) ? DEFAULT : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        TlsIdentity identity = byAlias.get(alias);
        return identity == null ? null : identity.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        TlsIdentity identity = byAlias.get(alias);
        return identity == null ? null : identity.key();
    }
}
