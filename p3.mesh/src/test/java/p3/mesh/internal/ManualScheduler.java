package p3.mesh.internal;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Virtual time for a peer's state machines: timers fire only when a test advances the clock, in
 * the order they are due, on the strand they were made for. With {@link #inline()} as the strand's
 * pool, every task runs on the test's own thread, so a test of join, rebind or retransmission is
 * deterministic and waits for nothing.
 *
 * <p>Several peers share one clock through {@link #on(Executor)}: each view runs its timers on its
 * own strand, and advancing any of them fires every view's timers, in the order they are due.
 */
final class ManualScheduler implements Scheduler {

    private static final class Due implements Comparable<Due> {
        final long at;
        final long order;
        final Runnable task;
        final Executor strand;
        boolean cancelled;

        Due(long at, long order, Runnable task, Executor strand) {
            this.at = at;
            this.order = order;
            this.task = task;
            this.strand = strand;
        }

        @Override
        public int compareTo(Due o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    /** The clock and the timers of every view; guarded by itself. */
    private static final class Timeline {
        final PriorityQueue<Due> due = new PriorityQueue<>();
        long now = 1_000_000_000L;
        long order;
    }

    private final Timeline line;
    private final Executor strand;

    /** @param strand where the timers' tasks run */
    ManualScheduler(Executor strand) {
        this(new Timeline(), strand);
    }

    private ManualScheduler(Timeline line, Executor strand) {
        this.line = line;
        this.strand = strand;
    }

    /** The same clock, with timers that run on another strand (another peer's, or the network's). */
    ManualScheduler on(Executor otherStrand) {
        return new ManualScheduler(line, otherStrand);
    }

    /** A pool that runs a strand's tasks at once, on the thread that gives them. */
    static Executor inline() {
        return Runnable::run;
    }

    /** A strand on the calling thread, for a test: tasks run inline, in order. */
    static Strand inlineStrand(String owner) {
        return new Strand(owner, inline(), 1 << 16);
    }

    @Override
    public long nanoTime() {
        synchronized (line) {
            return line.now;
        }
    }

    @Override
    public Timer after(long delay, TimeUnit unit, Runnable task) {
        Due d;
        synchronized (line) {
            d = new Due(line.now + unit.toNanos(delay), ++line.order, task, strand);
            line.due.add(d);
        }
        return () -> {
            synchronized (line) {
                d.cancelled = true;
            }
        };
    }

    /** Moves the clock on, firing every timer due meanwhile at its own time (also those the fired ones set). */
    void advance(Duration by) {
        long target;
        synchronized (line) {
            target = line.now + by.toNanos();
        }
        while (true) {
            Due next;
            synchronized (line) {
                next = line.due.peek();
                if (next == null || next.at > target) {
                    line.now = target;
                    return;
                }
                line.due.poll();
                line.now = next.at;
                if (next.cancelled) {
                    continue;
                }
            }
            next.strand.execute(next.task);
        }
    }

    /** Timers not fired nor cancelled, of every view. */
    int pending() {
        synchronized (line) {
            return (int) line.due.stream().filter(d -> !d.cancelled).count();
        }
    }
}
