package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.Qos;
import p3.mesh.spi.TrafficService;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * A peer's traffic: the sources a sensor runs for the clients that asked, and the sinks where a
 * client measures what arrives. The classes present are those whose traffic service is registered.
 *
 * <p>The sources of every peer of a runtime tick on one pacing thread (of {@link PeerThreads}),
 * which owns their state: the strand hands it subscriptions, and a tick never waits. The sinks are
 * fed on the data path.
 */
final class Streams {

    private static final System.Logger LOG = System.getLogger(Streams.class.getName());
    private static final long REPORT_INTERVAL_MS = 1000;

    /** What the streams need of their peer. */
    interface Mesh {
        String id();

        String cell();

        /** Sends a frame of this peer into the mesh; false when it could not leave. */
        boolean send(Frame frame);

        /** A routed control message to another peer. */
        void sendControl(String peer, String cell, Control c);
    }

    private final Mesh mesh;
    private final ScheduledExecutorService timer;
    private final long leaseNanos;
    private final RateLimitedLog failing = new RateLimitedLog(LOG, 5000);
    /** Ticks that threw (a traffic service's payload, say): logged, counted, and the source goes on. */
    final LongAdder failures = new LongAdder();
    /** Streams stopped because their client did not renew its subscription within the lease. */
    final LongAdder leasesEnded = new LongAdder();
    /** Crashed or left: no source starts any more. */
    private volatile boolean halted;
    private final Map<TrafficClass, TrafficService> services = new ConcurrentHashMap<>();
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private final Map<TrafficClass, ClassSink> sinks = new ConcurrentHashMap<>();
    private final Map<TrafficClass, Qos> asked = new ConcurrentHashMap<>();
    /** Timer thread only. */
    private ScheduledFuture<?> reports;

    /**
     * @param leaseNanos a stream whose client has not asked for it again for this long stops: a
     *                   client that crashed would otherwise be streamed to, and its FT messages held
     *                   at every hop, for ever
     */
    Streams(Mesh mesh, ScheduledExecutorService timer, long leaseNanos) {
        this.mesh = mesh;
        this.timer = timer;
        this.leaseNanos = leaseNanos;
    }

    /** The class of a service, or null (logged) when it names none of ours. */
    static TrafficClass classOf(TrafficService service) {
        String name = service.trafficClass();
        for (TrafficClass c : TrafficClass.values()) {
            if (c != TrafficClass.MESH && c.id().equals(name)) {
                return c;
            }
        }
        LOG.log(Level.WARNING, "a traffic service names class {0}, which is not audio, video or event: ignored", name);
        return null;
    }

    /** A class (again): the streams that were asked for it resume where they stopped. */
    void added(TrafficClass cls, TrafficService service) {
        services.put(cls, service);
        for (Source s : List.copyOf(sources.values())) {
            if (s.cls == cls && s.stopped && !s.expired) {
                onTimer(() -> start(s.client, s.clientCell, cls, s.faultTolerant, true));
            }
        }
    }

    /** Stops the class's sources; its sink keeps what it measured. */
    void removed(TrafficClass cls) {
        services.remove(cls);
        for (Source s : List.copyOf(sources.values())) {
            if (s.cls == cls) {
                s.stop();
            }
        }
    }

    Set<TrafficClass> classes() {
        return services.keySet();
    }

    TrafficService service(TrafficClass cls) {
        return services.get(cls);
    }

    // ---------------------------------------------------------------------------------------
    // Sensor side

