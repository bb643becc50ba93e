package p3.shell.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs rejected connections at a bounded rate: the first {@value #FIRST} of a burst one by one,
 * then one summary per {@value #WINDOW_SECONDS} s while the burst lasts (at the first rejection of
 * the next period, and at {@link #flush()}). A flood of bad connections thus writes a line every
 * ten seconds, not one per connection. A burst ends when a period passes with none left unlogged,
 * or after {@value #WINDOW_SECONDS} s without any rejection. Thread-safe.
 */
final class RejectionLog {

    static final int FIRST = 5;
    static final long WINDOW_SECONDS = 10;
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);

    private final LongSupplier nanoTime;
    private final Consumer<String> log;
    private long periodStart;
    private long lastAt;
    private boolean inBurst;
    private int logged;
    private long unlogged;
    private String lastUnlogged;

    RejectionLog(LongSupplier nanoTime, Consumer<String> log) {
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /** @param total rejections so far, this one included */
    synchronized void rejected(String what, long total) {
        long now = nanoTime.getAsLong();
        if (!inBurst || now - periodStart >= WINDOW) {
            boolean flooded = unlogged > 0 && now - lastAt < WINDOW;
            flush();
            inBurst = true;
            periodStart = now;
            logged = flooded ? FIRST : 0; // a burst that goes on is summarized only
        }
        lastAt = now;
        if (logged < FIRST) {
            logged++;
            log.accept("rejected " + what + " (" + total + " rejected so far)");
        } else {
            unlogged++;
            lastUnlogged = what;
        }
    }

    /** Logs the summary of what was not logged yet, if anything. */
    synchronized void flush() {
        if (unlogged > 0) {
            long n = unlogged;
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - periodStart));
            log.accept("rejected " + n + " more connection" + (n == 1 ? "" : "s") + " in " + seconds
                    + " s, not logged one by one; the last: " + lastUnlogged);
            unlogged = 0;
            lastUnlogged = null;
        }
    }
}
