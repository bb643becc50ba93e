package p3.mesh.internal;

import java.util.concurrent.TimeUnit;

/**
 * Time for a peer's state machines: a clock, and timers whose tasks run on the peer's strand. It is
 * injected, so that tests drive join, rebind and retransmission without waiting for real time.
 */
interface Scheduler {

    /** A monotonic clock in nanoseconds ({@link System#nanoTime()} in production). */
    long nanoTime();

    /** Runs {@code task} on the peer's strand after {@code delay}, unless cancelled before. */
    Timer after(long delay, TimeUnit unit, Runnable task);

    /** Runs {@code task} on the peer's strand every {@code period}, the first time after one period. */
    default Timer every(long period, TimeUnit unit, Runnable task) {
        return new Periodic(this, period, unit, task).start();
    }

    /** A timer that may be cancelled; cancelling one that ran or was cancelled does nothing. */
    interface Timer {
        Timer NONE = () -> { };

        void cancel();
    }

    /** Re-arms itself after each run, so that a slow run never stacks runs up. */
    final class Periodic implements Timer {
        private final Scheduler scheduler;
        private final long period;
        private final TimeUnit unit;
        private final Runnable task;
        private volatile Timer next = NONE;
        private volatile boolean cancelled;

        Periodic(Scheduler scheduler, long period, TimeUnit unit, Runnable task) {
            this.scheduler = scheduler;
            this.period = period;
            this.unit = unit;
            this.task = task;
        }

        Periodic start() {
            next = scheduler.after(period, unit, this::tick);
            return this;
        }

        private void tick() {
            if (cancelled) {
                return;
            }
            try {
                task.run();
            } finally {
                if (!cancelled) {
                    next = scheduler.after(period, unit, this::tick);
                }
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            next.cancel();
        }
    }
}