    /**
     * A client asked for a class: stream it to the client until the class goes away or the lease
     * ends. Asking again renews the lease, and restarts a stream whose lease had ended, with its
     * numbering; a stream stopped on purpose ({@link #stopAll}, its class unloaded) stays stopped:
     * a renewal must not undo a stop. On the timer's thread, where the sources tick, so that a
     * stream is never half replaced.
     */
    void subscribe(String client, String clientCell, TrafficClass cls, boolean faultTolerant) {
        onTimer(() -> start(client, clientCell, cls, faultTolerant, false));
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // the peer is gone
        }
    }

    /** @param resume whether a stream stopped on purpose starts again: its class is back */
    private void start(String client, String clientCell, TrafficClass cls, boolean faultTolerant, boolean resume) {
        if (halted) {
            return;
        }
        TrafficService service = services.get(cls);
        if (service == null) {
            LOG.log(Level.INFO, "{0}: {1} asked for {2}, which this runtime does not carry", mesh.id(), client, cls.id());
            return;
        }
        String key = client + "/" + cls.id();
        Source old = sources.get(key);
        if (old != null && !old.stopped) {
            old.renewedNanos = System.nanoTime();
            old.clientCell = clientCell; // where the client asks from now: it may have moved
            return;
        }
        if (old != null && !old.expired && !resume) {
            // stopped on purpose, and still asked for: its counts go on reaching the client
            old.renewedNanos = System.nanoTime();
            old.clientCell = clientCell;
            return;
        }
        Source s = new Source(client, clientCell, cls, service, faultTolerant);
        if (old != null) {
            s.sequence = old.sequence;
            s.produced.add(old.produced.sum());
        }
        sources.put(key, s);
        s.schedule(0);
        if (reports == null) {
            reports = timer.scheduleAtFixedRate(this::report, REPORT_INTERVAL_MS, REPORT_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Tells each client how many frames it was sent, so that it can count losses, every second for
     * as long as it asks: a stopped stream too, for a count is sent like any control message, without
     * custody, and the one sent when its sources stopped was lost on a path being rebuilt (seen in CI:
     * a sensor's counts never reached the client). A stream whose lease ended stops, and its client
     * hears no more of it.
     */
    private void report() {
        long now = System.nanoTime();
        List<String> ended = new ArrayList<>(0);
        for (Source s : sources.values()) {
            if (!s.expired && now - s.renewedNanos > leaseNanos) {
                s.expired = true;
                if (!s.stopped) {
                    s.stop();
                    leasesEnded.increment();
                    ended.add(s.client + "'s " + s.cls.id() + " after " + s.produced.sum() + " frames");
                }
            }
            if (!s.expired) {
                try {
                    mesh.sendControl(s.client, s.clientCell,
                            Control.of(Control.Kind.SOURCE_STATS, s.produced.sum(), s.cls.id()));
                } catch (RuntimeException e) {
                    // a periodic task that throws is never run again: the counts would stop for good
                    failures.increment();
                    failing.log(Level.WARNING, () -> mesh.id() + ": its " + s.cls.id() + " counts could not be sent ("
                            + failures.sum() + " failures so far)", e);
                }
            }
        }
        if (!ended.isEmpty()) {
            LOG.log(Level.INFO, "{0}: subscriptions not renewed within {1} ms, streams stopped: {2}", mesh.id(),
                    TimeUnit.NANOSECONDS.toMillis(leaseNanos), String.join(", ", ended));
        }
    }

    /** Each source: its class, client, where it streams to, whether it runs, and what it produced. */
    List<String> describeSources() {
        List<String> out = new ArrayList<>();
        for (Source s : sources.values()) {
            out.add(s.cls.id() + " to " + s.client + "@" + s.clientCell + " "
                    + (s.expired ? "expired" : s.stopped ? "stopped" : "running") + ", " + s.produced.sum() + " frames");
        }
        return out;
    }

    /** The sources that run now. */
    int running() {
        return (int) sources.values().stream().filter(s -> !s.stopped).count();
    }

    /** A crash: every source stops at once, and no count is reported. */
    void halt() {
        halted = true;
        for (Source s : sources.values()) {
            s.stop();
        }
        try {
            timer.execute(() -> {
                if (reports != null) {
                    reports.cancel(false);
                    reports = null;
                }
            });
        } catch (RejectedExecutionException e) {
            // the runtime is gone
        }
    }

    /**
     * Stops every source and sends the final counts at once, on the timer's thread so that no tick is
     * half done; they are sent again every second while the client asks.
     */
    void stopAll() {
        stopAll(false);
    }

    /** Leaving: the final counts once, and no more, since nobody will carry them. */
    void leave() {
        stopAll(true);
    }

    private void stopAll(boolean leaving) {
        try {
            timer.execute(() -> {
                for (Source s : sources.values()) {
                    s.stop();
                }
                report();
                if (leaving && reports != null) {
                    reports.cancel(false);
                    reports = null;
                }
            });
        } catch (RejectedExecutionException e) {
            // the peer is gone
        }
    }

    private final class Source implements Runnable {
        final String client;
        /** Where the client was when it last asked: its frames and counts are routed there. */
        volatile String clientCell;
        final TrafficClass cls;
        final TrafficService service;
        final boolean faultTolerant;
        final Random random;
        final LongAdder produced = new LongAdder();
        long sequence;
        long nextNanos;
        /** When its client last asked for it: timer thread only. */
        long renewedNanos = System.nanoTime();
        volatile boolean stopped;
        /** Stopped because its lease ended: only the client's asking again restarts it. */
        volatile boolean expired;

        Source(String client, String clientCell, TrafficClass cls, TrafficService service, boolean faultTolerant) {
            this.client = client;
            this.clientCell = clientCell;
            this.cls = cls;
            this.service = service;
            this.faultTolerant = faultTolerant;
            this.random = new Random((mesh.id() + "/" + cls.id()).hashCode());
        }

        void schedule(long delayNanos) {
            if (nextNanos == 0) {
                nextNanos = System.nanoTime();
            }
            try {
                timer.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                stopped = true;
            }
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            try {
                long seq = ++sequence;
                byte[] payload = service.payload(seq, random);
                // the frame is produced whether or not it can leave: one that cannot is a loss
                produced.increment();
                mesh.send(new Frame(FrameType.DATA, cls, faultTolerant ? Frame.FLAG_FAULT_TOLERANT : 0, mesh.id(),
                        mesh.cell(), client, clientCell, seq, System.nanoTime(), payload));
                // a fixed schedule: a late tick does not push back the ones after it
                nextNanos += service.nextIntervalNanos(random);
            } catch (RuntimeException e) {
                failures.increment();
                failing.log(Level.WARNING, () -> mesh.id() + ": a tick of its " + cls.id() + " source failed ("
                        + failures.sum() + " so far)", e);
                nextNanos = System.nanoTime() + 10_000_000; // try again in 10 ms rather than spin
            }
            schedule(Math.max(0, nextNanos - System.nanoTime()));
        }

        void stop() {
            stopped = true;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Client side

    void ask(TrafficClass cls, Qos qos) {
        asked.put(cls, qos);
    }

    Map<TrafficClass, Qos> asked() {
        return asked;
    }

    /** What became of a frame that reached its client. */
    enum Arrival {
        NEW, DUPLICATE, DAMAGED
    }

    Arrival received(Frame f) {
        ClassSink sink = sinks.computeIfAbsent(f.trafficClass(), c -> new ClassSink(c.id()));
        Qos qos = asked.get(f.trafficClass());
        long deadline = qos == null ? Long.MAX_VALUE : qos.deadline().toNanos();
        return sink.accept(f, services.get(f.trafficClass()), deadline, System.nanoTime());
    }

    /** Client: whether that source has told how many frames of the class it sent here. */
    boolean reported(String source, TrafficClass cls) {
        ClassSink sink = sinks.get(cls);
        return sink != null && sink.reported(source);
    }

    void sourceReport(String source, TrafficClass cls, long sent) {
        sinks.computeIfAbsent(cls, c -> new ClassSink(c.id())).sourceReport(source, sent);
    }

    void restartLatency() {
        sinks.values().forEach(ClassSink::restartLatency);
    }

    /** Client: frames sent and not received, by source, of a class. */
    Map<String, Long> lostBySource(TrafficClass cls) {
        ClassSink sink = sinks.get(cls);
        return sink == null ? Map.of() : sink.lostBySource();
    }

    /** Client: what it delivered of each class, for a checker. */
    List<Deliveries> deliveries() {
        return eachSink(ClassSink::deliveries);
    }

    List<ClassStats> stats() {
        return eachSink(ClassSink::stats);
    }

    /** What each class's sink says, in the classes' order. */
    private <T> List<T> eachSink(java.util.function.Function<ClassSink, T> what) {
        List<T> out = new ArrayList<>();
        for (TrafficClass c : TrafficClass.values()) {
            ClassSink sink = sinks.get(c);
            if (sink != null) {
                out.add(what.apply(sink));
            }
        }
        return out;
    }
}
