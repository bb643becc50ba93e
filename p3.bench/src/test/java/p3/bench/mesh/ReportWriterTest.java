package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.md from the stored fixture, whose figures were chosen to be checked by hand. */
class ReportWriterTest {

    @TempDir
    static Path dir;

    static List<Path> written;
    static String report;

    @BeforeAll
    static void write() throws Exception {
        Results results = ResultsJson.read(Path.of(ReportWriterTest.class.getResource("results.json").toURI()));
        written = ReportWriter.write(results, "results.json", dir);
        report = Files.readString(dir.resolve("report.md"));
    }

    @Test
    void theHeadingSaysWhereWhenAndHowTheRunsWereMade() {
        assertThat(report).startsWith("# P3 mesh bench report\n\nFrom `results.json`: 11 runs (baseline 1, swap 1, "
                + "test1 6, test2 3).");
        assertThat(report).contains("- machine: fixture: made up by hand", "- date: 2026-01-02T03:04:05Z",
                "- command: `p3-bench mesh --scenario test1,test2,baseline,swap --ft none,all --strategy active`");
    }

    @Test
    void tableThreeHasOursPerLevelPooledOverLevelsAndTheReportsBeside() {
        // video 10, 30, 20 ms at levels 0, 1, 2, 100 frames each: 20 +/- sqrt((100 + 100 + 0) / 3)
        assertThat(report).contains("| Video latency (ms) | 10 ± 0 | 30 ± 0 | 20 ± 0 | 20 ± 8 | 21 ± 2 |");
        assertThat(report).contains("| Audio latency (ms) | 20 ± 2 | 20 ± 2 | 20 ± 2 | 20 ± 2 | 39 ± 3 |");
        assertThat(report).contains("| Slow rebind (ms) | 1100 ± 100 | none | none | 1100 ± 100 | 1109 ± 896 |");
        assertThat(report).contains("| Fast rebind (ms) | none | 50 ± 10 | 50 ± 0 | 50 ± 8 | 47 ± 4 |");
        assertThat(report).contains("| Lost per run, video / audio / event | 60 / 90 / 30 | 20 / 40 / 10 | 10 / 20 / 5 | "
                + "30 / 50 / 15 | Fig. 5 |");
    }

    @Test
    void tableSixHasTheOverheadOverNoFtAsTheReportComputesIt() {
        assertThat(report).contains("#### Table VI: FT_ALL");
        assertThat(report).contains("| Video latency (ms) | 40 ± 0 | 40 ± 0 | 40 ± 0 | 40 ± 0 | 200 | 49 ± 4 | 233 |");
        assertThat(report).contains("| Event latency (ms) | 30 ± 1 | 30 ± 1 | 30 ± 1 | 30 ± 1 | 300 | 49 ± 3 | 233 |");
        assertThat(report).contains("| Slow rebind (ms) | none | none | 1100 ± 0 | 1100 ± 0 | 100 | 1088 ± 885 | 98 |");
        assertThat(report).contains("| Fast rebind (ms) | 60 ± 0 | 60 ± 0 | none | 60 ± 0 | 120 | 57 ± 16 | 121 |");
        assertThat(report).contains("| Detection (ms) | 25 ± 0 | 25 ± 0 | 25 ± 0 | 25 ± 0 | 83 | not given |  |");
    }

    @Test
    void modesThatWereNotRunSayNotRunBesideTheReportsNumbers() {
        assertThat(report).contains("#### Table IV: FT_EVENT\n\n_not run_");
        assertThat(report).contains(
                "| Video latency (ms) | not run | not run | not run | not run | not run | 24 ± 3 | 114 |");
        assertThat(report).contains(
                "| Audio latency (ms) | not run | not run | not run | not run | not run | 49 ± 2 | 126 |");
        assertThat(report).contains("**Figure 6, ours: Test I, FT_EVENT, active, sensors without memory, inproc**: "
                + "not run.");
    }

    @Test
    void tableSevenHasPeerAndCellFaultsBySuperPeersDown() {
        assertThat(report).contains("### Table VII: FT_ALL, active, sensors without memory");
        assertThat(report).contains("| super-peers down | 1 | 2 |");
        assertThat(report).contains("| Video (ms), ours, peer faults | 50 ± 5 | 400 ± 20 |");
        assertThat(report).contains("| Video (ms), ours, cell faults | not run | not run |");
        assertThat(report).contains("| Video (ms), report | 55 ± 1 | 443 ± 18 |");
        assertThat(report).contains("| Audio (ms), report | 72 ± 2 | 448 ± 17 |");
        assertThat(report).contains("| super-peers down | 1 | 2 | 3 | 4 |");
        assertThat(report).contains("| Video (ms), ours, cell faults | not run | 80 ± 10 | not run | not run |");
        assertThat(report).contains("| Event (ms), report | 53 ± 3 | 89 ± 30 | 103 ± 1 | 116 ± 14 |");
        assertThat(report).contains("| Lost per run, video / audio / event, peer faults | 3 / 4 / 1 | 300 / 450 / 150 |");
        assertThat(report).contains("| Video (ms), report | 47 ± 1 | 49 ± 2 | 46 ± 2 | 44 ± 2 | 45 ± 3 | 43 ± 3 | 48 ± 6 | "
                + "46 ± 4 |");
    }

    @Test
    void figuresAreWrittenAndLinkedRelatively() {
        assertThat(written.get(0)).isEqualTo(dir.resolve("report.md"));
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("report.md",
                "fig5-test1-none-inproc.svg", "fig8-test1-all-active-nomem-inproc.svg",
                "fig9-test2-all-active-nomem-peer-inproc.svg", "fig9-test2-all-active-nomem-cell-inproc.svg");
        for (Path svg : written.subList(1, written.size())) {
            assertThat(report).contains("](" + svg.getFileName() + ")");
        }
        assertThat(report).contains("> Report, Fig. 8 (FT_ALL): no loss of any class at levels 0 and 1");
    }

    @Test
    void resultsWithoutRunsGiveTheReportsNumbersAndNothingElse(@TempDir Path empty) throws Exception {
        Results none = new Results("m", "2026-01-01T00:00:00Z", "p3-bench mesh --scenario test1", List.of());

        List<Path> files = ReportWriter.write(none, "results.json", empty);

        assertThat(files).containsExactly(empty.resolve("report.md"));
        String md = Files.readString(files.get(0));
        assertThat(md).contains("0 runs", "## Test I: one fault per level, inproc", "#### Table VI: FT_ALL",
                "| Video latency (ms) | not run | not run | not run | not run | not run | 49 ± 4 | 233 |",
                "| Video (ms), report | 55 ± 1 | 443 ± 18 |", "**Figure 9, ours: Test II, peer faults");
    }

    @Test
    void everyRunHasALineAndTheOverheadIsSummed() {
        assertThat(report).contains("| 10 | baseline | NO_FT | active | off | inproc | ? | 7 | none | 1000 / 1000 / 1000 | "
                + "0 / 0 / 0 |");
        assertThat(report).contains("active->passive at 5s");
        assertThat(report).contains("| test1 | FT_ALL | active, sensors without memory | inproc | ? | 3 | 20.0 | 20.0 | 0.00 | 6.5 | "
                + "210.0 |");
    }
}
