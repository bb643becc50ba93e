package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import p3.transport.Rejection;

/**
 * Counts what a transport service refuses (the links' connections, the secured cell groups'
 * members and messages), and says so at a bounded rate: the first {@value #FIRST} refusals get a
 * line each, then one summary line per {@link #SUMMARY_SECONDS} s at most, written when a refusal
 * comes (a rogue sending thousands of connections or datagrams a second costs the log one line per
 * period, not a line per attempt). The counters hold every refusal. Shared by all links or groups
 * of a service; thread-safe.
 */
final class Refusals {

    private static final System.Logger LOG = System.getLogger(Refusals.class.getName());

    static final int FIRST = 5;
    static final long SUMMARY_SECONDS = 10;
    private static final long SUMMARY_NANOS = TimeUnit.SECONDS.toNanos(SUMMARY_SECONDS);

    private final Counters counters;
    /** What refuses, in the log lines: "link", "cell group". */
    private final String what;
    private final AtomicLong seen = new AtomicLong();
    private final LongAdder unsaid = new LongAdder();
    private final AtomicLong lastSummary = new AtomicLong(System.nanoTime());

    Refusals(Counters counters, String what) {
        this.counters = counters;
        this.what = what;
    }

    /**
     * Counts one refusal and perhaps logs it.
     *
     * @param local the local member (log lines start with it)
     * @param what  what was refused and why; formatted only when it is logged
     */
    void refuse(Rejection reason, String local, Object what) {
        counters.reject(reason);
        long n = seen.incrementAndGet();
        if (n <= FIRST) {
            LOG.log(Level.WARNING, "{0}: {1} refused {2}: {3}{4}", local, this.what, reason, what,
                    n == FIRST ? " (further refusals are summarized every " + SUMMARY_SECONDS + " s)" : "");
            return;
        }
        unsaid.increment();
        long now = System.nanoTime();
        long last = lastSummary.get();
        if (now - last >= SUMMARY_NANOS && lastSummary.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "{0}: {1}s refused {2} more in the last {3} s (last: {4}: {5}); counted so far: {6}",
                    local, this.what, unsaid.sumThenReset(), TimeUnit.NANOSECONDS.toSeconds(now - last), reason, what,
                    counters.rejections());
        }
    }
}
