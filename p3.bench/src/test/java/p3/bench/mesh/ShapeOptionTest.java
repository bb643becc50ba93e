package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import p3.bench.Main;
import p3.mesh.FtMode;
import p3.mesh.PeerRole;
import picocli.CommandLine;

/** {@code --span} ... {@code --sensors}, {@code --rate}, {@code --size}: parsed, checked, run, recorded and reported. */
class ShapeOptionTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreTheReportsTreeAndTableI() {
        MeshCommand mesh = MeshArgs.parse("mesh");

        assertThat(mesh.shape()).isEqualTo(TreeShape.report());
        assertThat(mesh.settings().traffic()).isEqualTo(BenchSettings.TABLE_I);
    }

    @Test
    void theOptionsMakeTheTreeAndTheTraffic() {
        MeshCommand mesh = MeshArgs.parse("mesh", "--span", "4", "--depth", "3", "--supers-per-cell", "1,2",
                "--sensors-per-cell", "8", "--sensors", "500", "--rate", "audio=50", "--rate", "video=30,event=2.5",
                "--size", "video=8000");

        TreeShape shape = mesh.shape();
        assertThat(shape).isEqualTo(new TreeShape(4, 3, List.of(1, 2), 8, 500));
        assertThat(shape.superPeers(0)).isEqualTo(1);
        assertThat(shape.superPeers(3)).isEqualTo(2); // the last value holds deeper
        assertThat(mesh.settings().traffic()).containsExactly(new Traffic("audio", 50, 418, false),
                new Traffic("video", 30, 8000, false), new Traffic("event", 2.5, 1024, true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--span 0                         | --span: span must be within 1..9: 0",
            "--span 10                        | --span: span must be within 1..9: 10",
            "--depth 0                        | --depth: 0 must be at least 1: the sensors sit in the cells below the root",
            "--depth 32                       | --depth: depth must be within 0..31: 32",
            "--supers-per-cell 2,0            | --supers-per-cell: 0 is not a positive count of super-peers",
            "--supers-per-cell 1,2,2,2        | --supers-per-cell: 4 values for the 3 levels of --depth 2",
            "--sensors-per-cell 0             | --sensors-per-cell: 0 must be at least 1",
            "--sensors 0                      | --sensors: 0 must be at least 1",
            "--sensors 13                     | --sensors: 13 sensors do not fit in the 12 places of the non-root cells",
            "--rate voice=3                   | --rate: voice is not a class: audio, video or event",
            "--rate audio=0                   | --rate: audio=0 must be positive, at most 100000 frames/s",
            "--rate video=-5                  | --rate: video=-5 must be positive",
            "--rate audio=fast                | --rate: audio=fast is not a number",
            "--rate audio                     | --rate: audio= is not a number (write audio=N)",
            "--size video=0                   | --size: video=0 must be a positive whole number of bytes",
            "--size video=8                   | --size: video=8 must be within 16..524288 bytes (what a frame may carry)",
            "--size video=600000              | --size: video=600000 must be within 16..524288 bytes (what a frame may carry)",
            "--size event=10.5                | --size: event=10.5 must be a positive whole number of bytes",
            "--size pictures=100              | --size: pictures is not a class: audio, video or event",
            "--isolation process --size video=8000 | --rate/--size: process isolation runs the traffic bundles' own profiles",
    })
    void aBadValueIsAUsageErrorNamingItsOption(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        List<String> all = new java.util.ArrayList<>(List.of("mesh", "--scenario", "baseline", "--out",
                dir.toString()));
        all.addAll(List.of(args.split(" ")));

        assertThat(cli.execute(all.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains(message);
        assertThat(dir).isEmptyDirectory(); // refused before any run
    }

    @Test
    void aBaselineRunFormsTheGivenTreeAndStreamsTheGivenTraffic() throws Exception {
        MeshCommand command = MeshArgs.parse("mesh", "--scenario", "baseline", "--ft", "none", "--security", "off",
                "--span", "2", "--depth", "1", "--supers-per-cell", "1", "--sensors-per-cell", "1", "--sensors", "2",
                "--rate", "audio=40,video=10", "--size", "video=8000");
        TreeShape shape = command.shape();
        BenchSettings quick = command.settings();
        // a short run: the quick profile's traffic, its phases cut to a few seconds
        BenchSettings settings = new BenchSettings(quick.profile(), quick.traffic(), quick.deadline(),
                Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(1));
        List<RunSpec> runs = command.plan(shape);
        assertThat(runs).hasSize(1);

        try (MeshSystem system = MeshCommand.system(shape, settings, runs.get(0))) {
            RunResult r = new ScenarioRunner(settings, shape).run(runs.get(0), system, s -> { });

            InprocSystem inproc = (InprocSystem) system;
            assertThat(inproc.live(PeerRole.SUPER)).isEqualTo(3);
            assertThat(inproc.live(PeerRole.SENSOR)).isEqualTo(2);
            assertThat(inproc.superPeersByCell()).containsOnlyKeys("0", "01", "02");
            RunResult.ClassResult audio = r.classes().get("audio");
            RunResult.ClassResult video = r.classes().get("video");
            assertThat(audio.received()).isPositive();
            assertThat(video.received()).isPositive();
            // two fixed-rate sources of each class for the same time: their counts go as their rates, 40 to 10
            assertThat((double) audio.sent() / video.sent()).isBetween(3.0, 5.0);
            // video frames of 8000 B against audio's 418 and events' 1024: the payload's mean size says which
            double expected = (40 * 418 + 10 * 8000 + 25 * 1024) / 75.0;
            double mean = (double) r.overhead().payloadBytes() / r.overhead().payloadMessages();
            assertThat(mean).isBetween(expected * 0.7, expected * 1.5);
        }
    }

    @Test
    void resultsRecordTheShapeAndTrafficAndTheReportSaysTheyAreNotTheReports() throws Exception {
        TreeShape shape = new TreeShape(2, 1, List.of(1), 1, 2);
        List<Traffic> traffic = BenchSettings.of("quick").withTraffic(Map.of("audio", 50.0), Map.of("video", 8000))
                .traffic();
        Results results = new Results("test machine", "2026-01-02T03:04:05Z", "p3-bench mesh --span 2", shape,
                traffic, List.of(SampleRuns.run("baseline", "none", null, 0, 5)));

        String json = ResultsJson.write(results);
        assertThat(json).contains("\"shape\"", "\"span\" : 2", "\"depth\" : 1", "\"supers_per_cell\" : [ 1 ]",
                "\"sensors_per_cell\" : 1", "\"sensors\" : 2", "\"traffic\"", "\"rate\" : 50.0", "\"size\" : 8000");
        Results back = ResultsJson.parse(json, "test");
        assertThat(back).isEqualTo(results);
        assertThat(back.shape()).isEqualTo(shape);
        assertThat(back.traffic()).isEqualTo(traffic);

        String md = Files.readString(ReportWriter.write(results, "results.json", dir).get(0));
        assertThat(md).contains("- tree: span 2, depth 1 (levels 0..1), 1 super-peers per cell, at most 1 sensors "
                + "per cell, 2 sensors: 3 super-peers\n");
        assertThat(md).contains("- traffic of each sensor: audio 50/s of 418 B, video 24/s of 8000 B, "
                + "event 25/s of 1024 B at random\n");
        assertThat(md).contains("_Note: these runs differ from the report's in their tree (", "and in their traffic (");
    }

    @Test
    void resultsOfTheReportsShapeHaveNoNoteAndOlderResultsReadAsTheReports() throws Exception {
        Results now = Results.of("p3-bench mesh", TreeShape.report(), BenchSettings.TABLE_I,
                List.of(SampleRuns.run("baseline", "none", null, 0, 5)));
        String md = Files.readString(ReportWriter.write(now, "results.json", dir).get(0));
        assertThat(md).doesNotContain("_Note:").contains("- tree: span 2, depth 2 (levels 0..2), 2 super-peers per "
                + "cell, at most 2 sensors per cell, 8 sensors: 14 super-peers\n");

        String older = ResultsJson.write(now).replaceFirst("(?s)\"shape\" : \\{.*?\\},\\s*\"traffic\" : \\[.*?\\],", "");
        assertThat(older).doesNotContain("\"shape\"", "\"traffic\"");
        Results read = ResultsJson.parse(older, "older");
        assertThat(read.shape()).isNull();
        String oldMd = Files.readString(ReportWriter.write(read, "results.json", dir).get(0));
        assertThat(oldMd).contains("(not recorded: the report's)", "(not recorded: Table I's)").doesNotContain("_Note:");
    }
}
