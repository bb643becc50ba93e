package p3.bench.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * report.md's campaign section: each run's verdict and what it delivered per class, then per
 * fault kind, over every run of one FT mode and strategy, the longest gaps, detection and rebind
 * against the targets, and the losses.
 */
final class CampaignReport {

    /** The longest gap a fault kind may cost an FT stream: a crash 100 ms (we aim at 30), a hang or a cut 1.5 s. */
    static double targetMs(Disruption kind) {
        return kind.kill() ? 100 : 1500;
    }

    private final List<RunResult> runs;

    CampaignReport(List<RunResult> runs) {
        this.runs = runs.stream().filter(r -> r.campaign() != null).toList();
    }

    String markdown() {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Fault campaign\n\n");
        md.append("Each run: a seeded schedule of faults, one every ").append(CampaignPlan.SLOT.toSeconds())
                .append(" s; the checker reads what the client delivered per sensor and class. Valid: no FT frame "
                        + "lost, none delivered twice, none out of order outside the faults. A fault's window runs "
                        + "from 1 s before it to 1 s before the next; its longest gap is the longest delay of an FT "
                        + "frame (of any frame without FT) sent from 1 s before it until it healed, and after healing "
                        + "the same for the rest of the window: a killed peer starting again and rejoining, a hung "
                        + "one resuming, a link coming back.\n\n");
        MarkdownTable verdicts = new MarkdownTable(List.of("isolation", "FT", "strategy", "seed", "faults", "verdict",
                "lost (FT)", "twice", "out of order", "false suspicions", "resident MB per peer (median, max)"));
        for (RunResult r : runs) {
            CampaignResult c = r.campaign();
            long lost = 0;
            long lostFt = 0;
            long twice = 0;
            long ooo = 0;
            for (CampaignResult.ClassCheck k : c.classes().values()) {
                lost += k.lost();
                lostFt += k.faultTolerant() ? k.lost() : 0;
                twice += k.deliveredTwice();
                ooo += k.outOfOrder();
            }
            verdicts.row(List.of(r.isolation(), r.ftMode(), r.strategy(), Long.toString(r.seed()),
                    Integer.toString(c.faults().size()), c.verdict(), lost + " (" + lostFt + ")", Long.toString(twice),
                    ooo + " (" + c.classes().values().stream().mapToLong(CampaignResult.ClassCheck::outOfOrderFaultFree)
                            .sum() + " outside faults)", Integer.toString(c.falseSuspicions().size()), resident(r)));
        }
        md.append(verdicts).append('\n');

        Map<String, List<RunResult>> byWay = new TreeMap<>();
        for (RunResult r : runs) {
            byWay.computeIfAbsent(r.isolation() + ", " + r.ftMode() + ", " + r.strategy(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<RunResult>> way : byWay.entrySet()) {
            md.append("### Per fault kind: ").append(way.getKey()).append("\n\n");
            MarkdownTable t = new MarkdownTable(List.of("fault", "faults", "longest gap ms (median, max)",
                    "after healing (median, max)", "target ms",
                    "detection ms (first, median)", "detection ms (last, max)", "rebind ms (max)", "lost (FT)",
                    "out of order"));
            for (Disruption kind : Disruption.values()) {
                List<CampaignResult.FaultResult> fs = new ArrayList<>();
                way.getValue().forEach(r -> r.campaign().faults().stream().filter(f -> f.kind() == kind).forEach(fs::add));
                if (fs.isEmpty()) {
                    continue;
                }
                List<Double> gaps = fs.stream().map(CampaignResult.FaultResult::longestGapMs).sorted().toList();
                List<Double> healGaps = fs.stream().map(CampaignResult.FaultResult::longestGapHealMs).sorted().toList();
                List<Double> first = fs.stream().map(CampaignResult.FaultResult::detectionMs)
                        .filter(d -> d != null).sorted().toList();
                Double last = fs.stream().map(CampaignResult.FaultResult::detectionLastMs).filter(d -> d != null)
                        .max(Double::compare).orElse(null);
                Double rebind = fs.stream().map(CampaignResult.FaultResult::rebindMs).filter(d -> d != null)
                        .max(Double::compare).orElse(null);
                long lost = fs.stream().mapToLong(CampaignResult.FaultResult::lost).sum();
                long lostFt = fs.stream().mapToLong(CampaignResult.FaultResult::lostFt).sum();
                long ooo = fs.stream().mapToLong(CampaignResult.FaultResult::outOfOrder).sum();
                t.row(List.of(kind.label(), Integer.toString(fs.size()), medianMax(gaps), medianMax(healGaps),
                        ms(targetMs(kind)),
                        first.isEmpty() ? "none" : ms(first.get(first.size() / 2)), last == null ? "none" : ms(last),
                        rebind == null ? "none" : ms(rebind), lost + " (" + lostFt + ")", Long.toString(ooo)));
            }
            md.append(t).append('\n');
        }

        md.append("### Every fault\n\n");
        MarkdownTable all = new MarkdownTable(List.of("run", "fault", "targets", "at s", "healed s", "back s", "detection ms",
                "rebind ms", "longest gap ms", "after healing", "lost (FT)", "out of order", "note"));
        for (RunResult r : runs) {
            String run = r.isolation() + " " + r.ftMode() + " " + r.strategy() + " seed " + r.seed();
            for (CampaignResult.FaultResult f : r.campaign().faults()) {
                all.row(List.of(run, f.kind().label(), String.join(" ", f.targets()), s(f.startS()), s(f.endS()),
                        s(f.backS()),
                        f.detectionMs() == null ? "none" : ms(f.detectionMs()) + " to " + ms(f.detectionLastMs()),
                        f.rebindMs() == null ? "none" : ms(f.rebindMs()), ms(f.longestGapMs()), ms(f.longestGapHealMs()),
                        f.lost() + " (" + f.lostFt() + ")", Long.toString(f.outOfOrder()),
                        f.note() == null ? "" : f.note()));
            }
        }
        md.append(all).append('\n');
        return md.toString();
    }

    /** {@code 212, 251}: the median and the largest of the live peers' resident memory at the end. */
    static String resident(RunResult r) {
        if (r.scale() == null || r.scale().residentMb() == null || r.scale().residentMb().isEmpty()) {
            return "not measured";
        }
        List<Double> mb = r.scale().residentMb().values().stream().sorted().toList();
        return String.format(Locale.ROOT, "%.0f, %.0f", mb.get(mb.size() / 2), mb.get(mb.size() - 1));
    }

    /** {@code 70, 101}: of values sorted. */
    private static String medianMax(List<Double> sorted) {
        return ms(sorted.get(sorted.size() / 2)) + ", " + ms(sorted.get(sorted.size() - 1));
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    private static String s(double v) {
        return v < 0 ? "never" : String.format(Locale.ROOT, "%.1f", v);
    }
}
