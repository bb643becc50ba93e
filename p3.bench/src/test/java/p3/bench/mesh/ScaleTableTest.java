package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import p3.bench.mesh.RunResult.ClassResult;
import p3.bench.mesh.RunResult.Classes;
import p3.bench.mesh.RunResult.Latency;
import picocli.CommandLine;

/** The scale figures of a run: recorded, read back, derived, tabled, and the knee found. */
class ScaleTableTest {

    @TempDir
    Path dir;

    /** 23 peers, 2 MB more heap after the mesh than before, 12.5 s to form, 10,000 packets delivered. */
    static final RunResult.Scale SCALE = new RunResult.Scale(14, 23, 12.5, 10_000,
            new RunResult.Threads(16, 105, 12, 14), 20.0, 22.0);

    /** A baseline run of {@code sensors} sensors (the shape says), its p99 and lost frames. */
    static Results results(int sensors, double p99, long lost) {
        RunResult base = SampleRuns.run("baseline", "none", null, 0, 1);
        ClassResult c = new ClassResult(1000, 1000 - lost, lost, 0, 0, new Latency(1, 0.5, 0.5, p99, p99 + 5));
        RunResult r = new RunResult(base.scenario(), base.ftMode(), base.strategy(), base.sensorMemory(),
                base.isolation(), base.seed(), null, new Classes(c, c, c), base.rebindMs(), base.detectionMs(),
                base.overhead(), base.cpuSeconds(), base.heapMb(), base.elapsedSeconds(), null, "on", SCALE);
        TreeShape shape = sensors == 8 ? TreeShape.report() : new TreeShape(4, 3, List.of(2), 8, sensors);
        return new Results("test machine", "2026-01-02T03:04:05Z", "p3-bench mesh --sensors " + sensors, shape,
                BenchSettings.TABLE_I, List.of(r));
    }

    @Test
    void theScaleFiguresGoToResultsJsonAndBack() throws Exception {
        Results r = results(64, 3, 0);

        String json = ResultsJson.write(r);

        assertThat(json).contains("\"scale\"", "\"super_peers\" : 14", "\"peers\" : 23", "\"form_s\" : 12.5",
                "\"delivered\" : 10000", "\"threads\"", "\"p3\" : 16", "\"jgroups\" : 105", "\"other\" : 12",
                "\"cell_channels\" : 14", "\"heap_base_mb\" : 20.0", "\"heap_after_gc_mb\" : 22.0");
        assertThat(ResultsJson.parse(json, "test")).isEqualTo(r);
    }

    @Test
    void resultsWrittenBeforeHaveNoScaleAndNoRowInTheTable() throws Exception {
        Results old = ResultsJson.read(Path.of(getClass().getResource("results.json").toURI()));

        assertThat(old.runs()).allMatch(run -> run.scale() == null);
        assertThat(new ScaleTable(List.of(old)).isEmpty()).isTrue();
        assertThat(ReportWriter.write(old, "results.json", dir).get(0)).content().doesNotContain("## Scale");
    }

    @Test
    void processIsolationLeavesThreadsAndHeapOut() throws Exception {
        RunResult.Scale s = new RunResult.Scale(14, 23, 30, 100, null, null, null);
        RunResult run = results(8, 1, 0).runs().get(0).withScale(s);
        String json = ResultsJson.write(new Results("m", "d", "c", List.of(run)));

        assertThat(json).contains("\"threads\" : null", "\"heap_after_gc_mb\" : null");
        assertThat(ResultsJson.parse(json, "test").runs().get(0).scale()).isEqualTo(s);
        assertThat(ScaleTable.threads(s.threads())).isEqualTo("—");
        assertThat(ScaleTable.heapPerPeerKb(s)).isNaN();
    }

