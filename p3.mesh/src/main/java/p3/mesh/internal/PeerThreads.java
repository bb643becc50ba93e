package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The threads of every peer of a runtime, so that they do not grow with the peers: a small pool on
 * which the peers' strands run, one timer thread whose tasks go to the strands, a few pacing threads
 * for the sensors' sources (each peer keeps to one), and a watchdog that reports a strand that
 * stopped turning.
 */
@Component(service = PeerThreads.class, configurationPid = PeerThreads.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PeerThreads.Config.class)
public final class PeerThreads implements AutoCloseable {

    public static final String PID = "p3.mesh.threads";
    private static final System.Logger LOG = System.getLogger(PeerThreads.class.getName());
    private static final long WATCH_MS = 250;
    /**
     * Measured on this 2-core VM, the report's mesh with its 8 sensors, runs interleaved: one pacing
     * thread for every source raised the client's p50 of the fixed-rate classes from 0.21-0.27 ms to
     * 0.31-0.64 ms (audio) and 0.24-0.30 to 0.45-0.78 ms (video); on eight it was 0.22-0.31 and
     * 0.24-0.31 again. The frames are stamped when their tick runs, so it is not the ticks' waiting:
     * one busy sender thread seems to share a vCPU with an event loop. Eight stay few whatever the
     * mesh's size.
     */
    static final int PACING_THREADS = 8;

    @ObjectClassDefinition(name = "P3 peer threads", description = "The threads that every peer of this runtime shares")
    public @interface Config {
        @AttributeDefinition(description = "Threads on which the peers' strands run (their control work; never blocked)")
        int threads() default 2;

        @AttributeDefinition(description = "Tasks that may wait on one peer's strand; more are refused and counted")
        int strandCapacity() default 65_536;

        @AttributeDefinition(description = "A strand with work that has not turned for this long is reported stalled, in ms")
        int stallMs() default 1000;

        @AttributeDefinition(description = "Threads on which the sensors' sources tick; each sensor keeps to one of them")
        int pacingThreads() default PACING_THREADS;
    }

    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final ScheduledThreadPoolExecutor[] sources;
    private final AtomicInteger nextSources = new AtomicInteger();
    private final int strandCapacity;
    private final long stallNanos;
    private final Set<Strand> strands = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> watchdog;

    @Activate
    public PeerThreads(Config c) {
        this(c.threads(), c.strandCapacity(), c.stallMs(), c.pacingThreads());
    }

    /** Outside OSGi (tests), with the default pacing threads. */
    public PeerThreads(int threads, int strandCapacity, int stallMs) {
        this(threads, strandCapacity, stallMs, PACING_THREADS);
    }

    /** Outside OSGi (tests, the bench). */
    public PeerThreads(int threads, int strandCapacity, int stallMs, int pacingThreads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        if (strandCapacity < 1) {
            throw new IllegalArgumentException("strandCapacity must be positive: " + strandCapacity);
        }
        if (stallMs < 1) {
            throw new IllegalArgumentException("stallMs must be positive: " + stallMs);
        }
        if (pacingThreads < 1) {
            throw new IllegalArgumentException("pacingThreads must be positive: " + pacingThreads);
        }
        this.strandCapacity = strandCapacity;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMs);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                named("p3-peer", Thread.NORM_PRIORITY));
        this.timer = new ScheduledThreadPoolExecutor(1, named("p3-timer", Thread.NORM_PRIORITY));
        this.timer.setRemoveOnCancelPolicy(true); // cancelled bind and retry timers must not pile up
        this.sources = new ScheduledThreadPoolExecutor[pacingThreads];
        ThreadFactory pacing = named("p3-sources", Thread.MAX_PRIORITY);
        for (int i = 0; i < pacingThreads; i++) {
            sources[i] = new ScheduledThreadPoolExecutor(1, pacing);
            sources[i].setRemoveOnCancelPolicy(true);
        }
        this.watchdog = timer.scheduleWithFixedDelay(this::watch, WATCH_MS, WATCH_MS, TimeUnit.MILLISECONDS);
    }

    /** Defaults: two strand threads, as many as this machine's cores, and eight pacing threads. */
    public static PeerThreads defaults() {
        return new PeerThreads(2, 65_536, 1000);
    }

    private static ThreadFactory named(String prefix, int priority) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(priority);
            return t;
        };
    }

    /** A new strand for a peer, watched until {@link #release}. */
    Strand strand(String owner) {
        Strand s = new Strand(owner, pool, strandCapacity);
        strands.add(s);
        return s;
    }

    void release(Strand s) {
        strands.remove(s);
    }

    /** Real time, with timers that run on {@code strand}. */
    Scheduler scheduler(Strand strand) {
        return new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Timer after(long delay, TimeUnit unit, Runnable task) {
                try {
                    ScheduledFuture<?> f = timer.schedule(() -> strand.execute(task), delay, unit);
                    return () -> f.cancel(false);
                } catch (RejectedExecutionException e) {
                    return Timer.NONE; // the runtime is stopping
                }
            }
        };
    }

    /**
     * Where one peer's sources tick: one of the pacing threads, in turn, which owns their state from
     * then on (a peer keeps to the thread it was given).
     */
    ScheduledExecutorService sources() {
        return sources[Math.floorMod(nextSources.getAndIncrement(), sources.length)];
    }

    /** Strands with work that did not turn for {@code stallMs}: logged once per stall, flagged for {@code p3:peers}. */
    private void watch() {
        try {
            watchOnce();
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: the watchdog must outlive any surprise
            LOG.log(Level.WARNING, "the peers' watchdog failed", e);
        }
    }

    private void watchOnce() {
        long now = System.nanoTime();
        for (Strand s : strands) {
            boolean stuck = s.idleFor(stallNanos, now);
            if (stuck && !s.stalled) {
                LOG.log(Level.WARNING, "{0}: its strand has not turned for {1} ms", s.owner(),
                        TimeUnit.NANOSECONDS.toMillis(s.sinceTurnNanos(now)));
            } else if (!stuck && s.stalled) {
                LOG.log(Level.INFO, "{0}: its strand turns again", s.owner());
            }
            s.stalled = stuck;
        }
    }

    @Deactivate
    @Override
    public void close() {
        watchdog.cancel(false);
        for (ScheduledThreadPoolExecutor x : sources) {
            x.shutdownNow();
        }
        timer.shutdownNow();
        pool.shutdownNow();
        try {
            // bounded: a task never blocks, so the threads end at once
            pool.awaitTermination(2, TimeUnit.SECONDS);
            timer.awaitTermination(2, TimeUnit.SECONDS);
            for (ScheduledThreadPoolExecutor x : sources) {
                x.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: whether every thread has ended. */
    boolean terminated() {
        return pool.isTerminated() && timer.isTerminated()
                && java.util.Arrays.stream(sources).allMatch(ScheduledThreadPoolExecutor::isTerminated);
    }
}
