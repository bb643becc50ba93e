package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import picocli.CommandLine;

/** {@code --measure}: a shorter (or longer) measured part than the profile's, for large meshes. */
class MeasureOptionTest {

    @TempDir
    Path dir;

    @Test
    void itReplacesTheProfilesMeasuredPartAndKeepsTheRest() {
        BenchSettings quick = BenchSettings.of("quick");

        BenchSettings s = MeshArgs.parse("mesh", "--measure", "5s").settings();

        assertThat(s.measure()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.warmup()).isEqualTo(quick.warmup());
        assertThat(s.traffic()).isEqualTo(quick.traffic());
        assertThat(MeshArgs.parse("mesh").settings().measure()).isEqualTo(quick.measure());
    }

    @Test
    void aFaultRunStillLastsAsLongAsItsFaultsNeed() {
        BenchSettings s = MeshArgs.parse("mesh", "--measure", "1s").settings();

        assertThat(s.measureFor(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.measureFor(1)).isEqualTo(s.faultAt().plus(s.settle()));
    }

    @Test
    void nothingToMeasureIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("mesh", "--measure", "0s", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--measure: the measured part must last a while");
        assertThat(cli.execute("mesh", "--measure", "soon", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }
}
