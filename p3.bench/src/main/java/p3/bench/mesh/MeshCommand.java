package p3.bench.mesh;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import p3.bench.DurationConverter;
import p3.mesh.FtMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code p3-bench mesh}: the report's experiments (section IV) on our mesh. A run is made for each
 * combination of scenario, FT mode, strategy and sensor memory (NO_FT runs once: it replicates
 * nothing, so strategy and memory change nothing); after each run results.json and report.md are
 * written again, so an interrupted bench keeps what it measured.
 */
@Command(name = "mesh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Forms a mesh of the report's shape (span 2, 2 super-peers per cell, 3 levels, 8 sensors, "
                + "1 client) or of --span, --depth, ..., streams Table I's traffic (or --rate, --size), injects faults, and writes results.json and report.md.")
public final class MeshCommand implements Callable<Integer> {

    /** What {@code all} runs; a {@code campaign} needs process or netns isolation, so it is named alone. */
    private static final List<String> SCENARIOS = List.of("baseline", "test1", "test2", "swap");
    private static final List<String> STRATEGIES = List.of("active", "passive", "hybrid");

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", split = ",", paramLabel = "NAME", defaultValue = "test1",
            description = "test1 (one fault per level), test2 (faults at one level until it is empty), baseline, "
                    + "swap (the strategy swapped mid-run, with and without a crash), all of these, or campaign (a "
                    + "seeded schedule of kills, hangs, cuts, partitions and losses, checked for exactly-once; "
                    + "process or netns isolation). Default: ${DEFAULT-VALUE}.")
    List<String> scenarios;

    @Option(names = "--ft", split = ",", paramLabel = "MODE", defaultValue = "none,all",
            description = "FT modes: none, event, event+video, all. Default: ${DEFAULT-VALUE}.")
    List<String> ftModes;

    @Option(names = "--strategy", split = ",", paramLabel = "NAME", defaultValue = "active",
            description = "FT strategies: active, passive, hybrid. Default: ${DEFAULT-VALUE}.")
    List<String> strategies;

    @Option(names = "--sensor-memory", split = ",", paramLabel = "on|off", defaultValue = "on",
            description = "Sensors keep their FT messages until acknowledged: on, off or on,off. Default: ${DEFAULT-VALUE}.")
    List<String> memories;

    @Option(names = "--security", split = ",", paramLabel = "on|off", defaultValue = "on",
            description = "Peers with certificates of the mesh's CA and TLS links (on), or all in the clear (off), "
                    + "to measure what security costs: on, off or on,off (each run made both ways, one after the "
                    + "other). Default: ${DEFAULT-VALUE}.")
    List<String> securities;

    @Option(names = "--isolation", paramLabel = "KIND", defaultValue = "inproc",
            description = "inproc (all peers in this JVM), process (one p3.jar per peer, crash = kill -9) or netns "
                    + "(as process, each p3.jar in a network namespace of its own on one bridge: needs root and "
                    + "iproute2). Default: ${DEFAULT-VALUE}.")
    String isolation;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "quick",
            description = "quick (about 15 s measured per run) or paper (the report's packet counts, 255 s). "
                    + "Default: ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = "--measure", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long the measured part of a run lasts (e.g. 5s, 1m; a fault run lasts at least as "
                    + "its faults need). Default: the profile's, 12s (quick) or 255s (paper).")
    Duration measure;

    @Option(names = "--link-heartbeat", paramLabel = "TIME", converter = DurationConverter.class,
            description = "inproc: every MESH link sends a heartbeat when it sent nothing for this long, and is "
                    + "closed as dead when it received nothing for 5 times as long (the runtime's 200ms and 1000ms "
                    + "by default); the other classes' links ride on their pair's MESH link. Each idle MESH link "
                    + "costs a heartbeat each way this often (see the README's scale section).")
    Duration linkHeartbeat;

    @Option(names = "--store-bytes", paramLabel = "BYTES",
            description = "inproc: each peer's pending store holds at most this many bytes of FT messages (the "
                    + "runtime's ftStoreBytes, 33554432 by default, at least 65536): the peers of a large mesh share "
                    + "this JVM's heap.")
    Long storeBytes;

    @Option(names = "--warmup-run", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5s",
            description = "inproc: before the first run, the same mesh without faults streams for this long and "
                    + "is thrown away, so that the first run measured does not pay the JVM's warm-up (JIT, class "
                    + "loading) and the runs compare fairly; 0s for none. Default: ${DEFAULT-VALUE}.")
    Duration warmupRun;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the fault picks. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--faults", paramLabel = "K", defaultValue = "6", description = "A campaign's faults, one "
            + "every 15 s, drawn from --seed. Default: ${DEFAULT-VALUE}.")
    int faults;

    @Option(names = "--span", paramLabel = "N", defaultValue = "2",
            description = "Children per cell, 1..9. Default: ${DEFAULT-VALUE} (the report's).")
    int span;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "2",
            description = "Levels below the root (levels 0..N). Default: ${DEFAULT-VALUE} (the report's).")
    int depth;

    @Option(names = "--supers-per-cell", split = ",", paramLabel = "N", defaultValue = "2",
            description = "Super-peers per cell, one value per level from the root, the last holding for deeper "
                    + "levels (e.g. 1,2). Default: ${DEFAULT-VALUE} (the report's).")
    List<Integer> supersPerCell;

    @Option(names = "--sensors-per-cell", paramLabel = "N", defaultValue = "2",
            description = "At most this many sensors per non-root cell. Default: ${DEFAULT-VALUE} (the report's).")
    int sensorsPerCell;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "8",
            description = "Sensor-peers, each streaming every class. Default: ${DEFAULT-VALUE} (the report's).")
    int sensors;

    @Option(names = "--rate", split = ",", paramLabel = "CLASS=N", mapFallbackValue = "",
            description = "Frames per second of one sensor, per class (audio, video, event); repeatable. "
                    + "Default: Table I's, audio=38, video=24, event=25.")
    Map<String, String> rates = new LinkedHashMap<>();

    @Option(names = "--size", split = ",", paramLabel = "CLASS=BYTES", mapFallbackValue = "",
            description = "Payload bytes of a frame, per class, " + Traffic.MIN_BYTES + ".." + Traffic.MAX_BYTES
                    + "; repeatable. Default: Table I's, audio=418, video=4180, event=1024.")
    Map<String, String> sizes = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results",
            description = "Where results.json, report.md and the figures go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        TreeShape shape = shape();
        BenchSettings settings = settings();
        List<RunSpec> runs = plan(shape);
        if (!isolation.equals("inproc") && linkHeartbeat != null) {
            throw new ParameterException(spec.commandLine(), "--link-heartbeat: process isolation runs the runtime's "
                    + "link settings; other heartbeats need --isolation inproc");
        }
        if (linkHeartbeat != null && (linkHeartbeat.toMillis() < 1 || linkHeartbeat.toMillis() > 60_000)) {
            throw new ParameterException(spec.commandLine(), "--link-heartbeat: " + DurationConverter.format(
                    linkHeartbeat) + " must be within 1ms..60s");
        }
        if (storeBytes != null && (!isolation.equals("inproc") || storeBytes < 65_536)) {
            throw new ParameterException(spec.commandLine(), "--store-bytes: " + storeBytes + " needs --isolation "
                    + "inproc and at least 65536");
        }
        if (!isolation.equals("inproc") && !settings.traffic().equals(BenchSettings.TABLE_I)) {
            throw new ParameterException(spec.commandLine(), "--rate/--size: process isolation runs the traffic "
                    + "bundles' own profiles (Table I); other rates and sizes need --isolation inproc");
        }
        Files.createDirectories(out);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "p3-bench mesh: %d runs, %s isolation, %s profile, into %s%n", runs.size(), isolation,
                profile, out);
        stdout.printf(Locale.ROOT, "p3-bench mesh: tree %s; traffic %s%n", ReportWriter.describe(shape),
                ReportWriter.describe(settings.traffic()));
        List<RunResult> done = new ArrayList<>();
        AtomicReference<MeshSystem> current = new AtomicReference<>();
        Thread cleanup = new Thread(() -> closeQuietly(current.getAndSet(null)), "p3-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // an interrupted bench leaves nothing running
        long benchStart = System.nanoTime();
        ScenarioRunner runner = new ScenarioRunner(settings, shape);
        int failed = 0;
        if (isolation.equals("inproc") && !warmupRun.isZero() && !runs.isEmpty()) {
            warmUp(runs.get(0), shape, settings, new Progress(err, "[warm-up]", System.nanoTime(), benchStart), current);
        }
        for (int k = 0; k < runs.size(); k++) {
            RunSpec run = runs.get(k);
            String head = String.format(Locale.ROOT, "[%d/%d] %s", k + 1, runs.size(), run.describe());
            RunResult r = runOnce(runner, run, shape, settings, new Progress(err, head, System.nanoTime(), benchStart),
                    current, MeshCommand::summary);
            if (r != null) {
                done.add(r);
            } else {
                failed++;
            }
            Results results = Results.of(commandLine(), shape, settings.traffic(), done);
            ResultsJson.write(results, out.resolve("results.json"));
            ReportWriter.write(results, "results.json", out);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // interrupted: the JVM is shutting down and the hook is running
        }
        stdout.printf(Locale.ROOT, "p3-bench mesh: %d runs in %.0f s%s; %s and %s%n", done.size(),
                (System.nanoTime() - benchStart) / 1e9, failed == 0 ? "" : ", " + failed + " failed",
                out.resolve("results.json"), out.resolve("report.md"));
        return failed == 0 ? 0 : 1;
    }

    /**
     * The first run's mesh, without its faults, streaming for {@code --warmup-run}; its figures are
     * thrown away. Measured first in a fresh JVM, NO_FT paid the warm-up and looked slower than FT_ALL
     * (ratios 0.42 to 0.92 of FT_ALL to NO_FT across repeats). A warm-up that fails says so and the
     * runs go on: each forms its own mesh.
     */
    private void warmUp(RunSpec first, TreeShape shape, BenchSettings settings, Progress progress,
            AtomicReference<MeshSystem> current) {
        RunSpec quiet = new RunSpec("baseline", first.ftMode(), first.strategy(), first.sensorMemory(),
                first.isolation(), first.security(), first.seed(), null, null, false);
        runOnce(new ScenarioRunner(settings.withMeasure(warmupRun), shape), quiet, shape, settings, progress, current,
                r -> "thrown away");
    }

    /**
     * One run on a mesh of its own, shown on {@code progress} as {@code doneText} says.
     *
     * @return its result, or null when it failed
     */
    private RunResult runOnce(ScenarioRunner runner, RunSpec spec, TreeShape shape, BenchSettings settings,
            Progress progress, AtomicReference<MeshSystem> current, Function<RunResult, String> doneText) {
        try (MeshSystem mesh = system(shape, settings, spec, new InprocOptions(linkHeartbeat, storeBytes))) {
            current.set(mesh);
            RunResult r = runner.run(spec, mesh, progress::show);
            progress.done(doneText.apply(r));
            return r;
        } catch (Exception | AssertionError e) {
            // a mesh that did not form (InProcessMesh's wait fails with an AssertionError): this run fails,
            // the next runs; its message describes every peer, hundreds of lines in a large mesh
            progress.done("FAILED: " + firstLine(e));
            return null;
        } finally {
            current.set(null);
        }
    }

    /** The profile's settings with the traffic of {@code --rate} and {@code --size}. */
    BenchSettings settings() {
        BenchSettings base;
        try {
            base = BenchSettings.of(profile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, Double> rate = new LinkedHashMap<>();
        rates.forEach((name, value) -> {
            double r = number("--rate", name, value);
            if (!(r > 0) || r > Traffic.MAX_RATE) {
                throw new ParameterException(spec.commandLine(), "--rate: " + name + "=" + value
                        + " must be positive, at most " + (long) Traffic.MAX_RATE + " frames/s");
            }
            rate.put(name, r);
        });
        Map<String, Integer> size = new LinkedHashMap<>();
        sizes.forEach((name, value) -> {
            double b = number("--size", name, value);
            if (b != Math.rint(b) || b <= 0) {
                throw new ParameterException(spec.commandLine(), "--size: " + name + "=" + value
                        + " must be a positive whole number of bytes");
            }
            if (b < Traffic.MIN_BYTES || b > Traffic.MAX_BYTES) {
                throw new ParameterException(spec.commandLine(), "--size: " + name + "=" + value + " must be within "
                        + Traffic.MIN_BYTES + ".." + Traffic.MAX_BYTES + " bytes (what a frame may carry)");
            }
            size.put(name, (int) b);
        });
        BenchSettings out = base.withTraffic(rate, size);
        if (measure != null) {
            try {
                out = out.withMeasure(measure);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--measure: " + e.getMessage());
            }
        }
        return out;
    }

    /** One value of {@code --rate} or {@code --size}: a known class and a number. */
    private double number(String option, String name, String value) {
        if (!RunResult.Classes.NAMES.contains(name)) {
            throw new ParameterException(spec.commandLine(), option + ": " + name + " is not a class: audio, video "
                    + "or event");
        }
        try {
            double v = Double.parseDouble(value.strip());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new ParameterException(spec.commandLine(), option + ": " + name + "=" + value + " is not a number"
                + (value.isEmpty() ? " (write " + name + "=N)" : ""));
    }

    /** The tree of {@code --span}, {@code --depth}, {@code --supers-per-cell}, {@code --sensors-per-cell}, {@code --sensors}. */
    TreeShape shape() {
        if (depth < 1) {
            throw new ParameterException(spec.commandLine(), "--depth: " + depth
                    + " must be at least 1: the sensors sit in the cells below the root");
        }
        for (int n : supersPerCell) {
            if (n < 1) {
                throw new ParameterException(spec.commandLine(), "--supers-per-cell: " + n
                        + " is not a positive count of super-peers");
            }
        }
        if (supersPerCell.size() > depth + 1) {
            throw new ParameterException(spec.commandLine(), "--supers-per-cell: " + supersPerCell.size()
                    + " values for the " + (depth + 1) + " levels of --depth " + depth);
        }
        if (sensorsPerCell < 1) {
            throw new ParameterException(spec.commandLine(), "--sensors-per-cell: " + sensorsPerCell
                    + " must be at least 1");
        }
        if (sensors < 1) {
            throw new ParameterException(spec.commandLine(), "--sensors: " + sensors
                    + " must be at least 1: the sensors stream the traffic the bench measures");
        }
        try {
            return new TreeShape(span, depth, supersPerCell, sensorsPerCell, sensors);
        } catch (IllegalArgumentException e) {
            String option = e.getMessage().startsWith("span") ? "--span"
                    : e.getMessage().startsWith("depth") ? "--depth" : "--sensors";
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** Every combination, in the order of the options. */
    List<RunSpec> plan(TreeShape shape) {
        Set<String> scenarioSet = new LinkedHashSet<>();
        for (String s : scenarios) {
            if (s.equals("all")) {
                scenarioSet.addAll(SCENARIOS);
            } else if (SCENARIOS.contains(s) || s.equals("campaign")) {
                scenarioSet.add(s);
            } else {
                throw new ParameterException(spec.commandLine(), "--scenario: " + s
                        + " is not test1, test2, baseline, swap, campaign or all");
            }
        }
        List<FtMode> modes = new ArrayList<>();
        for (String m : ftModes) {
            try {
                modes.add(FtMode.of(m));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--ft: " + e.getMessage());
            }
        }
        for (String s : strategies) {
            if (!STRATEGIES.contains(s)) {
                throw new ParameterException(spec.commandLine(), "--strategy: " + s + " is not active, passive or hybrid");
            }
        }
        List<Boolean> memory = new ArrayList<>();
        for (String m : memories) {
            switch (m) {
            case "on" -> memory.add(true);
            case "off" -> memory.add(false);
            default -> throw new ParameterException(spec.commandLine(), "--sensor-memory: " + m + " is not on or off");
            }
        }
        List<Boolean> security = new ArrayList<>();
        for (String s : securities) {
            switch (s) {
            case "on" -> security.add(true);
            case "off" -> security.add(false);
            default -> throw new ParameterException(spec.commandLine(), "--security: " + s + " is not on or off");
            }
        }
        if (!RunResult.ISOLATIONS.contains(isolation)) {
            throw new ParameterException(spec.commandLine(), "--isolation: " + isolation
                    + " is not inproc, process or netns");
        }
        if (scenarioSet.contains("campaign") && isolation.equals("inproc")) {
            throw new ParameterException(spec.commandLine(), "--scenario campaign: kills and hangs need a process "
                    + "per peer: add --isolation process (kills and hangs) or netns (every fault)");
        }
        if (faults < 1 || faults > 100) {
            throw new ParameterException(spec.commandLine(), "--faults: " + faults + " must be within 1..100");
        }
        List<RunSpec> out = new ArrayList<>();
        for (String scenario : scenarioSet) {
            for (FtMode mode : modes) {
                if (scenario.equals("swap") && mode == FtMode.NONE) {
                    continue; // without FT messages there is nothing to swap
                }
                List<String> strategiesHere = mode == FtMode.NONE ? strategies.subList(0, 1) : strategies;
                List<Boolean> memoryHere = mode == FtMode.NONE ? memory.subList(0, 1) : memory;
                for (String strategy : strategiesHere) {
                    for (boolean mem : memoryHere) {
                        List<List<RunSpec>> ways = new ArrayList<>();
                        for (boolean secure : security) {
                            ways.add(runs(scenario, mode, strategy, mem, secure, shape));
                        }
                        // on and off of one run one after the other, so that the machine's moods fall on both alike
                        for (int i = 0; i < ways.get(0).size(); i++) {
                            for (List<RunSpec> way : ways) {
                                out.add(way.get(i));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private List<RunSpec> runs(String scenario, FtMode mode, String strategy, boolean memory, boolean security,
            TreeShape shape) {
        List<RunSpec> out = new ArrayList<>();
        switch (scenario) {
        case "baseline" -> out.add(
                new RunSpec(scenario, mode, strategy, memory, isolation, security, seed, null, null, false));
        case "test1" -> FaultSchedule.testOne(shape, seed).forEach(p -> out.add(
                new RunSpec(scenario, mode, strategy, memory, isolation, security, seed, p, null, false)));
        case "test2" -> {
            for (FaultKind kind : FaultKind.values()) {
                FaultSchedule.testTwo(shape, seed, kind).forEach(p -> out.add(
                        new RunSpec(scenario, mode, strategy, memory, isolation, security, seed, p, null, false)));
            }
        }
        case "swap" -> {
            String to = STRATEGIES.get((STRATEGIES.indexOf(strategy) + 1) % STRATEGIES.size());
            out.add(new RunSpec(scenario, mode, strategy, memory, isolation, security, seed, null, to, false));
            out.add(new RunSpec(scenario, mode, strategy, memory, isolation, security, seed, null, to, true));
        }
        case "campaign" -> out.add(new RunSpec(scenario, mode, strategy, memory, isolation, security, seed, null, null,
                false, CampaignPlan.draw(seed, faults, isolation, BenchSettings.of(profile).faultAt())));
        default -> throw new IllegalStateException(scenario);
        }
        return out;
    }

    static MeshSystem system(TreeShape shape, BenchSettings settings, RunSpec run) {
        return system(shape, settings, run, InprocOptions.DEFAULTS);
    }

    /** @param inproc what inproc isolation sets apart from the runtime's defaults */
    static MeshSystem system(TreeShape shape, BenchSettings settings, RunSpec run, InprocOptions inproc) {
        return switch (run.isolation()) {
        case "inproc" -> new InprocSystem(shape, settings, run.strategy(), run.sensorMemory(), run.security(),
                inproc);
        case "process" -> new ProcessSystem(shape, settings, run.strategy(), run.sensorMemory(), run.security());
        case "netns" -> new ProcessSystem(shape, settings, run.strategy(), run.sensorMemory(), run.security(), true);
        default -> throw new IllegalStateException(run.isolation());
        };
    }

    private static String summary(RunResult r) {
        StringBuilder out = new StringBuilder();
        for (String name : RunResult.Classes.NAMES) {
            RunResult.ClassResult c = r.classes().get(name);
            out.append(String.format(Locale.ROOT, "%s lost %d/%d p50 %.2f ms  ", name, c.lost(), c.sent(),
                    c.latencyMs().p50()));
        }
        if (r.campaign() != null) {
            out.append(r.campaign().verdict()).append("  ");
        }
        RunResult.Scale s = r.scale();
        if (s != null && s.threads() != null) {
            out.append(String.format(Locale.ROOT, " formed in %.1f s, threads P3 / JGroups (channels) %s, heap per peer "
                    + "%.0f KB, CPU per packet %.1f µs", s.formSeconds(), ScaleTable.threads(s.threads()),
                    ScaleTable.heapPerPeerKb(s), ScaleTable.cpuMicrosPerPacket(r)));
        } else if (s != null) {
            // a process per peer: no threads or heap of theirs to see here, but each one's resident memory
            out.append(String.format(Locale.ROOT, " formed in %.1f s, resident MB per peer (median, max) %s, CPU per "
                    + "packet %.1f µs", s.formSeconds(), CampaignReport.resident(r), ScaleTable.cpuMicrosPerPacket(r)));
        }
        return out.toString().trim();
    }

    private String commandLine() {
        return "p3-bench mesh --scenario " + String.join(",", scenarios) + " --ft " + String.join(",", ftModes)
                + " --strategy " + String.join(",", strategies) + " --sensor-memory " + String.join(",", memories)
                + " --security " + String.join(",", securities) + " --isolation " + isolation + " --profile " + profile
                + (measure == null ? "" : " --measure " + DurationConverter.format(measure))
                + (linkHeartbeat == null ? "" : " --link-heartbeat " + DurationConverter.format(linkHeartbeat))
                + (storeBytes == null ? "" : " --store-bytes " + storeBytes)
                + " --seed " + seed + (scenarios.contains("campaign") ? " --faults " + faults : "")
                + " --span " + span + " --depth " + depth + " --supers-per-cell "
                + String.join(",", supersPerCell.stream().map(String::valueOf).toList()) + " --sensors-per-cell "
                + sensorsPerCell + " --sensors " + sensors + pairs(" --rate ", rates) + pairs(" --size ", sizes);
    }

    private static String pairs(String option, Map<String, String> values) {
        return values.isEmpty() ? "" : option + String.join(",", values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** What failed, on one line: the exception and the first line of its message. */
    static String firstLine(Throwable e) {
        String text = e.toString();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end) + " (...)";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("p3-bench: cleanup failed: " + e);
            }
        }
    }
}
