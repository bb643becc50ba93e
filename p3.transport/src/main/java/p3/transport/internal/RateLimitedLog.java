package p3.transport.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A log line for something that may repeat at network speed (a malformed frame, a refused task, a
 * failing handler): written at most once per interval, so that a flood of bad input cannot flood
 * the log. The caller counts every occurrence; the line says how many there were so far.
 */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    void log(Level level, Supplier<String> message) {
        if (due()) {
            log.log(level, message);
        }
    }

    void log(Level level, Supplier<String> message, Throwable cause) {
        if (due()) {
            log.log(level, message, cause);
        }
    }

    private boolean due() {
        long now = System.nanoTime();
        long at = next.get();
        return (at == Long.MIN_VALUE || now - at >= 0) && next.compareAndSet(at, now + intervalNanos);
    }
}
