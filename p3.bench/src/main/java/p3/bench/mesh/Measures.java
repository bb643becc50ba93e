package p3.bench.mesh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Figures over several runs, and the cells of report.md that show them. */
final class Measures {

    static final String NOT_RUN = "not run";

    private Measures() {
    }

    /** One-way latency of a class over the runs, each weighted by the frames it received. */
    static MeanSd latency(Collection<RunResult> runs, String trafficClass) {
        List<MeanSd> parts = new ArrayList<>();
        for (RunResult r : runs) {
            RunResult.ClassResult c = r.classes().get(trafficClass);
            parts.add(new MeanSd(c.latencyMs().mean(), c.latencyMs().stddev(), c.received()));
        }
        return MeanSd.pool(parts);
    }

    static MeanSd fastRebinds(Collection<RunResult> runs) {
        return values(runs, r -> r.rebindMs().fast());
    }

    static MeanSd slowRebinds(Collection<RunResult> runs) {
        return values(runs, r -> r.rebindMs().slow());
    }

    static MeanSd detection(Collection<RunResult> runs) {
        return values(runs, RunResult::detectionMs);
    }

    private static MeanSd values(Collection<RunResult> runs, Function<RunResult, List<Double>> of) {
        return MeanSd.of(runs.stream().flatMap(r -> of.apply(r).stream()).toList());
    }

    /** Lost frames of a class, mean per run; NaN for no run. */
    static double meanLost(Collection<RunResult> runs, String trafficClass) {
        return runs.stream().mapToLong(r -> r.classes().get(trafficClass).lost()).average().orElse(Double.NaN);
    }

    /** {@code 21 ± 2}; "not run" without runs; "none" when the runs measured nothing of it. */
    static String cell(Collection<RunResult> runs, MeanSd figure) {
        return runs.isEmpty() ? NOT_RUN : figure.empty() ? "none" : figure.format();
    }

    /** Lost per run, video / audio / event, as the report's figures order the classes. */
    static String lost(Collection<RunResult> runs) {
        if (runs.isEmpty()) {
            return NOT_RUN;
        }
        List<String> parts = new ArrayList<>();
        for (String c : ReportWriter.CLASS_ORDER) {
            parts.add(number(meanLost(runs, c)));
        }
        return String.join(" / ", parts);
    }

    /** The report's "Overhead over no-FT (%)": FT's mean as a percentage of NO_FT's. */
    static String percentOf(Collection<RunResult> runs, MeanSd figure, Collection<RunResult> noFtRuns, MeanSd noFt) {
        if (runs.isEmpty()) {
            return NOT_RUN;
        }
        if (noFtRuns.isEmpty()) {
            return "no NO_FT run";
        }
        if (figure.empty() || noFt.empty() || noFt.mean() == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f", 100 * figure.mean() / noFt.mean());
    }

    /** Whole numbers as such, fractions (means over runs) with one decimal. */
    static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
