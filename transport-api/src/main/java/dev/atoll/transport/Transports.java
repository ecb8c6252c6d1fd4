package dev.atoll.transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import dev.atoll.transport.tls.TlsConfig;

/**
 * Finds transports with {@link ServiceLoader} and picks one by name, by preference list or by
 * configuration.
 *
 * <h2>Choosing in configuration</h2>
 * A <em>choice</em> is one transport name ({@code nio}) or a preference list
 * ({@code iouring,nio}): the first transport of the list that is available here wins. In a
 * list, a name no provider on the class path has counts as unavailable, so one configuration
 * serves machines with and without an optional backend; a single unknown name is an error.
 *
 * <p>Configuration can choose the backend, never whether a connection is secure. Two keys keep
 * the two apart:
 * <ul>
 *   <li>{@value #PROPERTY} chooses the <em>plain</em> transport, and names plain transports
 *       only. {@link #configured(Map)} takes it from the first of these that is set, in this
 *       order of precedence: the system property {@value #PROPERTY}
 *       ({@code -Datoll.transport=iouring,nio}); the environment variable
 *       {@value #ENVIRONMENT_VARIABLE}; the key {@value #PROPERTY} of the configuration map or
 *       properties given; {@value #DEFAULT_CHOICE}. The deployment thus picks the backend over
 *       what an application ships in its configuration file.</li>
 *   <li>{@value #TLS_PROPERTY} chooses the <em>secure</em> transport ({@code jsse},
 *       {@code bctls,jsse}) and names secure transports only. It is read from the
 *       application's own configuration map or properties alone, never from a system property
 *       or the environment, so only the application decides whether its listeners and clients
 *       are secure. When it is set, the secure transport runs over the plain one that
 *       {@value #PROPERTY} chooses, made with the same settings.</li>
 * </ul>
 * A setting that would blur the two is a {@link TransportSelectionException} when the
 * transport is made: a secure transport's name in {@value #PROPERTY} (from any source), a plain
 * one in {@value #TLS_PROPERTY}, or {@value #TLS_PROPERTY} set as a system property or as the
 * environment variable {@value #TLS_ENVIRONMENT_VARIABLE}.
 *
 * <p>{@link #named}, {@link #select} and {@link #secure} are the choices of code: they read
 * only their arguments, never a system property or the environment. The settings they take are
 * handed to the chosen provider; a secure transport made by them runs over the plain transport
 * of the settings' {@value #PROPERTY} (default {@value #DEFAULT_CHOICE}).
 *
 * <h2>Lifecycle</h2>
 * A transport made here is the caller's to {@link Transport#close() close} when it is done
 * with it; that stops the threads it owns, such as {@code iouring}'s event loops, and for a
 * secure transport closes the plain transport it made.
 *
 * <h2>Errors</h2>
 * An unknown name, two providers of one name, or a choice none of whose transports can run
 * here is a {@link TransportSelectionException} whose message lists every transport found,
 * whether it is available, and why not.
 */
public final class Transports {

    /**
     * The system property, and the configuration key, holding the choice of the plain
     * transport.
     */
    public static final String PROPERTY = "atoll.transport";

    /** The environment variable holding the choice of the plain transport. */
    public static final String ENVIRONMENT_VARIABLE = "ATOLL_TRANSPORT";

    /**
     * The configuration key holding the choice of the secure transport; read only from the
     * application's configuration, and an error as a system property.
     */
    public static final String TLS_PROPERTY = "atoll.tls";

    /** The environment variable that must not be set: TLS is not the environment's to choose. */
    public static final String TLS_ENVIRONMENT_VARIABLE = "ATOLL_TLS";

    /** The choice of the plain transport when nothing is configured. */
    public static final String DEFAULT_CHOICE = "nio";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final List<TransportProvider> providers;
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;

