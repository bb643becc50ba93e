package p3.ft.base;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import p3.mesh.spi.FtCell;

/**
 * Primary-backup replication: the store's changes go to the cell as a checkpoint every
 * {@code intervalMs}, or as soon as {@code count} of them are waiting, whichever comes first. What
 * a crash loses between two checkpoints the hops below still hold (and sensor memory, at the
 * bottom).
 */
public abstract class CheckpointPolicy extends ReplicationPolicy {

    private final int count;
    private static final System.Logger LOG = System.getLogger(CheckpointPolicy.class.getName());
    private final ScheduledFuture<?> ticks;
    /** Checkpoints that threw: logged, counted, and the next interval tries again. */
    private final LongAdder failures = new LongAdder();

    /**
     * @param timer the strategy's timer, on which {@link #tick()} runs; it must not be the mesh's
     */
    protected CheckpointPolicy(FtCell cell, ScheduledExecutorService timer, int intervalMs, int count) {
        super(cell);
        if (intervalMs <= 0 || count <= 0) {
            throw new IllegalArgumentException("checkpoint interval and count must be positive: " + intervalMs + ", "
                    + count);
        }
        this.count = count;
        // guarded: an exception would end a periodic task for good, and the checkpoints with it
        this.ticks = timer.scheduleAtFixedRate(this::guardedTick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void held(String trafficClass) {
        checkpointIfDue();
    }

    @Override
    public void acknowledged(int n) {
        checkpointIfDue();
    }

    protected final void checkpointIfDue() {
        if (cell.unreplicated() >= count) {
            cell.replicate();
        }
    }

    /** The interval's checkpoint. */
    private void guardedTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            failures.increment();
            LOG.log(System.Logger.Level.WARNING, () -> cell.peerId() + ": a checkpoint failed (" + failures.sum()
                    + " so far)", e);
        }
    }

    protected void tick() {
        if (cell.unreplicated() > 0) {
            cell.replicate();
        }
    }

    /** Stops the checkpoints; the last changes stay queued in the mesh for the next strategy. */
    @Override
    public void detach() {
        ticks.cancel(false);
    }
}
