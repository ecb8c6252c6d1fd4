package dev.atoll.transport.jsse;

import dev.atoll.transport.spi.SettingValues;

import dev.atoll.transport.Transport;
import dev.atoll.transport.TransportSelectionException;
import dev.atoll.transport.Transports;
import dev.atoll.transport.tls.ClientAuth;
import dev.atoll.transport.tls.TlsConfig;
import dev.atoll.transport.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link TlsConfig} from string settings, for transports made by
 * {@link dev.atoll.transport.Transports#configured}. The keys, after a transport's prefix
 * ({@code atoll.jsse.}):
 * <ul>
 *   <li>{@code identity.pkcs12} and {@code identity.password}: a PKCS#12 file and its password;
 *       or {@code identity.cert} and {@code identity.key}: PEM chain and PKCS#8 key;</li>
 *   <li>{@code trust}: a PEM file of trust anchors (default: the JDK's);</li>
 *   <li>{@code alpn}, {@code protocols}, {@code cipher-suites}, {@code named-groups}:
 *       comma-separated lists;</li>
 *   <li>{@code client-auth}: {@code none}, {@code optional} or {@code required};</li>
 *   <li>{@code server-name}, {@code hostname-verification} ({@code true}/{@code false}),
 *       {@code handshake-timeout} ({@code 500ms}, {@code 10s}).</li>
 * </ul>
 * A wrong value is an {@link IllegalArgumentException} naming its key. The plain transport to
 * run over is not a TLS setting: it is {@value Transports#PROPERTY}, the one choice of plain
 * transport ({@link #overPlain}); a key {@code plain} under the prefix is a
 * {@link TransportSelectionException} that says so.
 */
public final class TlsSettings {

    private final String prefix;
    private final Map<String, String> settings;

    /**
     * Settings under a prefix.
     *
     * @param prefix   such as {@code atoll.jsse.}
     * @param settings all settings
     */
    public TlsSettings(String prefix, Map<String, String> settings) {
        this.prefix = prefix;
        this.settings = settings;
        if (settings.containsKey(prefix + "plain")) {
            throw new TransportSelectionException(prefix + "plain is not a setting: the plain transport under TLS is"
                    + " chosen by " + Transports.PROPERTY + " (such as " + Transports.PROPERTY + "=iouring,nio),"
                    + " like every plain transport");
        }
    }

    /**
     * Makes the plain transport the settings choose ({@link Transports#plain(Map)}) and a
     * secure transport over it, which owns it; when the secure one cannot be made, the plain
     * one is closed before the error goes on.
     *
     * @param <T>    the secure transport's type
     * @param secure makes the secure transport over the plain one
     * @return the secure transport
     * @throws TransportSelectionException when the plain choice names a secure transport, or
     *                                     none of it can run here
     */
    public <T extends Transport<?, ?>> T overPlain(Function<Transport<?, ?>, T> secure) {
        Transport<?, ?> plain = Transports.plain(settings);
        try {
            return secure.apply(plain);
        } catch (RuntimeException | Error e) {
            plain.close();
            throw e;
        }
    }

    /**
     * The configuration the settings describe.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the key of a wrong value
     */
    public TlsConfig config() {
        TlsConfig.Builder b = TlsConfig.builder();
        try {
            String pkcs12 = get("identity.pkcs12");
            String cert = get("identity.cert");
            if (pkcs12 != null) {
                String password = get("identity.password");
                b.identity(TlsIdentity.pkcs12(Path.of(pkcs12), password == null ? new char[0] : password.toCharArray()));
            } else if (cert != null) {
                String key = require("identity.key");
                b.identity(TlsIdentity.pem(Path.of(cert), Path.of(key)));
            }
            String trust = get("trust");
            if (trust != null) {
                b.trust(Path.of(trust));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(prefix + "identity/trust: cannot read " + e.getMessage(), e);
        }
        list("alpn", b::alpn);
        list("protocols", b::protocols);
        list("cipher-suites", b::cipherSuites);
        list("named-groups", b::namedGroups);
        String clientAuth = get("client-auth");
        if (clientAuth != null) {
            try {
                b.clientAuth(ClientAuth.valueOf(clientAuth.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "client-auth: '" + clientAuth + "' is not one of "
                        + Arrays.toString(ClientAuth.values()).toLowerCase(Locale.ROOT));
            }
        }
        String serverName = get("server-name");
        if (serverName != null) {
            b.serverName(serverName);
        }
        String verify = get("hostname-verification");
        if (verify != null) {
            b.hostnameVerification(SettingValues.bool(prefix + "hostname-verification", verify));
        }
        String timeout = get("handshake-timeout");
        if (timeout != null) {
            b.handshakeTimeout(SettingValues.duration(prefix + "handshake-timeout", timeout));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }

    private void list(String key, java.util.function.Consumer<String[]> setter) {
        String value = get(key);
        if (value != null) {
            setter.accept(Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new));
        }
    }

    private String require(String key) {
        String value = get(key);
        if (value == null) {
            throw new IllegalArgumentException(prefix + key + " is required");
        }
        return value;
    }

    private String get(String key) {
        String value = settings.get(prefix + key);
        return value == null || value.isBlank() ? null : value;
    }
}
