package p3.bench.transport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the receiver saw. Written by the receiving link's event loop only (one connection stays on
 * one loop), read by the bench thread: counters are volatile with a single writer, latencies go to
 * a {@link SingleWriterRecorder} that the reader may take at any time.
 */
final class Arrivals {

    private final long firstMeasured;
    private final long lastMeasured;
    private final SingleWriterRecorder latency = new SingleWriterRecorder(3);

    private volatile long frames;
    /** Records every frame while set, whatever its sequence (throughput runs, from the actual send time). */
    private volatile boolean recordAll;

    /**
     * @param firstMeasured sequence of the first frame whose latency counts (earlier ones warm up)
     * @param measuredCount how many frames from there on are measured
     */
    Arrivals(long firstMeasured, long measuredCount) {
        this.firstMeasured = firstMeasured;
        this.lastMeasured = firstMeasured + measuredCount - 1;
    }

    /** Arrivals that count frames and record latencies only while {@link #recordAll} is on (throughput runs). */
    static Arrivals countOnly() {
        return new Arrivals(Long.MAX_VALUE, 0);
    }

    /** A frame arrived; {@code arrivalNanos} is {@link System#nanoTime()} when the receiver got it. */
    void arrived(long sequence, long sendNanos, long arrivalNanos) {
        frames++; // one writer: the receiving event loop
        if (recordAll || sequence >= firstMeasured && sequence <= lastMeasured) {
            latency.recordValue(Math.max(0, arrivalNanos - sendNanos));
        }
    }

    /** Starts or stops recording every arrival, for the measured windows of a throughput run. */
    void recordAll(boolean on) {
        recordAll = on;
    }

    long frames() {
        return frames;
    }

    /** The latencies recorded so far, in nanoseconds. */
    Histogram latencies() {
        return latency.getIntervalHistogram();
    }
}
