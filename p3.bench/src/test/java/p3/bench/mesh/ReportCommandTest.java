package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import picocli.CommandLine;

class ReportCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesTheReportBesideTheResultsByDefault(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.json");
        Files.copy(Path.of(getClass().getResource("results.json").toURI()), results);

        assertThat(run("report", "--in", results.toString())).isEqualTo(0);

        assertThat(dir.resolve("report.md")).exists();
        assertThat(dir.resolve("fig5-test1-none-inproc.svg")).exists();
        assertThat(out.toString()).contains("report.md: 11 runs, 4 figures");
    }

    @Test
    void aMalformedFileFailsNamingTheField(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.json");
        String fixture = Files.readString(Path.of(getClass().getResource("results.json").toURI()));
        Files.writeString(results, fixture.replaceFirst("\"cpu_s\": 4.0", "\"cpu_s\": \"four\""));

        assertThat(run("report", "--in", results.toString(), "--out", dir.resolve("out").toString())).isEqualTo(1);

        assertThat(err.toString()).contains("not a results file", "runs[0].cpu_s");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingFileIsSaidSo(@TempDir Path dir) {
        assertThat(run("report", "--in", dir.resolve("none.json").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read", "none.json");
    }
}
