package p3.bench.mesh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Test I of one isolation in the form of the report's Tables III to VI and Figures 5 to 8: per FT
 * mode, latency +/- jitter per class and rebind times, per fault level and over all levels,
 * with the report's numbers (all levels together) beside.
 */
final class TestOneReport {

    private final List<RunResult> runs;
    private final String isolation;
    private final LossFigures figures;
    private final List<Integer> levels;
    /*
     * NO_FT replicates nothing, so neither the strategy nor the sensors' memory changes it: every
     * NO_FT run is the reference of every FT setting.
     */
    private final List<RunResult> noFt;

    /** @param runs the Test I runs of that isolation */
    TestOneReport(List<RunResult> runs, String isolation, LossFigures figures) {
        this.runs = runs;
        this.isolation = isolation;
        this.figures = figures;
        TreeSet<Integer> all = new TreeSet<>(List.of(0, 1, 2));
        runs.forEach(r -> all.add(r.fault().level()));
        this.levels = List.copyOf(all);
        this.noFt = select("none", null);
    }

    String markdown() throws IOException {
        return markdown("");
    }

    /** @param note a line said under the heading, e.g. that the runs' tree is not the report's */
    String markdown(String note) throws IOException {
        StringBuilder out = new StringBuilder("## Test I: one fault per level, " + isolation + "\n\n").append(note);
        out.append("### Table III: NO_FT, every strategy and sensor memory\n\n");
        out.append(table("none", noFt));
        out.append(figures.figure(5, "fig5-test1-none-" + isolation + ".svg",
                "Test I, NO_FT", "every strategy and sensor memory, " + isolation, points(noFt)));

        TreeSet<Setting> settings = new TreeSet<>(Setting.ORDER);
        settings.add(Setting.REPORT);
        runs.stream().filter(r -> !r.ftMode().equals("none")).map(Setting::of).forEach(settings::add);
        for (Setting s : settings) {
            out.append("### Strategy ").append(s.label()).append("\n\n");
            for (PaperNumbers.TestOneTable paper : PaperNumbers.TEST_ONE) {
                if (paper.ftMode().equals("none")) {
                    continue;
                }
                String mode = ReportWriter.modeName(paper.ftMode());
                List<RunResult> selected = select(paper.ftMode(), s);
                out.append("#### Table ").append(paper.table()).append(": ").append(mode).append("\n\n");
                out.append(table(paper.ftMode(), selected));
                out.append(figures.figure(paper.figure(),
                        "fig" + paper.figure() + "-test1-" + ReportWriter.slug(paper.ftMode()) + "-" + s.slug() + "-"
                                + isolation + ".svg",
                        "Test I, " + mode, s.label() + ", " + isolation, points(selected)));
            }
        }
        return out.toString();
    }

    private List<RunResult> select(String ftMode, Setting setting) {
        return runs.stream()
                .filter(r -> r.ftMode().equals(ftMode) && (setting == null || Setting.of(r).equals(setting)))
                .toList();
    }

    private String table(String ftMode, List<RunResult> selected) {
        PaperNumbers.TestOneTable paper = PaperNumbers.testOne(ftMode);
        boolean over = !ftMode.equals("none");
        List<String> header = new ArrayList<>(List.of(""));
        levels.forEach(l -> header.add("level " + l));
        header.add("all levels");
        if (over) {
            header.add("over NO_FT (%)");
        }
        header.add("report (Table " + paper.table() + ")");
        if (over) {
            header.add("report over NO_FT (%)");
        }
        MarkdownTable t = new MarkdownTable(header);
        for (String c : ReportWriter.CLASS_ORDER) {
            t.row(row(ReportWriter.className(c) + " latency (ms)", selected, rs -> Measures.latency(rs, c),
                    paper.latency(c), over));
        }
        t.row(row("Slow rebind (ms)", selected, Measures::slowRebinds, paper.slowRebind(), over));
        t.row(row("Fast rebind (ms)", selected, Measures::fastRebinds, paper.fastRebind(), over));
        t.row(row("Detection (ms)", selected, Measures::detection, null, over));
        List<String> lost = new ArrayList<>(List.of("Lost per run, video / audio / event"));
        levels.forEach(l -> lost.add(Measures.lost(atLevel(selected, l))));
        lost.add(Measures.lost(selected));
        if (over) {
            lost.add("");
        }
        lost.add("Fig. " + paper.figure());
        if (over) {
            lost.add("");
        }
        t.row(lost);
        return ReportWriter.runCount(selected) + t + "\n";
    }

    private List<String> row(String name, List<RunResult> selected, Function<Collection<RunResult>, MeanSd> measure,
            PaperNumbers.Figure paper, boolean over) {
        List<String> cells = new ArrayList<>(List.of(name));
        for (int l : levels) {
            List<RunResult> at = atLevel(selected, l);
            cells.add(Measures.cell(at, measure.apply(at)));
        }
        MeanSd all = measure.apply(selected);
        cells.add(Measures.cell(selected, all));
        if (over) {
            cells.add(Measures.percentOf(selected, all, noFt, measure.apply(noFt)));
        }
        cells.add(paper == null ? "not given" : paper.format());
        if (over) {
            cells.add(paper == null || paper.overNoFt() == null ? "" : paper.overNoFt().toString());
        }
        return cells;
    }

    private List<LossFigures.Point> points(List<RunResult> selected) {
        return levels.stream().map(l -> new LossFigures.Point("level " + l, null, atLevel(selected, l))).toList();
    }

    private static List<RunResult> atLevel(List<RunResult> runs, int level) {
        return runs.stream().filter(r -> r.fault().level() == level).toList();
    }
}
