package p3.bench.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.RebindKind;

/**
 * Makes one run on a formed mesh: streams the traffic of Table I, warms up, measures, injects the
 * plan's faults (or swaps the strategy), stops the sources, waits for the last counts, and turns
 * what the peers measured into a {@link RunResult}.
 */
final class ScenarioRunner {

    /** How long the last counts may take to arrive once the sources stopped. */
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(15);

    private final BenchSettings settings;
    private final TreeShape shape;

    ScenarioRunner(BenchSettings settings, TreeShape shape) {
        this.settings = settings;
        this.shape = shape;
    }

    /** @param status told one line a second while the run streams */
    RunResult run(RunSpec spec, MeshSystem mesh, Consumer<String> status) throws Exception {
        status.accept("forming");
        Double heapBase = mesh.heapAfterGcMb();
        long formStart = System.nanoTime();
        mesh.form();
        double formSeconds = (System.nanoTime() - formStart) / 1e9;
        Map<String, List<String>> cells = mesh.superPeersByCell();
        mesh.request(spec.ftMode());
        awaitStreaming(mesh);
        pause(settings.warmup(), status, "warm-up");
        mesh.restartLatency();
        MeshSystem.Totals before = mesh.totals();
        long deliveredBefore = received(mesh.clientStats());
        long start = System.nanoTime();

        List<Event> events = spec.campaign() == null ? events(spec, cells) : List.of();
        int faults = spec.plan() == null ? (spec.swapCrash() ? 1 : 0) : spec.plan().steps().size();
        long end = start + (spec.campaign() == null ? settings.measureFor(faults)
                : spec.campaign().measure(settings.faultAt())).toNanos();
        List<Long> crashes = new ArrayList<>();
        List<String> crashed = new ArrayList<>();
        List<CampaignPlayer.Window> windows = List.of();
        if (spec.campaign() != null) {
            windows = new CampaignPlayer((ProcessSystem) mesh, spec.campaign()).play(start, status);
        }
        for (Event e : events) {
            waitUntil(start + e.atNanos, status);
            if (e.strategy != null) {
                mesh.useStrategy(e.strategy);
            }
            for (String peer : e.crash) {
                crashes.add(mesh.crash(peer));
                crashed.add(peer);
            }
        }
        waitUntil(end, status);
        double elapsed = (System.nanoTime() - start) / 1e9;
        RunResult.Threads threads = mesh.threads();
        mesh.stopSources();
        List<ClassStats> stats = settle(mesh);
        MeshSystem.Totals after = mesh.totals();
        // over the same span as the CPU time: from the start of measurement to the last count settled
        long delivered = received(stats) - deliveredBefore;
        RunResult.Scale scale = new RunResult.Scale(superPeers(), superPeers() + shape.sensors() + 1, formSeconds,
                Math.max(0, delivered), threads, heapBase, mesh.heapAfterGcMb(), mesh.residentMb());
        List<FailureRecord> failures = mesh.failures();
        for (CampaignPlayer.Window w : windows) {
            if (w.fault().kind().kill()) {
                for (String t : w.targets()) {
                    crashed.add(t);
                    crashes.add(w.startNanos());
                }
            }
        }
        CampaignResult checked = spec.campaign() == null ? null
                : CampaignChecker.judge(spec.ftMode(), ((ProcessSystem) mesh).clientDeliveries(), failures, windows, start);
        return result(spec, stats, failures, crashed, crashes, start, before, after, elapsed, checked).withScale(scale);
    }

    private int superPeers() {
        int supers = 0;
        for (int level = 0; level <= shape.depth(); level++) {
            supers += shape.cells(level).size() * shape.superPeers(level);
        }
        return supers;
    }

    /** Frames the client received so far, every class. */
    private static long received(List<ClassStats> stats) {
        return stats.stream().mapToLong(ClassStats::received).sum();
    }

    /** A moment of the run: a strategy swap and/or crashes. */
    private record Event(long atNanos, String strategy, List<String> crash) {
    }

    private List<Event> events(RunSpec spec, Map<String, List<String>> cells) {
        List<Event> out = new ArrayList<>();
        long at = settings.faultAt().toNanos();
        if (spec.plan() != null) {
            boolean single = spec.plan().steps().size() == 1;
            for (FaultStep step : spec.plan().steps()) {
                out.add(new Event(at, null, victims(step, cells, single)));
                at += settings.faultGap().toNanos();
            }
        }
        if (spec.swapTo() != null) {
            long swapAt = settings.measure().toNanos() / 2;
            out.add(new Event(swapAt, spec.swapTo(), List.of()));
            if (spec.swapCrash()) {
                List<String> level1 = new ArrayList<>();
                for (String cell : shape.cells(1)) {
                    level1.addAll(cells.getOrDefault(cell, List.of()));
                }
                String victim = level1.get(new Random(spec.seed()).nextInt(level1.size()));
                out.add(new Event(swapAt + Duration.ofMillis(500).toNanos(), null, List.of(victim)));
            }
        }
        out.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
        return out;
    }

    /**
     * The super-peers a step names, by their rank in the cell as it formed; a single fault (Test
     * I) strikes the cell's busiest super-peer, so that it lies on a path, as in the report.
     */
    static List<String> victims(FaultStep step, Map<String, List<String>> cells, boolean single) {
        List<String> members = cells.get(step.cell());
        if (members == null || members.isEmpty()) {
            throw new IllegalStateException("cell " + step.cell() + " has no super-peer to crash: " + cells);
        }
        if (step.kind() == FaultKind.CELL) {
            return members;
        }
        return List.of(members.get(single ? 0 : step.superPeer() % members.size()));
    }

