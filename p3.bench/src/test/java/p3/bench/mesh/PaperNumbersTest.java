package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Checks of the transcription against the report's own arithmetic. */
class PaperNumbersTest {

    @Test
    void overheadOverNoFtIsTheRatioOfThePrintedMeans() {
        PaperNumbers.TestOneTable noFt = PaperNumbers.testOne("none");
        for (PaperNumbers.TestOneTable t : PaperNumbers.TEST_ONE.subList(1, PaperNumbers.TEST_ONE.size())) {
            for (String c : ReportWriter.CLASS_ORDER) {
                assertRatio(t.table() + " " + c, t.latency(c), noFt.latency(c));
            }
            assertRatio(t.table() + " slow", t.slowRebind(), noFt.slowRebind());
            assertRatio(t.table() + " fast", t.fastRebind(), noFt.fastRebind());
        }
    }

    private static void assertRatio(String what, PaperNumbers.Figure ft, PaperNumbers.Figure noFt) {
        assertThat(ft.overNoFt()).as(what).isEqualTo((int) Math.round(100 * ft.mean() / noFt.mean()));
    }

    @Test
    void tableSevenHasEverySuperPeerOfEachLevel() {
        assertThat(PaperNumbers.testTwoLevels()).containsExactly(0, 1, 2);
        assertThat(PaperNumbers.testTwoCounts(0)).containsExactly(1, 2);
        assertThat(PaperNumbers.testTwoCounts(1)).containsExactly(1, 2, 3, 4);
        assertThat(PaperNumbers.testTwoCounts(2)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(PaperNumbers.testTwo(1, 4, "audio")).hasValue(new PaperNumbers.Figure(144, 14, null));
        assertThat(PaperNumbers.testTwo(2, 9, "audio")).isEmpty();
    }
}
