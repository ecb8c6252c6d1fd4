package dev.atoll.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher runs what it is asked to, says what it claims, and never reports success for a
 * run that checked nothing. The transport is the third-party example's, found by its name.
 */
class TckLauncherTest {

    private static final Pattern RESULT = Pattern.compile("^  (PASSED|FAILED|SKIPPED) +(\\S+) +(\\S+) .*$", Pattern.MULTILINE);

    private record Outcome(int status, String output) {
        /** The rule ids of the result lines, with their group for LEAK-1 and PIN-1. */
        List<String> ran() {
            Matcher m = RESULT.matcher(output);
            List<String> ids = new java.util.ArrayList<>();
            while (m.find()) {
                ids.add(m.group(2).equals("LEAK-1") || m.group(2).equals("PIN-1") ? m.group(2) + " " + m.group(3) : m.group(2));
            }
            return ids;
        }
    }

    private static Outcome launch(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = TckLauncher.run(args, out);
        }
        return new Outcome(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownIdFailsTheRunSayingWhyAndRunsNothing() throws Exception {
        Outcome outcome = launch("--only", "NOPE-1", "blocking");
        assertEquals(2, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("--only NOPE-1: no rule of the TCK has the id or family NOPE-1"), outcome.output());
        assertTrue(outcome.output().contains("Families: ") && outcome.output().contains("RECV"), outcome.output());
        assertEquals(List.of(), outcome.ran());
    }

    @Test
    void onlyRunsExactlyTheNamedRulesAndTheirGroupsChecks() throws Exception {
        Outcome outcome = launch("--only", "RECV-3,SEND-1", "blocking");
        assertEquals(0, outcome.status(), outcome.output());
        assertEquals(List.of("RECV-3", "SEND-1", "LEAK-1 data", "PIN-1 data"), outcome.ran(), outcome.output());
    }

    @Test
    void theSystemPropertyTakesTheSameList() throws Exception {
        String before = System.getProperty(RuleSelection.PROPERTY);
        System.setProperty(RuleSelection.PROPERTY, "RECV-3,SEND-1");
        try {
            Outcome outcome = launch("blocking");
            assertEquals(0, outcome.status(), outcome.output());
            assertEquals(List.of("RECV-3", "SEND-1", "LEAK-1 data", "PIN-1 data"), outcome.ran(), outcome.output());
            System.setProperty(RuleSelection.PROPERTY, "NOPE-1");
            Outcome wrong = launch("blocking");
            assertEquals(2, wrong.status(), wrong.output());
            assertTrue(wrong.output().contains("atoll.tck.only NOPE-1: no rule"), wrong.output());
        } finally {
            if (before == null) {
                System.clearProperty(RuleSelection.PROPERTY);
            } else {
                System.setProperty(RuleSelection.PROPERTY, before);
            }
        }
    }

    @Test
    void aFamilyRunsItsRulesButNoOtherFamilys() throws Exception {
        Outcome outcome = launch("--only", "SEND", "--claims", "SENDFILE", "blocking");
        List<String> ran = outcome.ran();
        assertTrue(ran.contains("SEND-1") && ran.contains("SEND-5"), outcome.output());
        assertTrue(ran.stream().noneMatch(id -> id.startsWith("SENDFILE")), outcome.output());
    }

    @Test
    void theDefaultClaimsArePrinted() throws Exception {
        Outcome outcome = launch("--only", "RECV-3", "blocking");
        assertTrue(outcome.output().contains("claims SENDFILE, HALF_CLOSE, IPV6, SEND_TIMEOUT (the default of a plain transport,"
                + " PLAIN_TCP; --claims changes it)"), outcome.output());
        Outcome claimed = launch("--only", "RECV-3", "--claims", "SENDFILE,IPV6", "blocking");
        assertTrue(claimed.output().contains("claims SENDFILE, IPV6 (as --claims says)"), claimed.output());
    }

    @Test
    void badArgumentsAreErrorsThatSayWhy() throws Exception {
        Outcome missing = launch("--only");
        assertEquals(2, missing.status());
        assertTrue(missing.output().contains("--only needs a value"), missing.output());
        Outcome capability = launch("--claims", "SENDFILE,BOGUS", "blocking");
        assertEquals(2, capability.status());
        assertTrue(capability.output().contains("no capability BOGUS") && capability.output().contains("SEND_TIMEOUT"),
                capability.output());
        Outcome option = launch("--bogus");
        assertEquals(2, option.status());
        assertTrue(option.output().contains("unknown option --bogus"), option.output());
        Outcome transport = launch("--only", "RECV-3", "no-such-transport");
        assertEquals(2, transport.status());
        assertTrue(transport.output().contains("no-such-transport: cannot be checked here"), transport.output());
        assertFalse(transport.output().contains("PASSED"), transport.output());
    }
}
