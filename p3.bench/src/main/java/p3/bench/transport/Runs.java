package p3.bench.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import p3.bench.ThreadCosts;

/**
 * The two measurements, driven from the calling thread. The transports compared are open side by
 * side and take turns in slices, so that load from elsewhere on the machine falls on all of them
 * alike instead of on whichever happened to run during it. Between two slices the last transport's
 * frames are let arrive, so that a slice never carries the backlog of another.
 */
final class Runs {

    /** How long the frames still in flight at the end of a slice may take to arrive. */
    static final long DRAIN_MS = 10_000;

    private Runs() {
    }

    /** One transport under test and what was measured of it so far. */
    private static final class Lane implements AutoCloseable {
        final Impl impl;
        final Arrivals arrivals;
        final BenchTarget target;
        final long[] loops;
        final Histogram lag = new Histogram(3);
        long next; // sequence of the next frame
        long accepted; // frames the transport took, warm-up included
        long refused; // measured frames refused
        long maxInFlight;
        long cpuNanos;
        long allocatedBytes;
        long frames;
        long windowNanos;

        Lane(Impl impl, Arrivals arrivals, int ioThreads, int payloadBytes) throws Exception {
            this.impl = impl;
            this.arrivals = arrivals;
            // the P3 lanes' event loops share one name: a lane's own are those its opening started
            long[] before = ThreadCosts.threadsNamed(P3LinkTarget.LOOP_PREFIX);
            this.target = impl.opener.open(ioThreads, payloadBytes, arrivals);
            this.loops = without(ThreadCosts.threadsNamed(target.loopThreadPrefix()), before);
        }

        private static long[] without(long[] ids, long[] others) {
            return java.util.Arrays.stream(ids).filter(id -> java.util.Arrays.stream(others).noneMatch(o -> o == id))
                    .toArray();
        }

        void account(ThreadCosts.Snapshot from, ThreadCosts.Snapshot to) {
            cpuNanos += to.cpuNanosSince(from);
            allocatedBytes += to.allocatedBytesSince(from);
        }

        @Override
        public void close() {
            target.close();
        }
    }

    /**
     * Sends {@code warmupFrames + frames} frames at {@code rate} on each transport, in turns of
     * {@code sliceFrames}, each frame stamped with its due time; measures the latency of the last
     * {@code frames} of each.
     */
    static Map<Impl, LatencyFigures> latency(List<Impl> impls, int ioThreads, int payloadBytes, long rate,
            long warmupFrames, long frames, long sliceFrames) throws Exception {
        List<Lane> lanes = new ArrayList<>();
        try {
            for (Impl impl : impls) {
                lanes.add(new Lane(impl, new Arrivals(warmupFrames, frames), ioThreads, payloadBytes));
            }
            long total = warmupFrames + frames;
            boolean more = true;
            while (more) {
                more = false;
                for (Lane lane : lanes) {
                    if (lane.next < total) {
                        paceSlice(lane, rate, warmupFrames, Math.min(total, lane.next + sliceFrames));
                        more |= lane.next < total;
                    }
                }
            }
            Map<Impl, LatencyFigures> figures = new EnumMap<>(Impl.class);
            for (Lane lane : lanes) {
                Histogram latencies = lane.arrivals.latencies();
                long n = Math.max(1, latencies.getTotalCount());
                figures.put(lane.impl, LatencyFigures.of(frames, lane.refused, latencies, lane.lag,
                        lane.cpuNanos / 1e3 / n, (double) lane.allocatedBytes / n));
            }
            return figures;
        } finally {
            closeAll(lanes);
        }
    }

    /** Sends frames {@code lane.next} to {@code end - 1} at the rate, then lets them arrive. */
    private static void paceSlice(Lane lane, long rate, long warmupFrames, long end) {
        long first = lane.next;
        Pacer pacer = new Pacer(System.nanoTime() + 100_000, rate);
        ThreadCosts.Snapshot start = null;
        for (long i = first; i < end; i++) {
            long due = pacer.dueNanos(i - first);
            Pacer.awaitNanos(due);
            boolean measured = i >= warmupFrames;
            if (measured && start == null) {
                start = ThreadCosts.of(lane.loops);
            }
            if (measured) {
                lane.lag.recordValue(Math.max(0, System.nanoTime() - due));
            }
            if (lane.target.send(i, due)) {
                lane.accepted++;
            } else if (measured) {
                lane.refused++;
            }
        }
        lane.next = end;
        awaitFrames(lane.arrivals, lane.accepted, DRAIN_MS);
        if (start != null) {
            lane.account(start, ThreadCosts.of(lane.loops));
        }
    }