    Transports(List<TransportProvider> providers, UnaryOperator<String> systemProperties,
               UnaryOperator<String> environment) {
        this.providers = List.copyOf(providers);
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    private static Transports discovered() {
        List<TransportProvider> found = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class).forEach(found::add);
        return new Transports(found, System::getProperty, System::getenv);
    }

    /**
     * The provider of a choice: the first of its names whose transport can run here. For tools
     * such as the TCK that ask a provider more than to create a transport.
     *
     * @param choice one name or a comma-separated preference list
     * @return the provider
     * @throws TransportSelectionException when none can be used
     */
    public static TransportProvider provider(String choice) {
        return discovered().providerFor(choice);
    }

    /**
     * Every transport provider found on the module path and class path, in discovery order.
     *
     * @return the providers
     */
    public static List<TransportProvider> providers() {
        return discovered().providers;
    }

    /**
     * Makes the transport with this exact name, ignoring system properties and environment.
     *
     * @param name a transport name
     * @return the transport
     * @throws TransportSelectionException when it is unknown, duplicated or unavailable here
     */
    public static Transport<?, ?> named(String name) {
        return named(name, Map.of());
    }

    /**
     * Makes the transport with this exact name from these settings, ignoring system properties
     * and environment.
     *
     * @param name     a transport name
     * @param settings handed to the provider, such as {@code atoll.iouring.threads}
     * @return the transport
     * @throws TransportSelectionException when it is unknown, duplicated or unavailable here
     * @throws IllegalArgumentException    when a setting is invalid
     */
    public static Transport<?, ?> named(String name, Map<String, String> settings) {
        return discovered().choose(name, settings);
    }

    /**
     * Makes the first available transport of a preference list such as {@code "iouring,nio"}.
     *
     * @param choice one name or a comma-separated preference list
     * @return the transport
     * @throws TransportSelectionException when no transport of the list can be used
     */
    public static Transport<?, ?> select(String choice) {
        return select(choice, Map.of());
    }

    /**
     * Makes the first available transport of a preference list from these settings, ignoring
     * system properties and environment.
     *
     * @param choice   one name or a comma-separated preference list
     * @param settings handed to the provider chosen
     * @return the transport
     * @throws TransportSelectionException when no transport of the list can be used
     * @throws IllegalArgumentException    when a setting is invalid
     */
    public static Transport<?, ?> select(String choice, Map<String, String> settings) {
        return discovered().choose(choice, settings);
    }

    /**
     * Makes the plain transport that settings choose under {@value #PROPERTY} (default
     * {@value #DEFAULT_CHOICE}), with those settings: what a secure transport's provider runs
     * over. It reads the settings alone; {@link #configured(Map)} has put the deployment's
     * choice there.
     *
     * @param settings the settings of the secure transport being made
     * @return the plain transport
     * @throws TransportSelectionException when the choice names a secure transport, or no
     *                                     transport of it can be used
     * @throws IllegalArgumentException    when a setting is invalid
     */
    public static Transport<?, ?> plain(Map<String, String> settings) {
        return discovered().plainFrom(settings);
    }

    /**
     * Makes the transport the configuration chooses, by the rules and precedence given in the
     * class description: the plain transport of {@value #PROPERTY}, or, when the configuration
     * sets {@value #TLS_PROPERTY}, that secure transport over it. The whole map, with the
     * winning {@value #PROPERTY}, is handed to the providers for their own settings.
     *
     * @param config the application's configuration, possibly empty
     * @return the transport
     * @throws TransportSelectionException when no transport of the choice can be used, or the
     *                                     settings conflict
     * @throws IllegalArgumentException    when a setting is invalid
     */
    public static Transport<?, ?> configured(Map<String, String> config) {
        return discovered().fromConfiguration(config);
    }

    /**
     * {@link #configured(Map)} for a {@link Properties} object.
     *
     * @param config the application's configuration, possibly empty
     * @return the transport
     * @throws TransportSelectionException when no transport of the choice can be used, or the
     *                                     settings conflict
     * @throws IllegalArgumentException    when a setting is invalid
     */
    public static Transport<?, ?> configured(Properties config) {
        Map<String, String> map = new LinkedHashMap<>();
        config.stringPropertyNames().forEach(k -> map.put(k, config.getProperty(k)));
        return configured(map);
    }

