package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import p3.mesh.StrandStats;

/**
 * A serial executor: the tasks given to it run one at a time, in the order given, on a pool of
 * threads that the strands of every peer of a runtime share (ARCHITECTURE, section 10). A peer's
 * mutable state belongs to its strand: Netty handlers, JGroups callbacks, discovery replies,
 * timers, DS and shell calls hand it tasks, and only its tasks touch that state, so the state
 * needs no locks, and the threads do not grow with the peers.
 *
 * <p>Never blocks the caller. Bounded: a task offered while {@code capacity} tasks wait is refused,
 * counted and logged at a bounded rate. Only control work comes here (the data path stays on the
 * transport's threads), so a full strand means a storm of control messages; the peer's periodic
 * checks re-derive what a lost event would have told (a parent or child link that closed).
 *
 * <p>Guarded: a task that throws is logged with the owner's id and counted, and the strand goes on.
 * A task must not block: a wait is a timer and a continuation. The watchdog of {@link PeerThreads}
 * reports a strand that has not turned for a while.
 */
final class Strand implements Executor {

    private static final System.Logger LOG = System.getLogger(Strand.class.getName());
    /** Tasks run per turn before the thread goes on to another strand, so that one busy peer cannot starve the others. */
    private static final int BATCH = 64;

    private final String owner;
    private final Executor pool;
    private final int capacity;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final LongAdder run = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final RateLimitedLog failures = new RateLimitedLog(LOG, 1000);
    private final RateLimitedLog overflows = new RateLimitedLog(LOG, 1000);
    private volatile boolean closed;
    private volatile Thread runner;
    /** When a task last started, or the strand last went from idle to waiting. */
    private volatile long turnedNanos = System.nanoTime();
    /** Set by the watchdog while the strand has not turned for too long. */
    volatile boolean stalled;

    Strand(String owner, Executor pool, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("strandCapacity must be positive: " + capacity);
        }
        this.owner = owner;
        this.pool = pool;
        this.capacity = capacity;
    }

    /** A task that holds something (a link, a group) to let go of if it never runs. */
    private record Droppable(Runnable task, Runnable ifDropped) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /** Queues a task. @return false when refused: the strand is closed or full (counted) */
    boolean offer(Runnable task) {
        return offer(task, null);
    }

    /**
     * Queues a task that holds something, such as a link that just opened: {@code ifDropped} runs
     * instead (on the caller's or the closing thread) when the task will never run, because it is
     * refused now or dropped by {@link #close()} while it waits.
     *
     * @return false when refused: the strand is closed or full (counted)
     */
    boolean offer(Runnable task, Runnable ifDropped) {
        Runnable queued = ifDropped == null ? task : new Droppable(task, ifDropped);
        if (closed) {
            dropped(queued);
            return false;
        }
        if (depth.incrementAndGet() > capacity) {
            depth.decrementAndGet();
            refused.increment();
            overflows.log(Level.WARNING, () -> owner + ": strand full (" + capacity + " tasks waiting): a task was "
                    + "refused; " + refused.sum() + " so far");
            dropped(queued);
            return false;
        }
        queue.add(queued);
        if (closed && queue.remove(queued)) { // closed meanwhile, and close() did not see it
            depth.decrementAndGet();
            dropped(queued);
            return false;
        }
        if (scheduled.compareAndSet(false, true)) {
            turnedNanos = System.nanoTime();
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                close(); // the runtime's threads are gone: so is the peer, and this task will never run
                return false;
            }
        }
        return true;
    }

    /** As {@link #offer}; a refusal is counted there. */
    @Override
    public void execute(Runnable task) {
        offer(task);
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            for (int i = 0; i < BATCH && !closed; i++) {
                Runnable task = queue.poll();
                if (task == null) {
                    break;
                }
                depth.decrementAndGet();
                turnedNanos = System.nanoTime();
                guarded(task);
            }
        } finally {
            runner = null;
            turnedNanos = System.nanoTime();
            scheduled.set(false);
            if (!closed && !queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                try {
                    pool.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    close();
                }
            }
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
            run.increment();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed.increment();
            failures.log(Level.WARNING, () -> owner + ": a task failed (" + failed.sum() + " so far)", e);
        }
    }

    /**
     * Asks the strand a question from outside it, and waits a bounded time: for the shell, DS and
     * tests, never for a strand (which would wait for itself, or block a shared thread).
     *
     * @return the answer, or {@code none} when the strand is closed, full or does not answer in time
     */
    <T> T ask(Supplier<T> question, T none, long timeoutMs) {
        if (inStrand()) {
            throw new IllegalStateException(owner + ": a strand never waits for itself");
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!offer(() -> answer.complete(question.get()))) {
            return none;
        }
        try {
            return answer.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "{0}: no answer from its strand within {1} ms", owner, timeoutMs);
            return none;
        }
    }

    /** Whether the calling thread runs this strand's task now. */
    boolean inStrand() {
        return runner == Thread.currentThread();
    }

    /** No task is accepted from now on; the one running finishes, the others are dropped (their {@code ifDropped} run). */
    void close() {
        closed = true;
        Runnable r;
        while ((r = queue.poll()) != null) {
            depth.decrementAndGet();
            dropped(r);
        }
    }

    private void dropped(Runnable r) {
        if (r instanceof Droppable d) {
            try {
                d.ifDropped().run();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failed.increment();
                failures.log(Level.WARNING, () -> owner + ": letting go of a dropped task failed", e);
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    String owner() {
        return owner;
    }

    /** Whether the strand has work (running or waiting) and has not turned for {@code nanos}. */
    boolean idleFor(long nanos, long now) {
        return (runner != null || depth.get() > 0) && now - turnedNanos > nanos;
    }

    long sinceTurnNanos(long now) {
        return now - turnedNanos;
    }

    StrandStats stats() {
        return new StrandStats(depth.get(), run.sum(), failed.sum(), refused.sum(), stalled);
    }
}
