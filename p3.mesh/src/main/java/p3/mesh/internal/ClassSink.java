package p3.mesh.internal;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import p3.mesh.ClassStats;
import p3.mesh.spi.TrafficService;
import p3.transport.Frame;

/**
 * A client's measurements of one class: distinct frames by source and sequence (a duplicate is
 * counted, never delivered twice), late and corrupt frames, and latency in an HdrHistogram.
 * Recording is lock-free per frame apart from the source's window, which only its links touch.
 */
final class ClassSink {

    private static final long MAX_LATENCY_US = TimeUnit.SECONDS.toMicros(60);

    private final String trafficClass;
    private final Recorder recorder = new Recorder(MAX_LATENCY_US, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_US, 3);
    private final Map<String, BitSet> seen = new ConcurrentHashMap<>();
    /** Frames each source said it produced for this client. */
    private final Map<String, Long> sentBySource = new ConcurrentHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder corrupt = new LongAdder();

    ClassSink(String trafficClass) {
        this.trafficClass = trafficClass;
    }

    /** @return whether the frame is new and intact (delivered), a duplicate, or damaged */
    Streams.Arrival accept(Frame f, TrafficService service, long deadlineNanos, long nowNanos) {
        BitSet window = seen.computeIfAbsent(f.sourcePeer(), k -> new BitSet());
        long seq = f.sequence();
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            corrupt.increment();
            return Streams.Arrival.DAMAGED;
        }
        // checked first, so that a damaged copy does not stand in for an intact one sent again
        if (service != null && !service.verify(seq, f.payload())) {
            corrupt.increment();
            return Streams.Arrival.DAMAGED;
        }
        synchronized (window) {
            if (window.get((int) seq)) {
                duplicates.increment();
                return Streams.Arrival.DUPLICATE;
            }
            window.set((int) seq);
        }
        long latency = nowNanos - f.sendNanos();
        if (latency > deadlineNanos) {
            late.increment();
        }
        recorder.recordValue(Math.min(MAX_LATENCY_US, Math.max(0, TimeUnit.NANOSECONDS.toMicros(latency))));
        received.increment();
        return Streams.Arrival.NEW;
    }

    /** Forgets the latencies so far (a warm-up), not the counts. */
    synchronized void restartLatency() {
        recorder.reset();
        total.reset();
    }

    void sourceReport(String source, long sent) {
        sentBySource.merge(source, sent, Math::max);
    }

    boolean reported(String source) {
        return sentBySource.containsKey(source);
    }

    Map<String, Long> lostBySource() {
        Map<String, Long> out = new java.util.TreeMap<>();
        sentBySource.forEach((source, sent) -> {
            BitSet window = seen.get(source);
            long got;
            if (window == null) {
                got = 0;
            } else {
                synchronized (window) {
                    got = window.cardinality();
                }
            }
            out.put(source, Math.max(0, sent - got));
        });
        return out;
    }

    synchronized ClassStats stats() {
        total.add(recorder.getIntervalHistogram());
        long sent = 0;
        for (long n : sentBySource.values()) {
            sent += n;
        }
        long got = received.sum();
        boolean any = total.getTotalCount() > 0;
        return new ClassStats(trafficClass, sent, got, Math.max(0, sent - got), duplicates.sum(), late.sum(),
                corrupt.sum(), any ? total.getMean() / 1000 : 0, any ? total.getStdDeviation() / 1000 : 0,
                any ? total.getValueAtPercentile(50) / 1000.0 : 0, any ? total.getValueAtPercentile(99) / 1000.0 : 0,
                any ? total.getMaxValue() / 1000.0 : 0);
    }
}
