package p3.mesh.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.spi.TrafficService;
import p3.transport.Frame;

/**
 * A client's measurements of one class: distinct frames by source and sequence (a duplicate is
 * counted, never delivered twice), late and corrupt frames, and latency in an HdrHistogram.
 * Recording is lock-free per frame apart from the source's window, which only its links touch, and
 * the slot of its send time. For a checker it keeps its {@link Deliveries}: per source the
 * deliveries, those out of order and the holes; per slot of send time the longest delay.
 */
final class ClassSink {

    private static final long MAX_LATENCY_US = TimeUnit.SECONDS.toMicros(60);

    private final String trafficClass;
    private final Recorder recorder = new Recorder(MAX_LATENCY_US, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_US, 3);
    /** Slots of send time a client keeps: 40 minutes of 100 ms, an older one is overwritten. */
    static final int SLOTS = 24_000;
    static final long SLOT_NANOS = 100_000_000;
    /** Holes a stream keeps: a stream that loses more is judged lost anyway. */
    static final int HOLES = 4096;

    private final Map<String, SourceLog> seen = new ConcurrentHashMap<>();
    /** Per slot: its index (send time / width; -1 unused), frames, longest delay in us, out of order. */
    private final long[][] slots = new long[4][];
    /** Frames each source said it produced for this client. */
    private final Map<String, Long> sentBySource = new ConcurrentHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder corrupt = new LongAdder();

    ClassSink(String trafficClass) {
        this.trafficClass = trafficClass;
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new long[SLOTS];
        }
        java.util.Arrays.fill(slots[0], -1);
    }

    /** What one source's frames did at this client; guarded by itself. */
    private static final class SourceLog {
        final BitSet window = new BitSet();
        /** Sequence numbers start at 1. */
        long highest;
        long deliveries;
        long outOfOrder;
        final List<long[]> holes = new ArrayList<>();
        long holesLeftOff;

        /** @return whether the frame came after a later one */
        boolean deliver(long seq, long sendNanos) {
            deliveries++;
            window.set((int) seq);
            if (seq < highest) {
                outOfOrder++;
                return true;
            }
            if (seq > highest + 1) {
                if (holes.size() < HOLES) {
                    holes.add(new long[] {highest + 1, seq - 1, sendNanos});
                } else {
                    holesLeftOff++;
                }
            }
            highest = seq;
            return false;
        }
    }

    /** @return whether the frame is new and intact (delivered), a duplicate, or damaged */
    Streams.Arrival accept(Frame f, TrafficService service, long deadlineNanos, long nowNanos) {
        SourceLog log = seen.computeIfAbsent(f.sourcePeer(), k -> new SourceLog());
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
        boolean outOfOrder;
        synchronized (log) {
            if (log.window.get((int) seq)) {
                duplicates.increment();
                return Streams.Arrival.DUPLICATE;
            }
            outOfOrder = log.deliver(seq, f.sendNanos());
        }
        long latency = nowNanos - f.sendNanos();
        slot(f.sendNanos(), latency, outOfOrder);
        if (latency > deadlineNanos) {
            late.increment();
        }
        recorder.recordValue(Math.min(MAX_LATENCY_US, Math.max(0, TimeUnit.NANOSECONDS.toMicros(latency))));
        received.increment();
        return Streams.Arrival.NEW;
    }

    private void slot(long sendNanos, long latencyNanos, boolean outOfOrder) {
        long index = Math.floorDiv(sendNanos, SLOT_NANOS);
        int i = (int) Math.floorMod(index, (long) SLOTS);
        long delay = Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos));
        synchronized (slots) {
            if (slots[0][i] != index) {
                slots[0][i] = index;
                slots[1][i] = 0;
                slots[2][i] = 0;
                slots[3][i] = 0;
            }
            slots[1][i]++;
            slots[2][i] = Math.max(slots[2][i], delay);
            if (outOfOrder) {
                slots[3][i]++;
            }
        }
    }

    /** Forgets the latencies and delays so far (a warm-up), not the counts. */
    synchronized void restartLatency() {
        recorder.reset();
        total.reset();
        synchronized (slots) {
            java.util.Arrays.fill(slots[0], -1);
        }
    }

    /** What a checker needs of this class, now. */
    Deliveries deliveries() {
        List<Deliveries.Stream> streams = new ArrayList<>();
        new java.util.TreeMap<>(seen).forEach((source, log) -> {
            long sent = sentBySource.getOrDefault(source, 0L);
            synchronized (log) {
                List<Deliveries.Hole> holes = new ArrayList<>();
                for (long[] h : log.holes) {
                    long missing = missing(log.window, h[0], h[1]);
                    if (missing > 0) {
                        holes.add(new Deliveries.Hole(h[0], h[1], missing, h[2]));
                    }
                }
                // the source numbers its frames 1 to sent
                if (sent > log.highest) {
                    holes.add(new Deliveries.Hole(log.highest + 1, sent, sent - log.highest, -1));
                }
                streams.add(new Deliveries.Stream(source, sent, log.window.cardinality(), log.deliveries,
                        log.outOfOrder, holes, log.holesLeftOff));
            }
        });
        sentBySource.forEach((source, sent) -> {
            if (!seen.containsKey(source) && sent > 0) {
                streams.add(new Deliveries.Stream(source, sent, 0, 0, 0,
                        List.of(new Deliveries.Hole(1, sent, sent, -1)), 0));
            }
        });
        List<long[]> used = new ArrayList<>();
        synchronized (slots) {
            for (int i = 0; i < SLOTS; i++) {
                if (slots[0][i] >= 0) {
                    used.add(new long[] {slots[0][i], slots[1][i], slots[2][i], slots[3][i]});
                }
            }
        }
        used.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Deliveries.Slot> out = new ArrayList<>(used.size());
        for (long[] u : used) {
            out.add(new Deliveries.Slot(u[0] * SLOT_NANOS, u[1], u[2], u[3]));
        }
        return new Deliveries(trafficClass, SLOT_NANOS, streams, out);
    }

    private static long missing(BitSet window, long first, long last) {
        if (last < first) {
            return 0;
        }
        int from = (int) first;
        int to = (int) Math.min(Integer.MAX_VALUE, last + 1);
        return (to - from) - window.get(from, to).cardinality();
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
            SourceLog log = seen.get(source);
            long got;
            if (log == null) {
                got = 0;
            } else {
                synchronized (log) {
                    got = log.window.cardinality();
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