    /**
     * Makes the first available secure transport of a choice such as {@code "bctls,jsse"}, with a
     * TLS configuration built in code, over {@value #DEFAULT_CHOICE}.
     *
     * @param choice one name or a comma-separated preference list of secure transports
     * @param tls    the TLS configuration
     * @return the transport
     * @throws TransportSelectionException when the choice names a plain transport, or no
     *                                     secure transport of it can be used
     */
    public static Transport<?, ?> secure(String choice, TlsConfig tls) {
        return secure(choice, tls, Map.of());
    }

    /**
     * Makes the first available secure transport of a choice with a TLS configuration built in
     * code, over the plain transport the settings choose under {@value #PROPERTY} (default
     * {@value #DEFAULT_CHOICE}), ignoring system properties and environment.
     *
     * @param choice   one name or a comma-separated preference list of secure transports
     * @param tls      the TLS configuration
     * @param settings handed to the provider, and by it to the plain transport's
     * @return the transport
     * @throws TransportSelectionException when the choice names a plain transport, or no
     *                                     secure transport of it can be used
     * @throws IllegalArgumentException    when a setting is invalid
     */
    public static Transport<?, ?> secure(String choice, TlsConfig tls, Map<String, String> settings) {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(settings, "settings");
        return discovered().secureProviderFor(choice, "the choice of Transports.secure").create(tls, settings);
    }

    /**
     * A report of every transport found: its name, whether it is available, and why not.
     *
     * @return one line per provider
     */
    public static String report() {
        return discovered().describe();
    }

    Transport<?, ?> fromConfiguration(Map<String, String> config) {
        Objects.requireNonNull(config, "config");
        if (systemProperties.apply(TLS_PROPERTY) != null) {
            throw new TransportSelectionException("the system property " + TLS_PROPERTY + " is set: whether connections"
                    + " are secure is the application's choice, made in its own configuration, never by a system"
                    + " property; remove it (" + PROPERTY + " chooses the plain transport)");
        }
        if (environment.apply(TLS_ENVIRONMENT_VARIABLE) != null) {
            throw new TransportSelectionException("the environment variable " + TLS_ENVIRONMENT_VARIABLE + " is set:"
                    + " whether connections are secure is the application's choice, made in its own configuration,"
                    + " never by the environment; remove it (" + ENVIRONMENT_VARIABLE + " chooses the plain transport)");
        }
        String choice;
        String source;
        if (isSet(systemProperties.apply(PROPERTY))) {
            choice = systemProperties.apply(PROPERTY);
            source = "the system property " + PROPERTY;
        } else if (isSet(environment.apply(ENVIRONMENT_VARIABLE))) {
            choice = environment.apply(ENVIRONMENT_VARIABLE);
            source = "the environment variable " + ENVIRONMENT_VARIABLE;
        } else if (isSet(config.get(PROPERTY))) {
            choice = config.get(PROPERTY);
            source = "the configuration's " + PROPERTY;
        } else {
            choice = DEFAULT_CHOICE;
            source = "the default";
        }
        requirePlain(choice, source);
        Map<String, String> settings = new LinkedHashMap<>(config);
        settings.put(PROPERTY, choice);
        String tls = config.get(TLS_PROPERTY);
        if (!isSet(tls)) {
            return providerFor(choice).create(settings);
        }
        return secureProviderFor(tls, "the configuration's " + TLS_PROPERTY).create(settings);
    }

