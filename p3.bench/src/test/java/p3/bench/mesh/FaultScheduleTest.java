package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import p3.transport.TreeAddress;

class FaultScheduleTest {

    static final TreeShape REPORT = TreeShape.report();

    @Test
    void cellsAreTheMeshsCellIdsBreadthFirst() {
        assertThat(REPORT.cells(0)).containsExactly("0");
        assertThat(REPORT.cells(1)).containsExactly("01", "02");
        assertThat(REPORT.cells(2)).containsExactly("011", "012", "021", "022");
        List<String> all = IntStream.rangeClosed(0, 2).boxed().flatMap(l -> REPORT.cells(l).stream()).toList();
        for (int i = 0; i < all.size(); i++) {
            assertThat(TreeAddress.treePos(all.get(i), 2)).as(all.get(i)).isEqualTo(i);
        }
    }

    @Test
    void aShapeRefusesMoreSensorsThanItsCellsHold() {
        assertThatThrownBy(() -> new TreeShape(2, 2, List.of(2), 2, 13)).hasMessageContaining("12 places");
        assertThat(new TreeShape(3, 1, List.of(1, 3), 1, 3).superPeers(5)).isEqualTo(3);
    }

    @Test
    void testOneCrashesOneSuperPeerAtEveryLevelRootFirst() {
        List<FaultPlan> plans = FaultSchedule.testOne(REPORT, 1);

        assertThat(plans).extracting(FaultPlan::level).containsExactly(0, 1, 2);
        for (FaultPlan p : plans) {
            assertThat(p.steps()).hasSize(1);
            FaultStep s = p.steps().get(0);
            assertThat(REPORT.cells(p.level())).contains(s.cell());
            assertThat(s.superPeer()).isBetween(0, 1);
            assertThat(p.fault()).isEqualTo(new RunResult.Fault(p.level(), 1, FaultKind.PEER));
            assertThat(p.scenario()).isEqualTo("test1");
        }
    }

    @Test
    void aSeedGivesTheSamePicksAndSeedsBetweenThemHitEverySuperPeer() {
        assertThat(FaultSchedule.testOne(REPORT, 7)).isEqualTo(FaultSchedule.testOne(REPORT, 7));
        assertThat(FaultSchedule.testTwo(REPORT, 7, FaultKind.PEER))
                .isEqualTo(FaultSchedule.testTwo(REPORT, 7, FaultKind.PEER));

        Set<List<FaultPlan>> schedules = new HashSet<>();
        Set<String> level2Victims = new HashSet<>();
        LongStream.range(0, 64).forEach(seed -> {
            List<FaultPlan> plans = FaultSchedule.testOne(REPORT, seed);
            schedules.add(plans);
            FaultStep s = plans.get(2).steps().get(0);
            level2Victims.add(s.cell() + "/" + s.superPeer());
        });
        assertThat(schedules).hasSizeGreaterThan(10);
        assertThat(level2Victims).hasSize(8);
    }

    @Test
    void testTwoByPeerTakesEverySuperPeerOfEachLevelOneByOne() {
        List<FaultPlan> plans = FaultSchedule.testTwo(REPORT, 3, FaultKind.PEER);

        assertThat(plans).extracting(FaultPlan::level).containsExactly(0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2);
        assertThat(plans).extracting(FaultPlan::count).containsExactly(1, 2, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8);
        for (int i = 1; i < plans.size(); i++) {
            if (plans.get(i).level() == plans.get(i - 1).level()) {
                // each run extends the one before: the same crashes, and one more
                assertThat(plans.get(i).steps()).startsWith(plans.get(i - 1).steps().toArray(FaultStep[]::new));
            }
        }
        FaultPlan lastOfLevel2 = plans.get(plans.size() - 1);
        assertThat(lastOfLevel2.steps()).extracting(s -> s.cell() + "/" + s.superPeer()).containsExactlyInAnyOrder(
                "011/0", "011/1", "012/0", "012/1", "021/0", "021/1", "022/0", "022/1");
        assertThat(lastOfLevel2.steps()).extracting(FaultStep::count).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(lastOfLevel2.steps()).allMatch(s -> s.kind() == FaultKind.PEER && s.level() == 2);
    }

    @Test
    void testTwoByCellTakesWholeCellsCountingTheirSuperPeers() {
        List<FaultPlan> plans = FaultSchedule.testTwo(REPORT, 3, FaultKind.CELL);

        assertThat(plans).extracting(FaultPlan::level).containsExactly(0, 1, 1, 2, 2, 2, 2);
        assertThat(plans).extracting(FaultPlan::count).containsExactly(2, 2, 4, 2, 4, 6, 8);
        FaultPlan lastOfLevel2 = plans.get(plans.size() - 1);
        assertThat(lastOfLevel2.steps()).extracting(FaultStep::cell)
                .containsExactlyInAnyOrder("011", "012", "021", "022");
        assertThat(lastOfLevel2.steps()).allMatch(s -> s.superPeer() == FaultStep.WHOLE_CELL);
        assertThat(lastOfLevel2.fault()).isEqualTo(new RunResult.Fault(2, 8, FaultKind.CELL));
    }

    @Test
    void theOrderOfCrashesDependsOnTheSeed() {
        Set<List<FaultStep>> orders = new HashSet<>();
        LongStream.range(0, 16).forEach(seed -> {
            List<FaultPlan> plans = FaultSchedule.testTwo(REPORT, seed, FaultKind.PEER);
            orders.add(plans.get(plans.size() - 1).steps());
        });
        assertThat(orders).hasSizeGreaterThan(8);
    }

    @Test
    void aStepNamesASuperPeerOnlyForAPeerFault() {
        assertThatThrownBy(() -> new FaultStep(1, "01", 0, FaultKind.CELL, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultStep(1, "01", FaultStep.WHOLE_CELL, FaultKind.PEER, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
