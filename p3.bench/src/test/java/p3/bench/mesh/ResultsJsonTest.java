package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsJsonTest {

    static final Results RESULTS = new Results("test machine", "2026-01-01T00:00:00Z", "p3-bench mesh --scenario test1",
            List.of(SampleRuns.run("test1", "all", SampleRuns.peers(1, 1), 0, 20),
                    SampleRuns.run("baseline", "none", null, 0, 15)));

    static final String GOOD = ResultsJson.write(RESULTS);

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        ResultsJson.write(RESULTS, file);

        assertThat(ResultsJson.read(file)).isEqualTo(RESULTS);
    }

    @Test
    void writesTheFieldNamesOfIssue6() {
        assertThat(GOOD).contains("\"runs\"", "\"scenario\"", "\"ft_mode\"", "\"strategy\"", "\"sensor_memory\"",
                "\"isolation\"", "\"seed\"", "\"fault\"", "\"level\"", "\"count\"", "\"kind\" : \"peer\"", "\"classes\"",
                "\"audio\"", "\"video\"", "\"event\"", "\"sent\"", "\"received\"", "\"lost\"", "\"duplicates\"",
                "\"late\"", "\"latency_ms\"", "\"mean\"", "\"stddev\"", "\"p50\"", "\"p99\"", "\"max\"",
                "\"rebind_ms\"", "\"fast\"", "\"slow\"", "\"detection_ms\"", "\"overhead\"", "\"control_bytes\"",
                "\"payload_bytes\"", "\"control_messages\"", "\"payload_messages\"", "\"cpu_s\"", "\"heap_mb\"");
    }

    @Test
    void aBaselineRunMayLeaveItsFaultOut() throws Exception {
        String withoutFault = GOOD.replace("\"fault\" : null,", "");

        assertThat(withoutFault).isNotEqualTo(GOOD);
        assertThat(ResultsJson.parse(withoutFault, "results.json")).isEqualTo(RESULTS);
    }

    @Test
    void aMissingFieldIsNamedWithItsPath() {
        assertRejected(GOOD.replaceFirst("\"lost\" : 0,", ""), "results.json: runs[0].classes.audio.lost",
                "missing or null");
        assertRejected(GOOD.replaceFirst("\"lost\" : 0", "\"lost\" : null"), "runs[0].classes.audio.lost",
                "missing or null");
        assertRejected(GOOD.replaceFirst("\"heap_mb\" : 180.5,", ""), "runs[0].heap_mb", "missing or null");
        assertRejected(GOOD.replaceFirst("\"fast\" : \\[ 40.0", "\"fast\" : [ null"), "runs[0].rebind_ms.fast[0]",
                "missing or null");
    }

    @Test
    void aWrongValueIsNamedWithItsPath() {
        assertRejected(GOOD.replaceFirst("\"lost\" : 0", "\"lost\" : \"none\""), "runs[0].classes.audio.lost",
                "long");
        assertRejected(GOOD.replaceFirst("\"lost\" : 0", "\"lost\" : -3"), "runs[0].classes.audio",
                "lost must not be negative: -3");
        assertRejected(GOOD.replaceFirst("\"kind\" : \"peer\"", "\"kind\" : \"rack\""), "runs[0].fault.kind",
                "rack");
        assertRejected(GOOD.replaceFirst("\"ft_mode\" : \"all\"", "\"ft_mode\" : \"most\""), "runs[0]",
                "ft_mode must be one of none, event, event+video, all: most");
        assertRejected(GOOD.replaceFirst("\"fault\" : \\{", "\"fault\" : null, \"x\" : {"), "runs[0]",
                "fault is missing: a test1 run injects faults");
    }

    @Test
    void anUnknownFieldIsNamed() {
        assertRejected(GOOD.replaceFirst("\"seed\"", "\"colour\" : 1, \"seed\""), "runs[0].colour", "unknown field");
    }

    @Test
    void brokenJsonGivesTheLine() {
        assertRejected(GOOD.substring(0, 300), "results.json: runs[0]", "end-of-input");
        assertRejected("{ \"machine\" : ", "results.json: line 1", "end-of-input");
    }

    private static void assertRejected(String json, String where, String what) {
        assertThatThrownBy(() -> ResultsJson.parse(json, "results.json"))
                .isInstanceOf(MalformedResultsException.class)
                .hasMessageContaining(where)
                .hasMessageContaining(what)
                .hasMessageNotContaining("Source:");
    }

    @Test
    void resultsMadeHereSayOnWhatAndWhen() {
        Results r = Results.of("p3-bench mesh", TreeShape.report(), BenchSettings.TABLE_I, List.of());

        assertThat(r.machine()).contains("cores", "Java");
        assertThat(r.date()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
    }

    @Test
    void readsTheStoredFixture() throws Exception {
        Path fixture = Path.of(getClass().getResource("results.json").toURI());

        Results r = ResultsJson.read(fixture);

        assertThat(r.runs()).hasSize(11);
        assertThat(r.runs().get(8).fault()).isEqualTo(new RunResult.Fault(1, 2, FaultKind.CELL));
        assertThat(ResultsJson.parse(ResultsJson.write(r), "again")).isEqualTo(r);
        assertThat(Files.size(fixture)).isPositive();
    }
}
