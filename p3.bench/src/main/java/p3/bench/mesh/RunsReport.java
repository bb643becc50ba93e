package p3.bench.mesh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What the report's tables leave out: the mesh's overhead and the peers' resources per kind of
 * run (section IV-G-2, which the report announces and never fills), and every run on one line, so
 * that the baseline and swap runs are shown too.
 */
final class RunsReport {

    private final List<RunResult> runs;

    RunsReport(List<RunResult> runs) {
        this.runs = runs;
    }

    String markdown() {
        return "## Overhead and resources\n\n" + resources() + "\n## Every run\n\n" + everyRun();
    }

    private String resources() {
        if (runs.isEmpty()) {
            return Measures.NOT_RUN + "\n";
        }
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : runs) {
            String key = String.join(" | ", r.scenario(), ReportWriter.modeName(r.ftMode()),
                    Setting.of(r).label(), r.isolation(), security(r));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        MarkdownTable t = new MarkdownTable(List.of("scenario", "FT", "setting", "isolation", "security", "runs",
                "control / payload bytes (%)", "control / payload messages (%)", "replica bytes per payload byte",
                "CPU (s per run)", "heap (MB per run)"));
        groups.forEach((key, rs) -> {
            RunResult first = rs.get(0);
            t.row(List.of(first.scenario(), ReportWriter.modeName(first.ftMode()), Setting.of(first).label(),
                    first.isolation(), security(first), Integer.toString(rs.size()),
                    percent(rs.stream().mapToLong(r -> r.overhead().controlBytes()).sum(),
                            rs.stream().mapToLong(r -> r.overhead().payloadBytes()).sum()),
                    percent(rs.stream().mapToLong(r -> r.overhead().controlMessages()).sum(),
                            rs.stream().mapToLong(r -> r.overhead().payloadMessages()).sum()),
                    ratio(rs.stream().mapToLong(r -> r.overhead().replicationBytes()).sum(),
                            rs.stream().mapToLong(r -> r.overhead().payloadBytes()).sum()),
                    decimal(rs.stream().mapToDouble(RunResult::cpuSeconds).average().orElse(0)),
                    decimal(rs.stream().mapToDouble(RunResult::heapMb).average().orElse(0))));
        });
        return t.toString();
    }

    private static String ratio(long part, long whole) {
        return whole == 0 ? "—" : String.format(Locale.ROOT, "%.2f", (double) part / whole);
    }

    private String everyRun() {
        if (runs.isEmpty()) {
            return Measures.NOT_RUN + "\n";
        }
        MarkdownTable t = new MarkdownTable(List.of("#", "scenario", "FT", "strategy", "memory", "isolation",
                "security", "seed",
                "fault", "sent v / a / e", "lost v / a / e", "dup", "late", "latency v / a / e (ms)",
                "rebinds fast / slow", "s", "swap"));
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            t.row(List.of(Integer.toString(i + 1), r.scenario(), ReportWriter.modeName(r.ftMode()), r.strategy(),
                    r.sensorMemory() ? "on" : "off", r.isolation(), security(r), Long.toString(r.seed()),
                    fault(r.fault()),
                    perClass(r, c -> Long.toString(c.sent())), perClass(r, c -> Long.toString(c.lost())),
                    Long.toString(sum(r, RunResult.ClassResult::duplicates)),
                    Long.toString(sum(r, RunResult.ClassResult::late)),
                    perClass(r, c -> c.received() == 0 ? "-" : new MeanSd(c.latencyMs().mean(), c.latencyMs().stddev(),
                            c.received()).format()),
                    r.rebindMs().fast().size() + " / " + r.rebindMs().slow().size(), decimal(r.elapsedSeconds()),
                    r.swap() == null ? "" : r.swap()));
        }
        return t.toString();
    }

    /** {@code on}, {@code off}, or {@code ?} for a run recorded before the bench said. */
    static String security(RunResult r) {
        return r.security() == null ? "?" : r.security();
    }

    private static String fault(RunResult.Fault f) {
        return f == null ? "none" : "level " + f.level() + ", " + f.count() + " down by " + f.kind().label();
    }

    private static String perClass(RunResult r, Function<RunResult.ClassResult, String> cell) {
        return String.join(" / ", ReportWriter.CLASS_ORDER.stream().map(c -> cell.apply(r.classes().get(c))).toList());
    }

    private static long sum(RunResult r, ToLongFunction<RunResult.ClassResult> of) {
        return RunResult.Classes.NAMES.stream().mapToLong(c -> of.applyAsLong(r.classes().get(c))).sum();
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "—" : String.format(Locale.ROOT, "%.1f", 100.0 * part / whole);
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
