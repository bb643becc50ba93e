package p3.bench.mesh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The scale table of issue 13 over the runs of one or more results files: per run that recorded its
 * scale figures, the time to form the tree, the threads, heap per peer, CPU per packet and the
 * client's latency, by the count of sensors; and the knee, the largest count whose fault-free runs
 * still hold (nothing lost, the client's p99 within {@value #P99_BOUND_MS} ms in every class).
 */
final class ScaleTable {

    /** The bound on the client's p99, in ms. */
    static final double P99_BOUND_MS = 20;

    /** A run and the file it came from. */
    record Row(Results results, RunResult run) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** The runs of these results that recorded scale figures, by sensors, then in the order given. */
    ScaleTable(List<Results> files) {
        for (Results f : files) {
            for (RunResult r : f.runs()) {
                if (r.scale() != null) {
                    rows.add(new Row(f, r));
                }
            }
        }
        rows.sort(Comparator.comparingInt(ScaleTable::sensors)); // stable: a file's runs keep their order
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    static int sensors(Row row) {
        return row.results().shapeOrReport().sensors();
    }

    String markdown() {
        if (rows.isEmpty()) {
            return "no run with scale figures (recorded from issue 13 on)\n";
        }
        MarkdownTable t = new MarkdownTable(List.of("sensors", "super-peers", "peers", "run", "security",
                "form (s)", "threads P3 / JGroups (channels)", "heap per peer (KB)", "CPU per packet (µs)",
                "packets/s at client", "frame hops/s", "lost", "client p50 / p99 (ms)",
                "holds"));
        for (Row row : rows) {
            RunResult r = row.run();
            RunResult.Scale s = r.scale();
            t.row(List.of(Integer.toString(sensors(row)), Integer.toString(s.superPeers()), Integer.toString(s.peers()),
                    describe(r), RunsReport.security(r), fixed(s.formSeconds(), 1), threads(s.threads()),
                    fixed(heapPerPeerKb(s), 0), fixed(cpuMicrosPerPacket(r), 1), fixed(perSecond(s.delivered(), r), 0),
                    fixed(perSecond(r.overhead().payloadMessages(), r), 0), Long.toString(lost(r)),
                    fixed(worst(r, true), 2) + " / " + fixed(worst(r, false), 2), holds(r) ? "yes" : "no"));
        }
        return t + "\n" + knee() + "\n";
    }

    /**
     * What the columns mean: the text that goes under the table.
     */
    static String legend() {
        return "form: from the first super-peer's start to the client bound (super-peers one at a time, so that one "
                + "founds the root, then sensors, then the client). threads: live at the end of the measured part, "
                + "P3's own (named p3-: the peers' strand pool, timer and pacing threads, the links' and discovery's "
                + "event loops, the cell groups' join and send pools) apart from JGroups' (made per cell channel, one "
                + "channel per super-peer). heap per peer: heap in use after a full GC at the end of the run less "
                + "that before the mesh formed, over the peers. CPU per packet: the process's CPU time from the "
                + "start of measurement until the last counts settled, over the packets the client received then. "
                + "frame hops/s: payload frames sent by all peers (every hop), per second measured. client p50 / "
                + "p99: the worst of the three classes. holds: nothing lost and, without faults, p99 within "
                + fixed(P99_BOUND_MS, 0) + " ms.\n";
    }

    /** {@code knee: 250 sensors ...}: the largest count whose fault-free runs all hold. */
    String knee() {
        List<Row> faultFree = rows.stream().filter(r -> r.run().fault() == null && r.run().swap() == null).toList();
        if (faultFree.isEmpty()) {
            return "knee: no fault-free run.";
        }
        OptionalInt knee = faultFree.stream().mapToInt(ScaleTable::sensors).distinct()
                .filter(n -> faultFree.stream().filter(r -> sensors(r) == n).allMatch(r -> holds(r.run()))).max();
        OptionalInt firstFailing = faultFree.stream().filter(r -> !holds(r.run())).mapToInt(ScaleTable::sensors).min();
        String held = knee.isPresent() ? "the largest count whose fault-free runs all hold: " + knee.getAsInt()
                + " sensors" : "no count whose fault-free runs all hold";
        return "knee: " + held + (firstFailing.isPresent() ? "; the first that does not: " + firstFailing.getAsInt()
                + " sensors." : "; every fault-free run holds.");
    }

    /** {@code baseline NO_FT}, {@code test1 FT_ALL hybrid, level 2}. */
    static String describe(RunResult r) {
        StringBuilder out = new StringBuilder(r.scenario()).append(' ').append(ReportWriter.modeName(r.ftMode()));
        if (!r.ftMode().equals("none")) {
            out.append(' ').append(r.strategy());
        }
        if (r.fault() != null) {
            out.append(", level ").append(r.fault().level());
            if (r.fault().count() > 1) {
                out.append(" (").append(r.fault().count()).append(" down)");
            }
        }
        return out.toString();
    }

    static String threads(RunResult.Threads t) {
        return t == null ? "—" : t.p3() + " / " + t.jgroups() + " (" + t.cellChannels() + ")";
    }

    /** (heap after GC - heap before the mesh) / peers, in KB; NaN where not measured. */
    static double heapPerPeerKb(RunResult.Scale s) {
        if (s.heapBaseMb() == null || s.heapAfterGcMb() == null) {
            return Double.NaN;
        }
        return Math.max(0, s.heapAfterGcMb() - s.heapBaseMb()) * 1024 / s.peers();
    }

    /** Process CPU over packets delivered to the client, in µs; NaN when none was. */
    static double cpuMicrosPerPacket(RunResult r) {
        return r.scale().delivered() == 0 ? Double.NaN : r.cpuSeconds() * 1e6 / r.scale().delivered();
    }

    private static double perSecond(long count, RunResult r) {
        return r.elapsedSeconds() == 0 ? Double.NaN : count / r.elapsedSeconds();
    }

    static long lost(RunResult r) {
        return RunResult.Classes.NAMES.stream().mapToLong(c -> r.classes().get(c).lost()).sum();
    }

    /** The worst p50 (or p99) of the classes, in ms. */
    static double worst(RunResult r, boolean p50) {
        return RunResult.Classes.NAMES.stream().map(c -> r.classes().get(c).latencyMs())
                .mapToDouble(l -> p50 ? l.p50() : l.p99()).max().orElse(Double.NaN);
    }

    /**
     * Something received of every class and nothing lost; in a fault-free run, also every class's p99
     * within the bound (a run with faults holds when it loses nothing, as the issue asks of Test I).
     */
    static boolean holds(RunResult r) {
        boolean received = RunResult.Classes.NAMES.stream().allMatch(c -> r.classes().get(c).received() > 0);
        boolean faultFree = r.fault() == null && r.swap() == null;
        return received && lost(r) == 0 && (!faultFree || worst(r, false) <= P99_BOUND_MS);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
