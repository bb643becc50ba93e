package p3.bench.transport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady rate: frame {@code i} is due at {@code start + i / rate}, computed from the start each
 * time so that rounding never accumulates. Latency is measured from that due time, not from when
 * the sender got round to sending, so that a stalled sender counts against the figures instead of
 * hiding them (no coordinated omission).
 */
final class Pacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Closer than this to the due time, the sender yields instead of parking (park overshoots ~50 us). */
    static final long PARK_MARGIN_NANOS = 80_000;
    /** Closer than this, it spins. */
    static final long SPIN_NANOS = 2_000;

    private final long startNanos;
    private final long rate;

    Pacer(long startNanos, long rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        this.startNanos = startNanos;
        this.rate = rate;
    }

    /** When frame {@code i} (from 0) is due. */
    long dueNanos(long i) {
        // i * 1e9 stays exact up to 9.2e9 frames; whole seconds first keeps it exact beyond
        return startNanos + (i / rate) * NANOS_PER_SECOND + (i % rate) * NANOS_PER_SECOND / rate;
    }

    /** Frames that a duration holds at a rate, rounded down. */
    static long framesIn(Duration d, long rate) {
        long seconds = d.getSeconds();
        return Math.addExact(Math.multiplyExact(seconds, rate), (long) d.getNano() * rate / NANOS_PER_SECOND);
    }

    /** Waits until {@code dueNanos}: parks while far, then yields (the event loops need the CPU), then spins. */
    static void awaitNanos(long dueNanos) {
        for (;;) {
            long left = dueNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (left > PARK_MARGIN_NANOS) {
                LockSupport.parkNanos(left - PARK_MARGIN_NANOS);
            } else if (left > SPIN_NANOS) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
