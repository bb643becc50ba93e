package p3.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A flood of bad connections writes a few lines, then one summary per 10 s. */
class RejectionLogTest {

    private long now = 1_000;
    private final List<String> lines = new ArrayList<>();
    private final RejectionLog log = new RejectionLog(() -> now, lines::add);
    private long total;

    private void reject(int n, long everyMs) {
        for (int i = 0; i < n; i++) {
            log.rejected("bad " + ++total, total);
            now += TimeUnit.MILLISECONDS.toNanos(everyMs);
        }
    }

    @Test
    void aFewAreLoggedOneByOne() {
        reject(3, 1);
        assertEquals(List.of("rejected bad 1 (1 rejected so far)", "rejected bad 2 (2 rejected so far)",
                "rejected bad 3 (3 rejected so far)"), lines);
        log.flush();
        assertEquals(3, lines.size(), "nothing left to summarize");
    }

    @Test
    void aFloodIsSummarizedOncePerTenSeconds() {
        reject(100_000, 1); // 100 s of a bad connection every ms
        log.flush();
        assertEquals(RejectionLog.FIRST + 10, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(RejectionLog.FIRST).startsWith("rejected 9995 more connections in 10 s"),
                lines.get(RejectionLog.FIRST));
        assertTrue(lines.get(lines.size() - 1).endsWith("the last: bad 100000"), lines.get(lines.size() - 1));
    }

    @Test
    void afterAQuietPeriodTheNextAreLoggedOneByOneAgain() {
        reject(20, 1);
        now += TimeUnit.SECONDS.toNanos(30);
        reject(1, 1); // the summary of the burst, then this one
        now += TimeUnit.SECONDS.toNanos(30);
        reject(2, 1);
        assertEquals(RejectionLog.FIRST + 1 + 1 + 2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(RejectionLog.FIRST).startsWith("rejected 15 more connections in"));
        assertEquals("rejected bad 23 (23 rejected so far)", lines.get(lines.size() - 1));
    }
}
