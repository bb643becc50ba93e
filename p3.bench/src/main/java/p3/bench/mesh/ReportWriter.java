package p3.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * report.md and its SVG figures from a results.json: our Tables III to VII and Figures 5 to 9 with
 * the report's numbers beside, then overhead, resources and every run.
 */
public final class ReportWriter {

    /** The report's order of the classes in its tables and figures. */
    static final List<String> CLASS_ORDER = List.of("video", "audio", "event");

    private static final Map<String, String> MODE_NAMES = Map.of(
            "none", "NO_FT", "event", "FT_EVENT", "event+video", "FT_EVENT+VIDEO", "all", "FT_ALL");

    private ReportWriter() {
    }

    /**
     * Writes report.md and the figures into {@code dir}, made if need be.
     *
     * @param source what the results came from, for the heading (e.g. {@code results.json})
     * @return the files written, report.md first
     */
    public static List<Path> write(Results results, String source, Path dir) throws IOException {
        Files.createDirectories(dir);
        LossFigures figures = new LossFigures(dir);
        StringBuilder md = new StringBuilder(heading(results, source));
        String note = unlikeNote(results);
        List<String> securities = securities(results.runs());
        // a campaign's own section says all of it: no empty Tables III to VII above it
        boolean campaignsOnly = !results.runs().isEmpty()
                && results.runs().stream().allMatch(r -> r.campaign() != null);
        for (String isolation : campaignsOnly ? List.<String>of() : isolations(results.runs())) {
            for (String security : securities) {
                md.append(new TestOneReport(runs(results, "test1", isolation, security), variant(isolation, security,
                        securities), figures).markdown(note));
            }
        }
        for (String isolation : campaignsOnly ? List.<String>of() : isolations(results.runs())) {
            for (String security : securities) {
                md.append(new TestTwoReport(runs(results, "test2", isolation, security), variant(isolation, security,
                        securities), figures).markdown(note));
            }
        }
        md.append(new CampaignReport(results.runs()).markdown());
        md.append(new RunsReport(results.runs()).markdown());
        ScaleTable scale = new ScaleTable(List.of(results));
        if (!scale.isEmpty()) {
            md.append("\n## Scale\n\n").append(scale.markdown()).append('\n').append(ScaleTable.legend());
        }
        Path report = dir.resolve("report.md");
        Files.writeString(report, md, StandardCharsets.UTF_8);
        List<Path> written = new ArrayList<>(List.of(report));
        written.addAll(figures.written());
        return written;
    }

    private static String heading(Results results, String source) {
        Map<String, Long> byScenario = results.runs().stream()
                .collect(Collectors.groupingBy(RunResult::scenario, TreeMap::new, Collectors.counting()));
        String counts = byScenario.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
        return "# P3 mesh bench report\n\n"
                + "From `" + source + "`: " + results.runs().size() + " runs" + (byScenario.isEmpty() ? "" : counts)
                + ".\n\n"
                + "- machine: " + results.machine() + "\n"
                + "- date: " + results.date() + "\n"
                + "- command: `" + results.command() + "`\n"
                + "- security: " + securityLine(results.runs()) + "\n"
                + "- tree: " + describe(results.shapeOrReport()) + (results.shape() == null ? " (not recorded: the "
                        + "report's)" : "") + "\n"
                + "- traffic of each sensor: " + describe(results.trafficOrTableI()) + (results.traffic() == null
                        ? " (not recorded: Table I's)" : "") + "\n\n"
                + unlikeNote(results)
                + "The report's numbers (DCC-2010-02, section IV-I) come from active replication with sensors "
                + "that have no memory, a span-2 tree of 2 super-peers per cell at levels 0 to 2, on four machines "
                + "over 100 Mbit/s Ethernet (its Table II); ours from the machine above. Latencies are one-way, "
                + "mean ± jitter (standard deviation) in ms, pooled over the runs of a cell weighted by frames "
                + "received; rebind and detection times pooled over every failure. \"over NO_FT (%)\" is, as in the "
                + "report, the mean as a percentage of NO_FT's (114 is 14 % slower). \"not run\" marks what the "
                + "results hold no run of.\n\n";
    }

    /**
     * {@code span 2, depth 2 (levels 0..2), 2 super-peers per cell, at most 2 sensors per cell, 8 sensors:
     * 14 super-peers}; per level where the levels differ ({@code 1,2 super-peers per cell from the root}).
     */
    static String describe(TreeShape shape) {
        long supers = 0;
        for (int level = 0; level <= shape.depth(); level++) {
            supers += (long) shape.cells(level).size() * shape.superPeers(level);
        }
        List<Integer> per = shape.superPeersPerCell();
        String perCell = per.size() == 1 ? per.get(0) + " super-peers per cell"
                : per.stream().map(String::valueOf).collect(Collectors.joining(",")) + " super-peers per cell from the "
                        + "root";
        return "span " + shape.span() + ", depth " + shape.depth() + " (levels 0.." + shape.depth() + "), " + perCell
                + ", at most " + shape.sensorsPerCell() + " sensors per cell, " + shape.sensors() + " sensors: "
                + supers + " super-peers";
    }