    /**
     * Sends on each transport as fast as it accepts, in turns of {@code slice}: first for
     * {@code warmup}, then for {@code duration} during which the frames received are counted.
     */
    static Map<Impl, ThroughputFigures> throughput(List<Impl> impls, int ioThreads, int payloadBytes, Duration warmup,
            Duration duration, Duration slice) throws Exception {
        List<Lane> lanes = new ArrayList<>();
        try {
            for (Impl impl : impls) {
                lanes.add(new Lane(impl, Arrivals.countOnly(), ioThreads, payloadBytes));
            }
            long sliceNanos = slice.toNanos();
            for (long done = 0, until = warmup.toNanos(); done < until; done += sliceNanos) {
                for (Lane lane : lanes) {
                    flatOutSlice(lane, Math.min(sliceNanos, until - done), false);
                }
            }
            for (long done = 0, until = duration.toNanos(); done < until; done += sliceNanos) {
                for (Lane lane : lanes) {
                    flatOutSlice(lane, Math.min(sliceNanos, until - done), true);
                }
            }
            Map<Impl, ThroughputFigures> figures = new EnumMap<>(Impl.class);
            for (Lane lane : lanes) {
                long n = Math.max(1, lane.frames);
                Histogram queued = lane.arrivals.latencies();
                figures.put(lane.impl, new ThroughputFigures(lane.windowNanos / 1e9, lane.frames, lane.refused,
                        lane.maxInFlight, lane.accepted - lane.arrivals.frames(), payloadBytes,
                        lane.target.wireBytesPerFrame(), lane.cpuNanos / 1e3 / n, (double) lane.allocatedBytes / n,
                        queued.getValueAtPercentile(50) / 1e3, queued.getValueAtPercentile(99) / 1e3));
            }
            return figures;
        } finally {
            closeAll(lanes);
        }
    }

    /** Sends flat out for {@code nanos}, counting what arrived meanwhile when {@code measured}; then drains. */
    private static void flatOutSlice(Lane lane, long nanos, boolean measured) {
        BenchTarget target = lane.target;
        lane.arrivals.recordAll(measured);
        long frames0 = lane.arrivals.frames();
        ThreadCosts.Snapshot cost0 = ThreadCosts.of(lane.loops);
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        long seq = lane.next;
        long refused = 0;
        for (long now = t0; now < end; now = System.nanoTime()) {
            if (target.send(seq, now)) {
                seq++;
            } else {
                refused++;
                lane.maxInFlight = Math.max(lane.maxInFlight, seq - lane.arrivals.frames());
                backOff(target, end);
            }
        }
        long frames1 = lane.arrivals.frames();
        long t1 = System.nanoTime();
        lane.arrivals.recordAll(false);
        ThreadCosts.Snapshot cost1 = ThreadCosts.of(lane.loops);
        lane.next = seq;
        lane.accepted = seq;
        if (measured) {
            lane.frames += frames1 - frames0;
            lane.windowNanos += t1 - t0;
            lane.refused += refused;
            lane.account(cost0, cost1);
        }
        awaitFrames(lane.arrivals, seq, DRAIN_MS);
    }

    /** Bounded spin, then yields, then short parks, until the target is writable or the slice is over. */
    static void backOff(BenchTarget target, long deadlineNanos) {
        for (int i = 0; !target.isWritable(); i++) {
            if (i < 100) {
                Thread.onSpinWait();
            } else if (i < 300) {
                Thread.yield();
            } else {
                if (System.nanoTime() >= deadlineNanos) {
                    return;
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private static void awaitFrames(Arrivals arrivals, long total, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (arrivals.frames() < total && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
    }

    private static void closeAll(List<Lane> lanes) {
        RuntimeException failure = null;
        for (Lane lane : lanes) {
            try {
                lane.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
