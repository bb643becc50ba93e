package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import picocli.CommandLine;

/** {@code --security on,off}: parsed, planned both ways, handed to the system, recorded and reported. */
class SecurityOptionTest {

    @TempDir
    Path dir;

    @Test
    void onOffPlansEachRunBothWaysOneAfterTheOtherAndReachesTheInprocSystem() throws Exception {
        MeshCommand mesh = MeshArgs.parse("mesh", "--scenario", "baseline", "--ft", "none,all", "--security", "on,off");
        TreeShape shape = TreeShape.report();

        List<RunSpec> runs = mesh.plan(shape);

        assertThat(runs).extracting(RunSpec::security).containsExactly(true, false, true, false);
        assertThat(runs.get(1).describe()).isEqualTo("baseline none active security-off");
        assertThat(runs.get(0).describe()).doesNotContain("security");
        for (RunSpec run : runs.subList(0, 2)) {
            try (MeshSystem system = MeshCommand.system(shape, BenchSettings.of("quick"), run)) {
                assertThat(system).isInstanceOf(InprocSystem.class);
                assertThat(((InprocSystem) system).security()).isEqualTo(run.security());
            }
        }
    }

    @Test
    void securityIsOnByDefault() {
        assertThat(MeshArgs.parse("mesh", "--scenario", "baseline", "--ft", "none").plan(TreeShape.report()))
                .extracting(RunSpec::security).containsExactly(true);
    }

    @Test
    void aProcessPeerWithoutSecurityIsToldSoByAFrameworkProperty() {
        Path jar = Path.of("/x/p3.jar");
        Path socket = Path.of("/tmp/run/sp03-shell.sock");
        assertThat(PeerCommandLine.of(jar, PeerFileTest.SP03, false, socket, Path.of("/tmp/run/fw")))
                .contains("-Dp3.security.enabled=false");
        // on: the runtime's default, with the mesh's one CA in the run's folder
        assertThat(PeerCommandLine.of(jar, PeerFileTest.SP03, true, socket, Path.of("/tmp/run/fw")))
                .noneMatch(a -> a.contains("p3.security.enabled")).contains("-Dp3.security.dir=/tmp/run/pki");
    }

    @Test
    void aBadValueIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("mesh", "--security", "maybe", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--security: maybe is not on or off");
    }

    @Test
    void resultsRecordItAndTheReportSaysItPerRun() throws Exception {
        RunResult on = SampleRuns.run("baseline", "none", null, 0, 5);
        RunResult off = new RunResult(on.scenario(), on.ftMode(), on.strategy(), on.sensorMemory(), on.isolation(),
                on.seed(), on.fault(), on.classes(), on.rebindMs(), on.detectionMs(), on.overhead(), on.cpuSeconds(),
                on.heapMb(), on.elapsedSeconds(), on.swap(), "off");
        Results results = new Results("test machine", "2026-01-02T03:04:05Z", "p3-bench mesh --security on,off",
                List.of(on, off));

        String json = ResultsJson.write(results);
        assertThat(json).contains("\"security\" : \"on\"", "\"security\" : \"off\"");
        assertThat(ResultsJson.parse(json, "test").runs()).extracting(RunResult::security).containsExactly("on", "off");

        Path report = ReportWriter.write(results, "results.json", dir).get(0);
        String md = Files.readString(report);
        assertThat(md).contains("- security: off in 1 run, on in 1 run (on: every peer has a certificate");
        assertThat(md).containsPattern("\\| 1 \\| baseline \\| NO_FT \\| active \\| off \\| inproc \\| on \\|");
        assertThat(md).containsPattern("\\| 2 \\| baseline \\| NO_FT \\| active \\| off \\| inproc \\| off \\|");
    }
}
