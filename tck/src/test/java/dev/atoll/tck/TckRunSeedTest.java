package dev.atoll.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.blocking.BlockingSocketTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The seed a failure prints is the one that repeats it. */
class TckRunSeedTest {

    private static final Pattern PRINTED_SEED = Pattern.compile("\\(seed (-?\\d+): -Datoll\\.tck\\.seed=(-?\\d+) repeats it\\)");

    @Test
    void aRunStartedWithThePrintedSeedDrawsTheSameData() throws Exception {
        List<byte[]> drawn = new ArrayList<>();
        Rule rule = new Rule("SEED-1", "draws data and fails", null, tck -> {
            drawn.add(tck.randomBytes(32));
            throw tck.violation("drew " + drawn.size() + " times", null);
        });
        RuleGroup group = new RuleGroup("seed", List.of(rule));
        TckSubject subject = TckSubject.of(BlockingSocketTransport::new, BlockingSocketTransportConformanceTest.BLOCKING_CLAIMS);

        RuleResult first;
        try (TckRun run = TckRun.start(subject, 20_261_122L)) {
            first = run.run(group, rule);
        }
        Matcher printed = PRINTED_SEED.matcher(first.message());
        assertTrue(printed.find(), first.message());
        assertEquals(printed.group(1), printed.group(2), first.message());
        long seed = Long.parseLong(printed.group(1));

        RuleResult again;
        try (TckRun run = TckRun.start(subject, seed)) {
            again = run.run(group, rule);
        }
        assertEquals(2, drawn.size());
        assertArrayEquals(drawn.get(0), drawn.get(1), "the printed seed " + seed + " drew other data");
        assertTrue(again.message().contains("(seed " + seed + ":"), again.message());
    }
}