    private static void awaitStreaming(MeshSystem mesh) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<ClassStats> stats = mesh.clientStats();
            if (stats.size() == BenchSettings.TABLE_I.size() && stats.stream().allMatch(c -> c.received() > 0)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the classes did not reach the client within 30 s: " + stats);
            }
            Thread.sleep(20); // polling the client's counters: they have no event of their own
        }
    }

    /** After the sources stopped: until every class's counts hold still (a loss never arrives). */
    private static List<ClassStats> settle(MeshSystem mesh) throws Exception {
        long deadline = System.nanoTime() + SETTLE_BOUND.toNanos();
        List<ClassStats> last = mesh.clientStats();
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100); // polling, bounded
            List<ClassStats> now = mesh.clientStats();
            boolean complete = now.stream().allMatch(c -> c.sent() > 0 && c.received() + c.lost() == c.sent()
                    && c.lost() == 0);
            if (!counts(now).equals(counts(last))) {
                last = now;
                stillSince = System.nanoTime();
            } else if (complete || System.nanoTime() - stillSince > Duration.ofMillis(2500).toNanos()) {
                return now;
            }
        }
        return last;
    }

    private static List<Long> counts(List<ClassStats> stats) {
        List<Long> out = new ArrayList<>();
        for (ClassStats c : stats) {
            out.add(c.sent());
            out.add(c.received());
        }
        return out;
    }

    private void pause(Duration d, Consumer<String> status, String what) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            status.accept(what);
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000))); // a timed phase
        }
    }

    private static void waitUntil(long nanos, Consumer<String> status) throws InterruptedException {
        waitUntil(nanos, status, "measuring");
    }

    /** Until {@code nanos} ({@link System#nanoTime()}), telling {@code status} what goes on once a second. */
    static void waitUntil(long nanos, Consumer<String> status, String what) throws InterruptedException {
        while (System.nanoTime() < nanos) {
            status.accept(what);
            Thread.sleep(Math.min(1000, Math.max(1, (nanos - System.nanoTime()) / 1_000_000))); // a timed phase
        }
    }

    private RunResult result(RunSpec spec, List<ClassStats> stats, List<FailureRecord> failures,
            List<String> crashed, List<Long> crashes, long start, MeshSystem.Totals before, MeshSystem.Totals after,
            double elapsed, CampaignResult campaign) {
        RunResult.ClassResult[] classes = new RunResult.ClassResult[3];
        for (int i = 0; i < 3; i++) {
            String name = RunResult.Classes.NAMES.get(i);
            ClassStats c = stats.stream().filter(s -> s.trafficClass().equals(name)).findFirst().orElse(null);
            classes[i] = c == null ? new RunResult.ClassResult(0, 0, 0, 0, 0, new RunResult.Latency(0, 0, 0, 0, 0))
                    : new RunResult.ClassResult(c.sent(), c.received(), c.lost(), c.duplicates(), c.late(),
                            new RunResult.Latency(c.mean(), c.stddev(), c.p50(), c.p99(), c.max()));
        }
        List<Double> fast = new ArrayList<>();
        List<Double> slow = new ArrayList<>();
        List<Double> detection = new ArrayList<>();
        for (FailureRecord f : failures) {
            if (f.detectedNanos() < start) {
                continue;
            }
            if (f.rebind() == RebindKind.FAST && f.rebindMillis() >= 0) {
                fast.add(f.rebindMillis());
            } else if (f.rebind() == RebindKind.SLOW && f.rebindMillis() >= 0) {
                slow.add(f.rebindMillis());
            }
            // the latest crash of that peer before it was seen: a campaign may kill a peer twice
            long crashedAt = Long.MIN_VALUE;
            for (int i = 0; i < crashed.size(); i++) {
                if (crashed.get(i).equals(f.failed()) && crashes.get(i) <= f.detectedNanos()) {
                    crashedAt = Math.max(crashedAt, crashes.get(i));
                }
            }
            if (crashedAt != Long.MIN_VALUE) {
                detection.add((f.detectedNanos() - crashedAt) / 1e6);
            }
        }
        RunResult.Overhead overhead = new RunResult.Overhead(after.controlBytes() - before.controlBytes(),
                after.payloadBytes() - before.payloadBytes(), after.controlMessages() - before.controlMessages(),
                after.payloadMessages() - before.payloadMessages(), after.replicaBytes() - before.replicaBytes(),
                after.replicaMessages() - before.replicaMessages());
        String swap = spec.swapTo() == null ? null
                : String.format(java.util.Locale.ROOT, "%s->%s at %.0fs%s", spec.strategy(), spec.swapTo(),
                        settings.measure().toSeconds() / 2.0, spec.swapCrash() ? ", a level-1 crash 0.5 s later" : "");
        RunResult.Fault fault = spec.plan() != null ? spec.plan().fault()
                : spec.swapCrash() ? new RunResult.Fault(1, 1, FaultKind.PEER) : null;
        return new RunResult(spec.scenario(), spec.ftMode().label(), spec.strategy(), spec.sensorMemory(),
                spec.isolation(), spec.seed(), fault, new RunResult.Classes(classes[0], classes[1], classes[2]),
                new RunResult.Rebinds(fast, slow), detection, overhead, after.cpuSeconds() - before.cpuSeconds(),
                after.heapMb(), elapsed, swap, spec.security() ? "on" : "off", null, campaign);
    }
}
