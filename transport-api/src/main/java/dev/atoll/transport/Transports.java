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
 * {@link #configured(Map)} takes the choice from the first of these that is set, in this order
 * of precedence:
 * <ol>
 *   <li>the system property {@value #PROPERTY} ({@code -Datoll.transport=iouring,nio});</li>
 *   <li>the environment variable {@value #ENVIRONMENT_VARIABLE};</li>
 *   <li>the key {@value #PROPERTY} of the configuration map or properties given;</li>
 *   <li>{@value #DEFAULT_CHOICE}.</li>
 * </ol>
 * The deployment (system property, environment) thus overrides what an application ships in
 * its configuration file. Code that must not be overridden calls {@link #named(String)}.
 *
 * <h2>Errors</h2>
 * An unknown name, two providers of one name, or a choice none of whose transports can run
 * here is a {@link TransportSelectionException} whose message lists every transport found,
 * whether it is available, and why not.
 */
public final class Transports {

    /** The system property, and the configuration key, holding the choice. */
    public static final String PROPERTY = "atoll.transport";

    /** The environment variable holding the choice. */
    public static final String ENVIRONMENT_VARIABLE = "ATOLL_TRANSPORT";

    /** The choice when nothing is configured. */
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
     * Makes the transport with this exact name, ignoring system property and environment.
     *
     * @param name a transport name
     * @return the transport
     * @throws TransportSelectionException when it is unknown, duplicated or unavailable here
     */
    public static Transport<?, ?> named(String name) {
        return discovered().choose(name, Map.of());
    }

    /**
     * Makes the first available transport of a preference list such as {@code "iouring,nio"}.
     *
     * @param choice one name or a comma-separated preference list
     * @return the transport
     * @throws TransportSelectionException when no transport of the list can be used
     */
    public static Transport<?, ?> select(String choice) {
        return discovered().choose(choice, Map.of());
    }

    /**
     * Makes the transport the configuration chooses, with the precedence given in the class
     * description. The whole map is handed to the chosen provider for its own settings.
     *
     * @param config the application's configuration, possibly empty
     * @return the transport
     * @throws TransportSelectionException when no transport of the choice can be used
     */
    public static Transport<?, ?> configured(Map<String, String> config) {
        return discovered().fromConfiguration(config);
    }

    /**
     * {@link #configured(Map)} for a {@link Properties} object.
     *
     * @param config the application's configuration, possibly empty
     * @return the transport
     * @throws TransportSelectionException when no transport of the choice can be used
     */
    public static Transport<?, ?> configured(Properties config) {
        Map<String, String> map = new LinkedHashMap<>();
        config.stringPropertyNames().forEach(k -> map.put(k, config.getProperty(k)));
        return configured(map);
    }

    /**
     * Makes the first available secure transport of a choice such as {@code "bctls,jsse"}, with a
     * TLS configuration built in code.
     *
     * @param choice one name or a comma-separated preference list of secure transports
     * @param tls    the TLS configuration
     * @return the transport
     * @throws TransportSelectionException when no secure transport of the choice can be used
     */
    public static Transport<?, ?> secure(String choice, TlsConfig tls) {
        Objects.requireNonNull(tls, "tls");
        TransportProvider provider = discovered().providerFor(choice);
        if (!(provider instanceof SecureTransportProvider secure)) {
            throw new TransportSelectionException("'" + provider.name() + "' is not a secure transport; found: "
                    + discovered().describe());
        }
        return secure.create(tls, Map.of());
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
        String choice = firstSet(systemProperties.apply(PROPERTY), environment.apply(ENVIRONMENT_VARIABLE),
                config.get(PROPERTY), DEFAULT_CHOICE);
        return choose(choice, config);
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new AssertionError("the default choice is always set");
    }

    Transport<?, ?> choose(String choice, Map<String, String> settings) {
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