    /** {@code audio 38/s of 418 B, video 24/s of 4180 B, event 25/s of 1024 B at random}. */
    static String describe(List<Traffic> traffic) {
        return traffic.stream().map(Traffic::describe).collect(Collectors.joining(", "));
    }

    /**
     * A line saying that the runs' tree or traffic is not the report's, so that the report's
     * numbers beside ours compare unlike runs; empty when both are the report's.
     */
    static String unlikeNote(Results results) {
        List<String> unlike = new ArrayList<>();
        if (!results.shapeOrReport().equals(TreeShape.report())) {
            unlike.add("tree (" + describe(results.shapeOrReport()) + "; the report's: " + describe(TreeShape.report())
                    + ")");
        }
        if (!results.trafficOrTableI().equals(BenchSettings.TABLE_I)) {
            unlike.add("traffic (" + describe(results.trafficOrTableI()) + "; Table I's: "
                    + describe(BenchSettings.TABLE_I) + ")");
        }
        return unlike.isEmpty() ? "" : "_Note: these runs differ from the report's in their "
                + String.join(" and in their ", unlike) + ": its numbers beside ours are of another mesh._\n\n";
    }

    /** Those present, in the order of {@link RunResult#ISOLATIONS}; inproc alone when there is no run. */
    private static Set<String> isolations(List<RunResult> runs) {
        Set<String> present = new LinkedHashSet<>();
        RunResult.ISOLATIONS.stream().filter(i -> runs.stream().anyMatch(r -> r.isolation().equals(i)))
                .forEach(present::add);
        return present.isEmpty() ? Set.of("inproc") : present;
    }

    /**
     * The security settings the results hold, {@code on} before {@code off}, {@code ?} for runs
     * recorded before the bench said; a list of one (and the tables not split by it) when all agree.
     */
    private static List<String> securities(List<RunResult> runs) {
        List<String> present = new ArrayList<>();
        for (String s : List.of("on", "off", "?")) {
            if (runs.stream().anyMatch(r -> RunsReport.security(r).equals(s))) {
                present.add(s);
            }
        }
        return present.size() > 1 ? present : List.of("");
    }

    /** What a Test I or II section is of, in its heading and its figures' names: {@code inproc-security-off}. */
    private static String variant(String isolation, String security, List<String> securities) {
        return security.isEmpty() ? isolation : isolation + "-security-" + (security.equals("?") ? "unknown" : security);
    }

    private static String securityLine(List<RunResult> runs) {
        Map<String, Long> counts = runs.stream()
                .collect(Collectors.groupingBy(RunsReport::security, TreeMap::new, Collectors.counting()));
        String what = "on: every peer has a certificate of the mesh's CA and its links are TLS 1.3 with mutual "
                + "authentication; off: all in the clear";
        if (counts.isEmpty()) {
            return what;
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " in " + e.getValue() + (e.getValue() == 1 ? " run"
                : " runs")).collect(Collectors.joining(", ")) + " (" + what + (counts.containsKey("?")
                        ? "; ?: recorded before the bench said" : "") + ")";
    }

    private static List<RunResult> runs(Results results, String scenario, String isolation, String security) {
        return results.runs().stream()
                .filter(r -> r.scenario().equals(scenario) && r.isolation().equals(isolation)
                        && (security.isEmpty() || RunsReport.security(r).equals(security)))
                .toList();
    }

    /** NO_FT, FT_EVENT, FT_EVENT+VIDEO or FT_ALL: the report's names of the FT modes. */
    static String modeName(String ftMode) {
        return MODE_NAMES.getOrDefault(ftMode, ftMode);
    }

    /** An FT mode in a file name: {@code event-video}. */
    static String slug(String ftMode) {
        return ftMode.replace('+', '-');
    }

    static String className(String trafficClass) {
        return Character.toUpperCase(trafficClass.charAt(0)) + trafficClass.substring(1);
    }

    /** The line above a table: how many runs it draws on, with which seeds. */
    static String runCount(List<RunResult> runs) {
        if (runs.isEmpty()) {
            return "_" + Measures.NOT_RUN + "_\n\n";
        }
        String seeds = runs.stream().map(r -> Long.toString(r.seed())).distinct().collect(Collectors.joining(", "));
        return "_" + runs.size() + (runs.size() == 1 ? " run" : " runs") + ", seed " + seeds + "_\n\n";
    }
}
