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
 */
final class ManualScheduler implements Scheduler {

    private static final class Due implements Comparable<Due> {
        final long at;
        final long order;
        final Runnable task;
        boolean cancelled;

        Due(long at, long order, Runnable task) {
            this.at = at;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Due o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private final Executor strand;
    private long now = 1_000_000_000L;
    private long order;

    /** @param strand where the timers' tasks run */
    ManualScheduler(Executor strand) {
        this.strand = strand;
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
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer after(long delay, TimeUnit unit, Runnable task) {
        Due d = new Due(now + unit.toNanos(delay), ++order, task);
        due.add(d);
        return () -> {
            synchronized (ManualScheduler.this) {
                d.cancelled = true;
            }
        };
    }

    /** Moves the clock on, firing every timer due meanwhile at its own time. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = due.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                due.poll();
                now = next.at;
                if (next.cancelled) {
                    continue;
                }
            }
            strand.execute(next.task);
        }
    }

    /** Timers not fired nor cancelled. */
    synchronized int pending() {
        return (int) due.stream().filter(d -> !d.cancelled).count();
    }
}
