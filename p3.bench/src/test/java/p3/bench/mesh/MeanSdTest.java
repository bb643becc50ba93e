package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class MeanSdTest {

    @Test
    void poolingPartsGivesTheFigureOfAllTheirValues() {
        List<Double> a = List.of(1.0, 2.0, 6.0);
        List<Double> b = List.of(10.0, 12.0);
        MeanSd whole = MeanSd.of(List.of(1.0, 2.0, 6.0, 10.0, 12.0));

        MeanSd pooled = MeanSd.pool(List.of(MeanSd.of(a), MeanSd.of(b), MeanSd.NONE));

        assertThat(pooled.n()).isEqualTo(5);
        assertThat(pooled.mean()).isCloseTo(whole.mean(), within(1e-9));
        assertThat(pooled.sd()).isCloseTo(whole.sd(), within(1e-9));
    }

    @Test
    void formatsLikeTheReportAndKeepsDecimalsForSmallLatencies() {
        assertThat(new MeanSd(1109.4, 895.6, 3).format()).isEqualTo("1109 ± 896");
        assertThat(new MeanSd(2.04, 0.51, 3).format()).isEqualTo("2.0 ± 0.5");
        assertThat(new MeanSd(0.347, 0.05, 3).format()).isEqualTo("0.35 ± 0.05");
        assertThat(MeanSd.pool(List.of()).empty()).isTrue();
        assertThat(MeanSd.of(List.of()).empty()).isTrue();
    }
}
