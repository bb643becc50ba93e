package p3.transport.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import p3.transport.Rejection;

/**
 * Logs refused datagrams at a bounded rate: the first few of every period one line each, the rest
 * summed up in one line per period, so that a flood of junk or forgeries costs a line every 10 s,
 * not one per datagram. Shared by the endpoints of one discovery service; thread-safe. Counting is
 * not its job: {@link Counters} counts every refusal.
 */
final class RefusalLog {

    static final int FIRST = 5;
    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private long periodStart;
    private int logged;
    private final Map<Rejection, Long> untold = new EnumMap<>(Rejection.class);
    private Level untoldLevel = Level.DEBUG;

    RefusalLog(Logger log, long nowNanos) {
        this.log = log;
        this.periodStart = nowNanos;
    }

    /** A refusal: logged at {@code level} if among the first of the period, else summed up later. */
    void refused(Rejection reason, Level level, Supplier<String> message, long nowNanos) {
        String line = null;
        synchronized (this) {
            roll(nowNanos);
            if (logged < FIRST) {
                logged++;
                line = message.get() + (logged == FIRST ? " (further refusals summed up every 10 s)" : "");
            } else {
                untold.merge(reason, 1L, Long::sum);
                if (level.getSeverity() > untoldLevel.getSeverity()) {
                    untoldLevel = level;
                }
            }
        }
        if (line != null && log.isLoggable(level)) {
            log.log(level, line);
        }
    }

    /** Tells what was summed up once a period is over; called by a timer and by every refusal. */
    void flush(long nowNanos) {
        synchronized (this) {
            roll(nowNanos);
        }
    }

    private void roll(long nowNanos) {
        if (nowNanos - periodStart < PERIOD_NANOS) {
            return;
        }
        if (!untold.isEmpty()) {
            long total = untold.values().stream().mapToLong(Long::longValue).sum();
            log.log(untoldLevel, "discovery: {0} more datagrams refused in the last {1} s: {2}", total,
                    TimeUnit.NANOSECONDS.toSeconds(nowNanos - periodStart), new EnumMap<>(untold));
            untold.clear();
            untoldLevel = Level.DEBUG;
        }
        periodStart = nowNanos;
        logged = 0;
    }
}
