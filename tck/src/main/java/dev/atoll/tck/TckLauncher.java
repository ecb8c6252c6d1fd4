package dev.atoll.tck;

import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.TransportProvider;
import dev.atoll.transport.TransportSelectionException;
import dev.atoll.transport.Transports;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the TCK against transports on the class path and prints a conformance report: one line
 * per rule with its result, and the reason for every skip or failure.
 *
 * <pre>
 * java -cp tck.jar:transport-api.jar:your-transport.jar[:its dependencies] \
 *     dev.atoll.tck.TckLauncher [--claims CAPABILITY,...] [--only ID-OR-FAMILY,...] [name ...]
 * </pre>
 *
 * The class path holds the TCK's jar, {@code transport-api} (the TCK's one dependency) and the
 * transports with what they need. Without names it checks every transport found.
 *
 * <ul>
 *   <li>{@code --claims} says what the named transports claim, as {@link Capability} names
 *       ({@code SENDFILE,HALF_CLOSE,IPV6,SEND_TIMEOUT,TLS,UPGRADE}), or {@code none}. Without it
 *       (or with {@code default}) a plain transport claims {@link Capability#PLAIN_TCP}
 *       ({@code SENDFILE, HALF_CLOSE, IPV6, SEND_TIMEOUT}) and a secure one
 *       {@link Capability#TLS_OVER_TCP} (those and {@code TLS, UPGRADE}); the report prints the
 *       claims of each transport and whether they are the default.</li>
 *   <li>{@code --only} runs only some rules: a comma list of rule ids and families
 *       ({@code RECV-3,SEND-1,TLS}), the same list as the system property
 *       {@code atoll.tck.only}, which it replaces. An id selects exactly that rule
 *       ({@code TLS-1} is not {@code TLS-10}); a family, the id without its number, selects each
 *       of its rules ({@code SEND} is never {@code SENDFILE-1}). Each group of a selected rule
 *       ends with its LEAK-1 and PIN-1 checks. An entry that selects no rule is an error.</li>
 *   <li>The system property {@code atoll.tck.seed} sets the seed of the rules' random data; a
 *       failure prints the seed that repeats it ({@code java -Datoll.tck.seed=... -cp ...}).</li>
 *   <li>The system property {@code atoll.tck.io-timeout-seconds} is how long a reference peer
 *       waits for one read (default 30): a transport that loses bytes costs that much per wait
 *       before its rule fails.</li>
 * </ul>
 *
 * Exits with 0 when no rule failed, 1 when one did, 2 on bad arguments, a selection that
 * selects no rule, or a named transport that is missing or cannot run here.
 */
public final class TckLauncher {

    private static final String USAGE = "usage: java -cp <tck, transport-api and transport jars> dev.atoll.tck.TckLauncher"
            + " [--claims CAPABILITY,...|none|default] [--only ID-OR-FAMILY,...] [transport ...]";

    private TckLauncher() {
    }

    /**
     * Runs the launcher and exits with its status.
     *
     * @param args see the class description
     * @throws Exception when a run cannot start
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the launcher.
     *
     * @param args see the class description
     * @param out  where the report goes
     * @return the exit status: 0 when no rule failed, 1 when one did, 2 when nothing could be
     *         checked as asked
     * @throws Exception when a run cannot start
     */
    static int run(String[] args, PrintStream out) throws Exception {
        Set<Capability> claims = null;
        String only = System.getProperty(RuleSelection.PROPERTY, "");
        String onlyFrom = RuleSelection.PROPERTY;
        List<String> names = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--claims" -> claims = parseClaims(valueOf(args, ++i, "--claims"));
                    case "--only" -> {
                        only = valueOf(args, ++i, "--only");
                        onlyFrom = "--only";
                    }
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        names.add(args[i]);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        RuleSelection selection = RuleSelection.parse(only);
        List<RuleGroup> groups;
        try {
            groups = selection.apply(Rules.groups());
        } catch (IllegalArgumentException e) {
            out.println(onlyFrom + " " + selection + ": " + e.getMessage());
            return 2;
        }
        out.println("Transports found: " + Transports.report());
        if (names.isEmpty()) {
            for (TransportProvider p : Transports.providers()) {
                names.add(p.name());
            }
        }
        if (names.isEmpty()) {
            out.println("Nothing to check: no transport on the class path.");
            return 2;
        }
        long seed = TckRun.seedFromSystemProperty();
        int failed = 0;
        for (String name : names) {
            TransportProvider provider;
            try {
                provider = Transports.provider(name);
            } catch (TransportSelectionException e) {
                out.println(name + ": cannot be checked here: " + e.getMessage());
                return 2;
            }
            boolean secure = provider instanceof SecureTransportProvider;
            Set<Capability> defaults = secure ? Capability.TLS_OVER_TCP : Capability.PLAIN_TCP;
            Set<Capability> claimed = claims != null ? claims : defaults;
            String whose = claims != null ? "as --claims says"
                    : "the default of a " + (secure ? "secure transport, TLS_OVER_TCP" : "plain transport, PLAIN_TCP")
                    + "; --claims changes it";
            failed += check(TckSubject.named(name, claimed), whose, groups, selection, seed, out);
        }
        return failed == 0 ? 0 : 1;
    }

    private static String valueOf(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Set<Capability> parseClaims(String list) {
        String value = list.strip().toUpperCase(Locale.ROOT);
        if (value.equals("DEFAULT")) {
            return null;
        }
        Set<Capability> claims = EnumSet.noneOf(Capability.class);
        if (value.equals("NONE")) {
            return claims;
        }
        for (String c : value.split(",")) {
            if (c.isBlank()) {
                continue;
            }
            try {
                claims.add(Capability.valueOf(c.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--claims: no capability " + c.strip() + "; there are "
                        + Arrays.stream(Capability.values()).map(Enum::name).collect(Collectors.joining(",")) + ", none and default");
            }
        }
        return claims;
    }

    private static int check(TckSubject subject, String whose, List<RuleGroup> groups, RuleSelection selection, long seed,
                             PrintStream out) throws Exception {
        out.println();
        out.println("Conformance of '" + subject.name() + "', Java " + Runtime.version() + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.version"));
        out.println("  claims " + (subject.capabilities().isEmpty() ? "nothing" : EnumSet.copyOf(subject.capabilities()).stream()
                .map(Enum::name).collect(Collectors.joining(", "))) + " (" + whose + ")");
        out.println("  rules " + selection + ", seed " + seed);
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        try (TckRun run = TckRun.start(subject, seed)) {
            if (!run.warmUpFailure().isEmpty()) {
                out.println("  warning: " + run.warmUpFailure());
            }
            for (RuleGroup group : groups) {
                List<RuleResult> results = new ArrayList<>();
                for (Rule rule : group.rules()) {
                    results.add(run.run(group, rule));
                }
                results.add(run.leakCheck(group));
                results.add(run.pinningCheck(group));
                for (RuleResult r : results) {
                    out.printf("  %-7s %-12s %-12s %s%n", r.status(), r.id(), group.name(), r.title());
                    if (!r.message().isEmpty()) {
                        out.println("          " + r.message().replace("\n", "\n          "));
                    }
                    switch (r.status()) {
                        case PASSED -> passed++;
                        case FAILED -> failed++;
                        case SKIPPED -> skipped++;
                    }
                }
            }
        }
        out.println(subject.name() + ": " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed;
    }
}
