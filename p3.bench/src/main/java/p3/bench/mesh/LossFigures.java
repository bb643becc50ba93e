package p3.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Our Figures 5 to 9: lost frames per class, as grouped bars, one SVG file each beside report.md,
 * and the Markdown that links it with the report's own words on its figure beneath.
 */
final class LossFigures {

    /** The report's colours: video yellow, audio blue, events red (section IV-I). */
    static final List<BarChart.Series> SERIES = List.of(
            new BarChart.Series("video", "#e3b505"),
            new BarChart.Series("audio", "#2b6cb0"),
            new BarChart.Series("event", "#c53030"));

    private static final String Y_TITLE = "lost frames (mean per run)";

    /** Where the points of a chart were measured: its label, band and runs. */
    record Point(String label, String band, Collection<RunResult> runs) {
    }

    private final Path dir;
    private final List<Path> written = new ArrayList<>();

    LossFigures(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes the chart unless no point was run, and says so in the Markdown.
     *
     * @param figure the report's figure number, 5 to 9
     * @param file   the SVG's file name, relative to report.md
     * @param title  what was run, e.g. {@code Test II, peer faults}
     * @param setting  how, e.g. {@code FT_ALL, active, sensors without memory, inproc}
     */
    String figure(int figure, String file, String title, String setting, List<Point> points) throws IOException {
        String heading = "Figure " + figure + ", ours: " + title;
        if (points.stream().allMatch(p -> p.runs().isEmpty())) {
            return "**" + heading + ", " + setting + "**: " + Measures.NOT_RUN + ".\n\n> Report, "
                    + PaperNumbers.figureText(figure) + "\n\n";
        }
        List<BarChart.Category> categories = new ArrayList<>();
        for (Point p : points) {
            categories.add(new BarChart.Category(p.label(), p.band(), p.runs().isEmpty() ? null : lost(p.runs())));
        }
        Path svg = dir.resolve(file);
        Files.writeString(svg, new BarChart(heading, setting, Y_TITLE, SERIES, categories).svg(), StandardCharsets.UTF_8);
        written.add(svg);
        return "![" + heading + ", " + setting + "](" + file + ")\n\n> Report, " + PaperNumbers.figureText(figure) + "\n\n";
    }

    List<Path> written() {
        return List.copyOf(written);
    }

    private static double[] lost(Collection<RunResult> runs) {
        double[] values = new double[SERIES.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = Measures.meanLost(runs, SERIES.get(k).name());
        }
        return values;
    }
}
