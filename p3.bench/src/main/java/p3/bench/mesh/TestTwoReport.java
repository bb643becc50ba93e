package p3.bench.mesh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test II of one isolation in the form of the report's Table VII and Figure 9: per FT mode and
 * setting, per level, latency +/- jitter and loss by the number of super-peers down, peer faults
 * and cell faults side by side, with Table VII's numbers beside.
 */
final class TestTwoReport {

    /** The FT mode and setting of a set of Test II runs; the report ran only FT_ALL, active, without memory. */
    private record Group(String ftMode, Setting setting) {

        static final Group REPORT = new Group("all", Setting.REPORT);

        static final Comparator<Group> ORDER = Comparator.comparing((Group g) -> !g.equals(REPORT))
                .thenComparing(g -> RunResult.FT_MODES.indexOf(g.ftMode))
                .thenComparing(Group::setting, Setting.ORDER);

        static Group of(RunResult r) {
            return new Group(r.ftMode(), Setting.of(r));
        }
    }

    private final List<RunResult> runs;
    private final String isolation;
    private final LossFigures figures;

    /** @param runs the Test II runs of that isolation */
    TestTwoReport(List<RunResult> runs, String isolation, LossFigures figures) {
        this.runs = runs;
        this.isolation = isolation;
        this.figures = figures;
    }

    String markdown() throws IOException {
        return markdown("");
    }

    /** @param note a line said under the heading, e.g. that the runs' tree is not the report's */
    String markdown(String note) throws IOException {
        StringBuilder out = new StringBuilder("## Test II: faults at one level until its super-peers are gone, "
                + isolation + "\n\n").append(note);
        TreeSet<Group> groups = new TreeSet<>(Group.ORDER);
        groups.add(Group.REPORT);
        runs.stream().map(Group::of).forEach(groups::add);
        for (Group g : groups) {
            List<RunResult> selected = runs.stream().filter(r -> Group.of(r).equals(g)).toList();
            String title = ReportWriter.modeName(g.ftMode()) + ", " + g.setting().label();
            out.append("### Table VII: ").append(title).append("\n\n").append(ReportWriter.runCount(selected));
            Set<FaultKind> kinds = kinds(selected);
            TreeSet<Integer> levels = PaperNumbers.testTwoLevels();
            selected.forEach(r -> levels.add(r.fault().level()));
            for (int level : levels) {
                out.append("Level ").append(level).append(":\n\n").append(table(selected, kinds, level)).append('\n');
            }
            for (FaultKind k : kinds) {
                List<RunResult> ofKind = selected.stream().filter(r -> r.fault().kind() == k).toList();
                out.append(figures.figure(9, "fig9-test2-" + ReportWriter.slug(g.ftMode()) + "-" + g.setting().slug()
                        + "-" + k.label() + "-" + isolation + ".svg",
                        "Test II, " + k.label() + " faults", title + ", " + isolation, points(ofKind, levels)));
            }
        }
        return out.toString();
    }

    /** The kinds that were run; peer faults alone when none was, as "not run". */
    private static Set<FaultKind> kinds(List<RunResult> selected) {
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        selected.forEach(r -> kinds.add(r.fault().kind()));
        return kinds.isEmpty() ? EnumSet.of(FaultKind.PEER) : kinds;
    }

    private static String table(List<RunResult> selected, Set<FaultKind> kinds, int level) {
        TreeSet<Integer> counts = new TreeSet<>(PaperNumbers.testTwoCounts(level));
        selected.stream().filter(r -> r.fault().level() == level).forEach(r -> counts.add(r.fault().count()));
        List<String> header = new ArrayList<>(List.of("super-peers down"));
        counts.forEach(c -> header.add(c.toString()));
        MarkdownTable t = new MarkdownTable(header);
        for (String c : ReportWriter.CLASS_ORDER) {
            for (FaultKind k : kinds) {
                List<String> cells = new ArrayList<>(List.of(ReportWriter.className(c) + " (ms), ours, " + k.label()
                        + " faults"));
                for (int n : counts) {
                    List<RunResult> at = at(selected, k, level, n);
                    cells.add(Measures.cell(at, Measures.latency(at, c)));
                }
                t.row(cells);
            }
            List<String> paper = new ArrayList<>(List.of(ReportWriter.className(c) + " (ms), report"));
            for (int n : counts) {
                paper.add(PaperNumbers.testTwo(level, n, c).map(PaperNumbers.Figure::format).orElse("—"));
            }
            t.row(paper);
        }
        for (FaultKind k : kinds) {
            List<String> cells = new ArrayList<>(List.of("Lost per run, video / audio / event, " + k.label()
                    + " faults"));
            counts.forEach(n -> cells.add(Measures.lost(at(selected, k, level, n))));
            t.row(cells);
        }
        return t.toString();
    }

    private static List<LossFigures.Point> points(List<RunResult> ofKind, TreeSet<Integer> levels) {
        List<LossFigures.Point> points = new ArrayList<>();
        for (int level : levels) {
            TreeSet<Integer> counts = new TreeSet<>();
            ofKind.stream().filter(r -> r.fault().level() == level).forEach(r -> counts.add(r.fault().count()));
            String band = "level " + level;
            if (counts.isEmpty()) {
                points.add(new LossFigures.Point("", band, List.of()));
            }
            for (int n : counts) {
                points.add(new LossFigures.Point(n + " down", band, ofKind.stream()
                        .filter(r -> r.fault().level() == level && r.fault().count() == n).toList()));
            }
        }
        return points;
    }

    private static List<RunResult> at(List<RunResult> runs, FaultKind kind, int level, int count) {
        return runs.stream().filter(r -> r.fault().kind() == kind && r.fault().level() == level
                && r.fault().count() == count).toList();
    }
}