    @Test
    void aBadScaleFigureIsNamedWithItsPath() {
        String json = ResultsJson.write(results(64, 3, 0));

        assertThatThrownBy(() -> ResultsJson.parse(json.replace("\"form_s\" : 12.5", "\"form_s\" : -1"), "r.json"))
                .isInstanceOf(MalformedResultsException.class).hasMessageContaining("runs[0].scale")
                .hasMessageContaining("form_s must be a finite number, not negative: -1");
        assertThatThrownBy(() -> ResultsJson.parse(json.replace("\"peers\" : 23", "\"peers\" : 0"), "r.json"))
                .isInstanceOf(MalformedResultsException.class).hasMessageContaining("peers must be at least 1");
        assertThatThrownBy(() -> ResultsJson.parse(json.replace("\"delivered\" : 10000,", ""), "r.json"))
                .isInstanceOf(MalformedResultsException.class).hasMessageContaining("runs[0].scale.delivered");
    }

    @Test
    void theDerivedFigures() {
        RunResult r = results(64, 3, 0).runs().get(0);

        // 2 MB over 23 peers; 3.25 s of CPU over 10,000 packets; the worst class: audio at latency + 10
        assertThat(ScaleTable.heapPerPeerKb(SCALE)).isCloseTo(2 * 1024.0 / 23, within(1e-9));
        assertThat(ScaleTable.cpuMicrosPerPacket(r)).isCloseTo(325, within(1e-9));
        assertThat(ScaleTable.threads(SCALE.threads())).isEqualTo("16 / 105 (14)");
        assertThat(ScaleTable.describe(SampleRuns.run("test1", "all", SampleRuns.peers(2, 1), 0, 1)))
                .isEqualTo("test1 FT_ALL active, level 2");
        assertThat(ScaleTable.describe(SampleRuns.run("test2", "all", SampleRuns.peers(1, 3), 0, 1)))
                .isEqualTo("test2 FT_ALL active, level 1 (3 down)");
    }

    @Test
    void aRunHoldsWithNothingLostAndTheWorstP99WithinTwentyMs() {
        assertThat(ScaleTable.holds(results(8, 20, 0).runs().get(0))).isTrue();
        assertThat(ScaleTable.holds(results(8, 20.5, 0).runs().get(0))).isFalse();
        assertThat(ScaleTable.holds(results(8, 1, 1).runs().get(0))).isFalse();
    }

    @Test
    void theTableHasARowPerSizeInOrderAndTheKnee() {
        String md = new ScaleTable(List.of(results(500, 80, 12), results(8, 1, 0), results(250, 19, 0),
                results(64, 2, 0))).markdown();

        assertThat(md).contains("| sensors | super-peers | peers | run | security | form (s) | threads P3 / JGroups "
                + "(channels) | heap per peer (KB) | CPU per packet (µs) | packets/s at client | frame hops/s | lost | "
                + "client p50 / p99 (ms) | holds |");
        // 10,000 delivered over 12 s; 8,000 payload frames over 12 s
        assertThat(md).contains("| 8 | 14 | 23 | baseline NO_FT | on | 12.5 | 16 / 105 (14) | 89 | 325.0 | 833 | 667 "
                + "| 0 | 0.50 / 1.00 | yes |");
        assertThat(md).contains("| 500 | 14 | 23 | baseline NO_FT | on | 12.5 | 16 / 105 (14) | 89 | 325.0 | 833 | "
                + "667 | 36 | 0.50 / 80.00 | no |");
        assertThat(md.indexOf("| 8 |")).isLessThan(md.indexOf("| 64 |"));
        assertThat(md.indexOf("| 64 |")).isLessThan(md.indexOf("| 250 |"));
        assertThat(md.indexOf("| 250 |")).isLessThan(md.indexOf("| 500 |"));
        assertThat(md).contains("knee: the largest count whose fault-free runs all hold: 250 sensors; the first that "
                + "does not: 500 sensors.");
    }

    @Test
    void theKneeIgnoresRunsWithFaults() {
        Results faulty = results(500, 80, 12);
        RunResult r = faulty.runs().get(0);
        RunResult test1 = new RunResult("test1", "all", "hybrid", true, "inproc", 1, SampleRuns.peers(0, 1),
                r.classes(), r.rebindMs(), r.detectionMs(), r.overhead(), r.cpuSeconds(), r.heapMb(),
                r.elapsedSeconds(), null, "on", SCALE);
        Results withFault = new Results(faulty.machine(), faulty.date(), faulty.command(), faulty.shape(),
                faulty.traffic(), List.of(test1));

        assertThat(new ScaleTable(List.of(results(8, 1, 0), withFault)).knee())
                .isEqualTo("knee: the largest count whose fault-free runs all hold: 8 sensors; every fault-free run "
                        + "holds.");
        assertThat(new ScaleTable(List.of(withFault)).knee()).isEqualTo("knee: no fault-free run.");
    }

