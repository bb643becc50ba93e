package p3.ft.passive.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import p3.ft.base.CheckpointPolicy;
import p3.mesh.spi.FtCell;
import p3.mesh.spi.FtPolicy;
import p3.mesh.spi.FtStrategy;

/**
 * Passive replication, primary-backup: only the super-peer that receives an FT message holds it;
 * it checkpoints its store to the cell by interval or count, and on its crash the nearest survivor
 * sends again what the last checkpoint held.
 */
@Component(service = FtStrategy.class, property = FtStrategy.NAME_PROPERTY + "=" + PassiveStrategy.NAME,
        configurationPid = PassiveStrategy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PassiveStrategy.Config.class)
public final class PassiveStrategy implements FtStrategy {

    static final String NAME = "passive";
    public static final String PID = "p3.ft.passive";

    @ObjectClassDefinition(name = "P3 passive FT", description = "Primary-backup with checkpoints to the cell")
    public @interface Config {
        @AttributeDefinition(description = "A checkpoint at least this often, in ms")
        int checkpointIntervalMs() default 50;

        @AttributeDefinition(description = "A checkpoint as soon as this many changes wait")
        int checkpointCount() default 64;
    }

    private final int intervalMs;
    private final int count;
    private final ScheduledExecutorService timer;

    @Activate
    public PassiveStrategy(Config config) {
        this(config.checkpointIntervalMs(), config.checkpointCount());
    }

    /** Outside OSGi (the bench): checkpoints every {@code intervalMs} or {@code count} changes. */
    public PassiveStrategy(int intervalMs, int count) {
        this(intervalMs, count, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p3-ft-passive");
            t.setDaemon(true);
            return t;
        }));
    }

    /**
     * With the timer the checkpoints run on (tests drive it by hand); {@link #deactivate()} shuts it
     * down. A timer that was never given a task has started no thread, so a refused value leaks none.
     */
    PassiveStrategy(int intervalMs, int count, ScheduledExecutorService timer) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("checkpointIntervalMs must be positive: " + intervalMs);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("checkpointCount must be positive: " + count);
        }
        this.intervalMs = intervalMs;
        this.count = count;
        this.timer = timer;
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FtPolicy attach(FtCell cell) {
        return new CheckpointPolicy(cell, timer, intervalMs, count) {
        };
    }
}
