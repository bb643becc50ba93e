package p3.bench.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The report's own numbers (DCC-2010-02, section IV-I), transcribed as printed, to stand beside
 * ours. Its setting: active replication, sensors without memory, span 2, 2 super-peers per cell,
 * levels 0 to 2, a four-node cluster on 100 Mbit/s Ethernet (Table II). Figures 5 to 9 are
 * pictures whose bars the text does not give, so only what the text says of them is here.
 */
final class PaperNumbers {

    /**
     * One figure of a table, in milliseconds.
     *
     * @param overNoFt the table's "Overhead over no-FT (%)", or null where it has none (Table III).
     *                 It is FT's mean as a percentage of NO_FT's (24 ms over 21 ms prints 114), not
     *                 the increase
     */
    record Figure(double mean, double jitter, Integer overNoFt) {

        String format() {
            return new MeanSd(mean, jitter, 1).format();
        }
    }

    /** Tables III to VI: Test I, one FT mode, the three fault levels together. */
    record TestOneTable(String table, int figure, String ftMode, Figure video, Figure audio, Figure event,
            Figure slowRebind, Figure fastRebind) {

        Figure latency(String trafficClass) {
            return switch (trafficClass) {
                case "video" -> video;
                case "audio" -> audio;
                case "event" -> event;
                default -> throw new IllegalArgumentException("no traffic class " + trafficClass);
            };
        }
    }

    static final List<TestOneTable> TEST_ONE = List.of(
            // rows in the report's order: video, audio, event latency; slow, fast rebind
            new TestOneTable("III", 5, "none",
                    f(21, 2), f(39, 3), f(21, 3), f(1109, 896), f(47, 4)),
            new TestOneTable("IV", 6, "event",
                    f(24, 3, 114), f(40, 2, 103), f(24, 2, 114), f(1090, 888, 98), f(52, 9, 111)),
            new TestOneTable("V", 7, "event+video",
                    f(39, 8, 186), f(49, 2, 126), f(39, 2, 186), f(1094, 893, 99), f(77, 8, 164)),
            new TestOneTable("VI", 8, "all",
                    f(49, 4, 233), f(64, 3, 164), f(49, 3, 233), f(1088, 885, 98), f(57, 16, 121)));

    /** Table VII (Test II, FT_ALL): level, "#Peer Faults", then mean and jitter of video, audio, event. */
    private static final int[][] TABLE_VII = {
        {0, 1, 55, 1, 72, 2, 55, 2},
        {0, 2, 443, 18, 448, 17, 443, 17},
        {1, 1, 53, 3, 69, 3, 53, 3},
        {1, 2, 89, 29, 105, 30, 89, 30},
        {1, 3, 103, 1, 118, 1, 103, 1},
        {1, 4, 116, 4, 144, 14, 116, 14},
        {2, 1, 47, 1, 63, 1, 47, 1},
        {2, 2, 49, 2, 65, 2, 49, 2},
        {2, 3, 46, 2, 59, 2, 46, 2},
        {2, 4, 44, 2, 61, 2, 44, 2},
        {2, 5, 45, 3, 59, 2, 45, 2},
        {2, 6, 43, 3, 59, 2, 43, 2},
        {2, 7, 48, 6, 62, 5, 48, 5},
        {2, 8, 46, 4, 62, 7, 46, 7},
    };

    /** What the report says of each figure, for the caption of ours. */
    private static final List<String> FIGURE_TEXT = List.of(
            "Fig. 5 (NO_FT): losses grow as the fault nears the root; events, sent at random, less regularly.",
            "Fig. 6 (FT_EVENT): no event loss at levels 0 and 1; at level 2 the sensors, without memory, "
                    + "drop what they send while they rebind.",
            "Fig. 7 (FT_EVENT+VIDEO): as Fig. 6 for events and video; more audio loss, from the cost of replication.",
            "Fig. 8 (FT_ALL): no loss of any class at levels 0 and 1; at level 2 the sensors' rebind time "
                    + "sets the loss.",
            "Fig. 9 (Test II, FT_ALL): a large loss when the root cell crashes; fairly low at level 1; at level 2 a "
                    + "modest rise up to 6 of 8 super-peers down, then a step (too few cells left for the sensors).");

    private PaperNumbers() {
    }

    static TestOneTable testOne(String ftMode) {
        return TEST_ONE.stream().filter(t -> t.ftMode().equals(ftMode)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table for FT mode " + ftMode));
    }

    /** Table VII's figure for that level, super-peers down and class, if the table has one. */
    static Optional<Figure> testTwo(int level, int superPeersDown, String trafficClass) {
        int column = 2 + 2 * List.of("video", "audio", "event").indexOf(trafficClass);
        for (int[] row : TABLE_VII) {
            if (row[0] == level && row[1] == superPeersDown) {
                return Optional.of(f(row[column], row[column + 1]));
            }
        }
        return Optional.empty();
    }

    static TreeSet<Integer> testTwoLevels() {
        TreeSet<Integer> levels = new TreeSet<>();
        for (int[] row : TABLE_VII) {
            levels.add(row[0]);
        }
        return levels;
    }

    static List<Integer> testTwoCounts(int level) {
        List<Integer> counts = new ArrayList<>();
        for (int[] row : TABLE_VII) {
            if (row[0] == level) {
                counts.add(row[1]);
            }
        }
        return counts;
    }

    /** @param figure 5 to 9 */
    static String figureText(int figure) {
        return FIGURE_TEXT.get(figure - 5);
    }

    private static Figure f(double mean, double jitter) {
        return new Figure(mean, jitter, null);
    }

    private static Figure f(double mean, double jitter, int overNoFt) {
        return new Figure(mean, jitter, overNoFt);
    }
}