    @Test
    void aRunWithAFaultHoldsWhenItLosesNothingWhateverItsP99() {
        RunResult slow = results(500, 80, 0).runs().get(0);
        RunResult test1 = new RunResult("test1", "all", "hybrid", true, "inproc", 1, SampleRuns.peers(0, 1),
                slow.classes(), slow.rebindMs(), slow.detectionMs(), slow.overhead(), slow.cpuSeconds(), slow.heapMb(),
                slow.elapsedSeconds(), null, "on", SCALE);
        RunResult lossy = results(500, 80, 3).runs().get(0);
        RunResult test1Lossy = new RunResult("test1", "all", "hybrid", true, "inproc", 1, SampleRuns.peers(0, 1),
                lossy.classes(), lossy.rebindMs(), lossy.detectionMs(), lossy.overhead(), lossy.cpuSeconds(),
                lossy.heapMb(), lossy.elapsedSeconds(), null, "on", SCALE);

        assertThat(ScaleTable.holds(slow)).isFalse();
        assertThat(ScaleTable.holds(test1)).isTrue();
        assertThat(ScaleTable.holds(test1Lossy)).isFalse();
    }

    @Test
    void threadsAreSortedByWhoMadeThem() {
        RunResult.Threads t = LiveThreads.count(List.of("p3-peer-1", "p3-link-1-1", "p3-sources-3", "p3-bench-cleanup",
                "ucast-receiver-3,p3.t1a2b3c4d.cell.012,sp07", "Timer runner-1,p3.t1a2b3c4d.cell.0,sp01", "main",
                "globalEventExecutor-1-1"), 2);

        assertThat(t).isEqualTo(new RunResult.Threads(3, 2, 3, 2));
    }

    @Test
    void theScaleCommandReadsFoldersAndFilesAndPrintsTheTable() throws Exception {
        Path small = Files.createDirectories(dir.resolve("s8"));
        ResultsJson.write(results(8, 1, 0), small.resolve("results.json"));
        Path big = dir.resolve("big.json");
        ResultsJson.write(results(500, 80, 12), big);
        Path table = dir.resolve("scale.md");
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("scale", big.toString(), small.toString(), "--out", table.toString())).isZero();

        assertThat(out.toString()).startsWith("## Scale\n\n| sensors |").contains("| 8 | 14 |", "| 500 | 14 |",
                "knee: the largest count whose fault-free runs all hold: 8 sensors; the first that does not: 500",
                "holds: nothing lost and, without faults, p99 within 20 ms.");
        assertThat(table).content().isEqualTo(out.toString());
    }

    @Test
    void theScaleCommandNamesAFileItCannotRead() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("scale", dir.resolve("nothing").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read " + dir.resolve("nothing"));
    }

    @Test
    void reportMdHasTheScaleSectionOfItsRuns() throws Exception {
        String md = Files.readString(ReportWriter.write(results(64, 3, 0), "results.json", dir).get(0));

        assertThat(md).contains("## Scale\n\n| sensors |", "| 64 | 14 | 23 | baseline NO_FT |");
    }

    @Test
    void aMeshThatDidNotFormFailsItsRunOnOneLineWithHowFarItGot() {
        String why = InprocSystem.notFormed(170, 500, 170, 255);
        AssertionError describingEveryPeer = new AssertionError("not within PT20S\nsp01 BOUND ...\nsp02 BOUND ...");

        assertThat(why).isEqualTo("the mesh did not form: a peer was not bound within 20 s; bound: 170 of 170 "
                + "super-peers, 255 of 500 sensors");
        assertThat(MeshCommand.firstLine(new IllegalStateException(why, describingEveryPeer)))
                .isEqualTo("java.lang.IllegalStateException: " + why);
        assertThat(MeshCommand.firstLine(describingEveryPeer)).isEqualTo("java.lang.AssertionError: not within PT20S (...)");
    }
}