    Transport<?, ?> plainFrom(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        String choice = settings.get(PROPERTY);
        if (!isSet(choice)) {
            choice = DEFAULT_CHOICE;
        }
        requirePlain(choice, "the settings' " + PROPERTY);
        return providerFor(choice).create(settings);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** Refuses a choice of the plain transport that names a secure one. */
    private void requirePlain(String choice, String source) {
        Map<String, TransportProvider> byName = byName();
        for (String name : parse(choice)) {
            if (byName.get(name) instanceof SecureTransportProvider) {
                throw new TransportSelectionException("'" + name + "' in " + source + " ('" + choice + "') is a secure"
                        + " transport, and " + PROPERTY + " chooses the plain transport only: configuration can choose"
                        + " the backend, never whether a connection is secure; the application asks for TLS with "
                        + TLS_PROPERTY + "=" + name + " in its own configuration; found: " + describe());
            }
        }
    }

    /** The provider of a choice of secure transports; a plain one in it is an error. */
    SecureTransportProvider secureProviderFor(String choice, String source) {
        Objects.requireNonNull(choice, "choice");
        Map<String, TransportProvider> byName = byName();
        for (String name : parse(choice)) {
            TransportProvider provider = byName.get(name);
            if (provider != null && !(provider instanceof SecureTransportProvider)) {
                throw new TransportSelectionException("'" + name + "' in " + source + " ('" + choice + "') is a plain"
                        + " transport; " + TLS_PROPERTY + " names the secure transport, and " + PROPERTY
                        + " the plain one it runs over; found: " + describe());
            }
        }
        return (SecureTransportProvider) providerFor(choice);
    }

    Transport<?, ?> choose(String choice, Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        return providerFor(choice).create(settings);
    }

    /**
     * The provider a choice selects: the first of its names whose transport can run here.
     *
     * @param choice one name or a comma-separated preference list
     * @return the provider
     * @throws TransportSelectionException when none can be used
     */
    TransportProvider providerFor(String choice) {
        Objects.requireNonNull(choice, "choice");
        Map<String, TransportProvider> byName = byName();
        List<String> names = parse(choice);
        if (names.size() == 1 && !byName.containsKey(names.get(0))) {
            throw new TransportSelectionException("unknown transport '" + choice + "'; found: " + describe());
        }
        // In a preference list, a transport that is not on the class path is one that cannot run
        // here, so one configuration serves machines with and without an optional backend.
        for (String name : names) {
            TransportProvider provider = byName.get(name);
            if (provider != null && provider.availability().available()) {
                return provider;
            }
        }
        List<String> missing = names.stream().filter(n -> !byName.containsKey(n)).toList();
        throw new TransportSelectionException("no transport of '" + choice + "' can run here"
                + (missing.isEmpty() ? "" : " (not found: " + String.join(", ", missing) + ")") + "; found: " + describe());
    }

    private static List<String> parse(String choice) {
        List<String> names = new ArrayList<>();
        for (String part : choice.split(",")) {
            String name = part.strip();
            if (!NAME.matcher(name).matches()) {
                throw new TransportSelectionException("'" + name + "' in '" + choice
                        + "' is not a transport name (lower case letters, digits and '-')");
            }
            names.add(name);
        }
        return names;
    }

    private Map<String, TransportProvider> byName() {
        Map<String, TransportProvider> byName = new LinkedHashMap<>();
        for (TransportProvider p : providers) {
            TransportProvider earlier = byName.putIfAbsent(p.name(), p);
            if (earlier != null) {
                throw new TransportSelectionException("two transports are named '" + p.name() + "': "
                        + earlier.getClass().getName() + " and " + p.getClass().getName()
                        + "; remove one from the class path");
            }
        }
        return byName;
    }

    String describe() {
        if (providers.isEmpty()) {
            return "no transports (add a backend such as transport-nio to the class path)";
        }
        StringBuilder sb = new StringBuilder();
        for (TransportProvider p : providers) {
            Availability a = p.availability();
            sb.append(sb.isEmpty() ? "" : "; ").append(p.name())
                    .append(a.available() ? " (available)" : " (unavailable: " + a.reason() + ")");
        }
        return sb.toString();
    }
}
