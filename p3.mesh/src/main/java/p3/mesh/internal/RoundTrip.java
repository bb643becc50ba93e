package p3.mesh.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retransmission timeout of a peer's FT messages, learned from the round trips that their
 * acknowledgements show: RFC 6298's smoothed round trip plus four deviations, never below the
 * configured period nor above 2^maxBackoffs periods, with Karn's rules (a message sent again gives
 * no sample; a timeout doubles the wait of the messages sent after it, until a sample comes).
 *
 * <p>Why: with a fixed period, a path slower than the period (a cold JVM, a busy machine) had every
 * message sent again before its acknowledgement could come. The resends added load, the load slowed
 * the path more, and the mesh collapsed: in {@code FtSwapTest} beside four processes spinning on the
 * two cores, the root super-peer had sent 2,372 and 16,949 messages again against 1,594 and 3,347
 * acknowledged, and links took seconds to open.
 *
 * <p>Threads: samples come from the transport's threads and the timeouts from the strand. The
 * estimate is a few atomics updated without a lock; a sample lost to a race only slows the estimate.
 */
final class RoundTrip {

    private static final long NONE = -1;

    private final long floorNanos;
    private final long ceilingNanos;
    private final int maxBackoffs;
    private final AtomicLong smoothed = new AtomicLong(NONE);
    private final AtomicLong deviation = new AtomicLong();
    private final AtomicInteger backoffs = new AtomicInteger();
    private volatile long backedOffAt = Long.MIN_VALUE;

    /**
     * @param floorNanos  the configured retransmission period: never less
     * @param maxBackoffs the wait doubles this many times at most, and never exceeds the period doubled as often
     */
    RoundTrip(long floorNanos, int maxBackoffs) {
        this.floorNanos = floorNanos;
        this.ceilingNanos = floorNanos << maxBackoffs;
        this.maxBackoffs = maxBackoffs;
    }

    /** A message sent once was acknowledged this long after it was sent. */
    void sample(long nanos) {
        if (nanos < 0) {
            return;
        }
        long s = smoothed.get();
        if (s == NONE) {
            smoothed.set(nanos);
            deviation.set(nanos / 2);
        } else {
            long d = deviation.get();
            deviation.set(d + (Math.abs(s - nanos) - d) / 4);
            smoothed.set(s + (nanos - s) / 8);
        }
        backoffs.set(0);
    }

    /** A scan found messages overdue at {@code now}: those sent later wait longer, until a round trip is measured. */
    void timedOut(long now) {
        backoffs.updateAndGet(b -> Math.min(b + 1, maxBackoffs));
        backedOffAt = now;
    }

    /**
     * How long a message sent at {@code sentNanos} waits for its acknowledgement before it goes
     * again: the estimate, doubled for each time this message went again already, or, for a message
     * sent once after a timeout, for each timeout in a row since the last sample.
     */
    long timeoutNanos(int timeouts, long sentNanos) {
        long s = smoothed.get();
        long estimate = s == NONE ? floorNanos : Math.max(floorNanos, s + 4 * deviation.get());
        int doublings = timeouts > 0 ? Math.min(timeouts, maxBackoffs) : sentNanos >= backedOffAt ? backoffs.get() : 0;
        return Math.min(ceilingNanos, estimate << doublings);
    }
}
