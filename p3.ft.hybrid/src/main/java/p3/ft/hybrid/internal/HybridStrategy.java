package p3.ft.hybrid.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

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
 * Hybrid replication: passive (checkpoints) in the steady state, active for a cell from the moment
 * one of its members is suspected until its view has settled again, and always active for the
 * classes configured so.
 */
@Component(service = FtStrategy.class, property = FtStrategy.NAME_PROPERTY + "=" + HybridStrategy.NAME,
        configurationPid = HybridStrategy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HybridStrategy.Config.class)
public final class HybridStrategy implements FtStrategy {

    static final String NAME = "hybrid";
    public static final String PID = "p3.ft.hybrid";
    private static final Set<String> CLASSES = Set.of("audio", "video", "event");

    @ObjectClassDefinition(name = "P3 hybrid FT", description = "Passive, and active while a cell-mate is suspected")
    public @interface Config {
        @AttributeDefinition(description = "Steady state: a checkpoint at least this often, in ms")
        int checkpointIntervalMs() default 50;

        @AttributeDefinition(description = "Steady state: a checkpoint as soon as this many changes wait")
        int checkpointCount() default 64;

        @AttributeDefinition(description = "Active this long after the cell's view changed, in ms")
        int settleMs() default 1000;

        @AttributeDefinition(description = "Active this long after a suspicion that no view change confirms, in ms")
        int suspicionMs() default 5000;

        @AttributeDefinition(description = "Classes always replicated actively: audio, video, event, comma-separated")
        String activeClasses() default "";
    }

    private final int intervalMs;
    private final int count;
    private final long settleNanos;
    private final long suspicionNanos;
    private final Set<String> alwaysActive;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService timer;

    @Activate
    public HybridStrategy(Config config) {
        this(config.checkpointIntervalMs(), config.checkpointCount(), config.settleMs(), config.suspicionMs(),
                config.activeClasses());
    }

    /** Outside OSGi (the bench): the configuration's values, one by one. */
    public HybridStrategy(int intervalMs, int count, int settleMs, int suspicionMs, String activeClasses) {
        this(intervalMs, count, settleMs, suspicionMs, activeClasses, System::nanoTime,
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "p3-ft-hybrid");
                    t.setDaemon(true);
                    return t;
                }));
    }

    /**
     * With the clock that times the active windows ({@link System#nanoTime()} semantics) and the
     * timer the checkpoints run on: tests drive both by hand. {@link #deactivate()} shuts the timer
     * down. A timer that was never given a task has started no thread, so a refused value leaks none.
     */
    HybridStrategy(int intervalMs, int count, int settleMs, int suspicionMs, String activeClasses,
            LongSupplier nanoClock, ScheduledExecutorService timer) {
        this.alwaysActive = classes(activeClasses);
        this.intervalMs = positive("checkpointIntervalMs", intervalMs);
        this.count = positive("checkpointCount", count);
        this.settleNanos = TimeUnit.MILLISECONDS.toNanos(notNegative("settleMs", settleMs));
        this.suspicionNanos = TimeUnit.MILLISECONDS.toNanos(notNegative("suspicionMs", suspicionMs));
        this.nanoClock = nanoClock;
        this.timer = timer;
    }

    private static int positive(String property, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(property + " must be positive: " + value);
        }
        return value;
    }

    private static int notNegative(String property, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(property + " must not be negative: " + value);
        }
        return value;
    }

    static Set<String> classes(String list) {
        Set<String> out = new HashSet<>();
        for (String c : list.split(",")) {
            String name = c.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!CLASSES.contains(name)) {
                throw new IllegalArgumentException("activeClasses: " + name + " is not audio, video or event");
            }
            out.add(name);
        }
        return Set.copyOf(out);
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
        return new HybridPolicy(cell);
    }

    /** Passive unless the cell is under suspicion, or the class is always active. */
    private final class HybridPolicy extends CheckpointPolicy {
        /** Active until then (on {@code nanoClock}); 0 when calm. */
        private volatile long activeUntil;

        HybridPolicy(FtCell cell) {
            super(cell, timer, intervalMs, count);
        }

        private boolean alert() {
            long until = activeUntil;
            return until != 0 && nanoClock.getAsLong() - until < 0;
        }

        @Override
        public void held(String trafficClass) {
            if (alert() || alwaysActive.contains(trafficClass)) {
                cell.replicate();
            } else {
                checkpointIfDue();
            }
        }

        @Override
        public void acknowledged(int count) {
            if (alert()) {
                cell.replicate();
            } else {
                checkpointIfDue();
            }
        }

        @Override
        public void suspected(String mate) {
            activeUntil = nanoClock.getAsLong() + suspicionNanos;
            cell.replicate(); // the checkpoint it would have waited for, now
        }

        @Override
        public void viewChanged(List<String> members, List<String> gone) {
            activeUntil = nanoClock.getAsLong() + settleNanos;
            cell.replicate();
            super.viewChanged(members, gone);
        }
    }
}
