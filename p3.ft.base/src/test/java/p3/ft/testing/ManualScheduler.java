package p3.ft.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scheduler on virtual time, for tests: nothing runs until the test calls {@link #advance},
 * which runs every task that falls due, in time order, on the test's thread. Its clock
 * ({@link #nanoTime()}) is the one to give to code that would read {@link System#nanoTime()};
 * it starts far from zero, as {@code nanoTime} may. Like a real {@link ScheduledExecutorService},
 * a periodic task that throws is not run again.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>(
            Comparator.<Task<?>>comparingLong(t -> t.due).thenComparingLong(t -> t.seq));
    private long now = 1_000_000_000_000L;
    private long seq;
    private boolean shutdown;

    /** The virtual clock, in nanoseconds. */
    public long nanoTime() {
        return now;
    }

    /** Moves the clock on by {@code millis}, running what falls due on the way, in order. */
    public void advance(long millis) {
        long until = now + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!queue.isEmpty() && queue.peek().due - until <= 0) {
            Task<?> t = queue.poll();
            now = t.due;
            t.run();
        }
        now = until;
    }

    /** Tasks waiting to run (a periodic task counts until it is cancelled). */
    public int pending() {
        return queue.size();
    }

    private <V> ScheduledFuture<V> add(Callable<V> job, long delay, long period, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Task<V> t = new Task<>(job, now + unit.toNanos(Math.max(0, delay)), unit.toNanos(period), seq++);
        queue.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, delay, 0, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, delay, 0, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period " + period);
        }
        return add(() -> {
            command.run();
            return null;
        }, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        // no task takes virtual time, so a fixed delay is a fixed rate here
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    /** Runs at the current virtual time, on the next {@link #advance} (of 0 or more). */
    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        queue.removeIf(t -> t.period != 0);
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> job;
        private final long period;
        private final long seq;
        private long due;
        private boolean cancelled;
        private boolean done;
        private V value;
        private Throwable failure;

        Task(Callable<V> job, long due, long period, long seq) {
            this.job = job;
            this.due = due;
            this.period = period;
            this.seq = seq;
        }

        @Override
        public void run() {
            try {
                V v = job.call();
                if (period == 0) {
                    value = v;
                    done = true;
                } else if (!cancelled && !shutdown) {
                    due += period;
                    queue.add(this);
                }
            } catch (Throwable e) {
                failure = e;
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) {
                return false;
            }
            cancelled = true;
            queue.remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        /** Never blocks: a task not run yet is a test error. */
        @Override
        public V get() throws ExecutionException {
            if (cancelled) {
                throw new CancellationException();
            }
            if (!done) {
                throw new IllegalStateException("not run yet: advance the scheduler first");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return value;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
            if (!done && !cancelled) {
                throw new TimeoutException("not run yet: advance the scheduler first");
            }
            return get();
        }
    }
}
