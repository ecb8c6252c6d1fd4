package dev.atoll.tck;

import dev.atoll.transport.SecureTransportProvider;
import dev.atoll.transport.TransportProvider;
import dev.atoll.transport.Transports;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the TCK against transports on the class path and prints a conformance report: one line
 * per rule with its result, and the reason for every skip or failure.
 *
 * <pre>
 * java -cp ... dev.atoll.tck.TckLauncher [--claims SENDFILE,HALF_CLOSE,IPV6,TLS,UPGRADE] [--only ID-PREFIX] [name ...]
 * </pre>
 *
 * Without names it checks every transport found. Without {@code --claims} a plain transport
 * claims {@link Capability#PLAIN_TCP} and a secure one {@link Capability#TLS_OVER_TCP}. Exits with 0 when no rule failed, 1 when one did, 2 on bad
 * arguments or when a named transport is missing or unavailable.
 */
public final class TckLauncher {

    private TckLauncher() {
    }

    /**
     * Runs the launcher.
     *
     * @param args see the class description
     * @throws Exception when a run cannot start
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Set<Capability> claims = null;
        String only = "";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--claims" -> claims = args[++i].equals("default") ? null : parseClaims(args[i]);
                case "--only" -> only = args[++i].toUpperCase(Locale.ROOT);
                case "-h", "--help" -> {
                    out.println("usage: TckLauncher [--claims SENDFILE,HALF_CLOSE,IPV6,TLS,UPGRADE] [--only ID-PREFIX] [transport ...]");
                    return 0;
                }
                default -> names.add(args[i]);
            }
        }
        out.println("Transports found: " + Transports.report());
        if (names.isEmpty()) {
            for (TransportProvider p : Transports.providers()) {
                names.add(p.name());
            }
        }
        if (names.isEmpty()) {
            out.println("Nothing to check.");
            return 2;
        }
        int failed = 0;
        for (String name : names) {
            try {
                Transports.named(name);
            } catch (IllegalStateException e) {
                out.println(name + ": cannot be checked here: " + e.getMessage());
                return 2;
            }
            boolean secure = Transports.provider(name) instanceof SecureTransportProvider;
            Set<Capability> claimed = claims != null ? claims : secure ? Capability.TLS_OVER_TCP : Capability.PLAIN_TCP;
            failed += check(TckSubject.named(name, claimed), only, out);
        }
        return failed == 0 ? 0 : 1;
    }

    private static Set<Capability> parseClaims(String list) {
        Set<Capability> claims = EnumSet.noneOf(Capability.class);
        for (String c : list.split(",")) {
            if (!c.isBlank()) {
                claims.add(Capability.valueOf(c.strip().toUpperCase(Locale.ROOT)));
            }
        }
        return claims;
    }

    private static int check(TckSubject subject, String only, PrintStream out) throws Exception {
        out.println();
        out.println("Conformance of '" + subject.name() + "' (claims " + subject.capabilities() + "), Java "
                + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        try (TckRun run = TckRun.start(subject, Long.getLong("atoll.tck.seed", 20_261_122L))) {
            if (!run.warmUpFailure().isEmpty()) {
                out.println("  warning: " + run.warmUpFailure());
            }
            for (RuleGroup group : Rules.groups()) {
                List<RuleResult> results = new ArrayList<>();
                for (Rule rule : group.rules()) {
                    if (rule.id().startsWith(only)) {
                        results.add(run.run(group, rule));
                    }
                }
                if (results.isEmpty()) {
                    continue;
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
