package p3.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void readsTheUsualUnitsAndBareSeconds() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationConverter.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(DurationConverter.parse(" 3 ")).isEqualTo(Duration.ofSeconds(3));
        assertThat(DurationConverter.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesWhatIsNoDuration() {
        assertThatThrownBy(() -> DurationConverter.parse("fast")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'fast'");
        assertThatThrownBy(() -> DurationConverter.parse("-1s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> DurationConverter.parse("2h")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void formatsInTheLargestWholeUnitAndReadsBack() {
        for (String s : new String[] { "3s", "500ms", "250us", "90s" }) {
            assertThat(DurationConverter.format(DurationConverter.parse(s))).isEqualTo(s);
        }
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
