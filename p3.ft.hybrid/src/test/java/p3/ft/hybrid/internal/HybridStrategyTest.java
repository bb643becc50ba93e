package p3.ft.hybrid.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.ft.testing.ManualScheduler;
import p3.ft.testing.RecordingCell;
import p3.mesh.spi.FtPolicy;

/** Passive when calm, active while a mate is suspected or a view settles; clock and timer driven by hand. */
class HybridStrategyTest {

    private static final int INTERVAL_MS = 50;
    private static final int COUNT = 8;
    private static final int SETTLE_MS = 1000;
    private static final int SUSPICION_MS = 5000;

    private final ManualScheduler timer = new ManualScheduler();
    private final RecordingCell cell = new RecordingCell("sp01", "sp01", "sp02", "sp21");

    private HybridStrategy strategy(String activeClasses) {
        return new HybridStrategy(INTERVAL_MS, COUNT, SETTLE_MS, SUSPICION_MS, activeClasses, timer::nanoTime, timer);
    }

    private final HybridStrategy strategy = strategy("");
    private final FtPolicy policy = strategy.attach(cell);

    private static void hold(RecordingCell cell, FtPolicy policy, String trafficClass, int n) {
        for (int i = 0; i < n; i++) {
            cell.change(1);
            policy.held(trafficClass);
        }
    }

    private void hold(int n) {
        hold(cell, policy, "event", n);
    }

    @Test
    void isNamedHybrid() {
        assertThat(strategy.name()).isEqualTo("hybrid");
    }

    @Test
    void calmIsPassive() {
        hold(COUNT - 1);
        assertThat(cell.takeCalls()).as("no replica per held message below the count").isEmpty();

        hold(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");

        hold(2);
        timer.advance(INTERVAL_MS);
        assertThat(cell.takeCalls()).as("the interval's checkpoint").containsExactly("replicate");
    }

    @Test
    void aSuspicionMakesItActiveUntilSuspicionMsPasses() {
        policy.suspected("sp02");
        assertThat(cell.takeCalls()).as("the checkpoint it would have waited for, now").containsExactly("replicate");

        hold(2);
        cell.change(1);
        policy.acknowledged(1);
        assertThat(cell.takeCalls()).containsExactly("replicate", "replicate", "replicate");

        timer.advance(SUSPICION_MS - 1);
        hold(1);
        assertThat(cell.takeCalls()).as("still suspected, 1 ms before the end").containsExactly("replicate");

        timer.advance(1);
        hold(COUNT - 1);
        assertThat(cell.takeCalls()).as("calm again: passive").isEmpty();
        hold(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");
    }

    @Test
    void aViewChangeMakesItActiveUntilSettleMsPasses() {
        policy.viewChanged(List.of("sp01", "sp21"), List.of("sp02"));
        assertThat(cell.takeCalls()).containsExactly("replicate", "takeOver sp02");

        hold(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");

        timer.advance(SETTLE_MS - 1);
        hold(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");

        timer.advance(1);
        hold(COUNT - 1);
        assertThat(cell.takeCalls()).as("settled: passive").isEmpty();
    }

    @Test
    void onlyTheNearestSurvivorTakesOver() {
        RecordingCell farther = new RecordingCell("sp21", "sp01", "sp21");
        FtPolicy fartherPolicy = strategy("").attach(farther);

        fartherPolicy.viewChanged(List.of("sp01", "sp21"), List.of("sp02"));

        assertThat(farther.calls()).containsExactly("replicate");
    }

    @Test
    void activeClassesAreAlwaysActive() {
        RecordingCell audioCell = new RecordingCell("sp01", "sp01", "sp02");
        FtPolicy audioActive = strategy(" Audio , event,").attach(audioCell);

        hold(audioCell, audioActive, "audio", 1);
        hold(audioCell, audioActive, "event", 1);
        assertThat(audioCell.takeCalls()).containsExactly("replicate", "replicate");

        hold(audioCell, audioActive, "video", COUNT - 1);
        assertThat(audioCell.takeCalls()).as("video stays passive").isEmpty();
    }

    @Test
    void detachStopsTheCheckpointsAndDeactivateTheTimer() {
        hold(1);
        policy.detach();

        timer.advance(10 * INTERVAL_MS);
        assertThat(cell.calls()).isEmpty();
        assertThat(timer.pending()).isZero();

        strategy.deactivate();
        assertThat(timer.isShutdown()).isTrue();
    }

    @Test
    void refusesABadActiveClassNamingThePropertyAndTheValue() {
        assertThatThrownBy(() -> strategy("audio,voice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activeClasses")
                .hasMessageContaining("voice");
    }

    @Test
    void refusesBadNumbersNamingTheProperty() {
        assertThatThrownBy(() -> new HybridStrategy(0, COUNT, SETTLE_MS, SUSPICION_MS, "", timer::nanoTime, timer))
                .hasMessageContaining("checkpointIntervalMs").hasMessageContaining("0");
        assertThatThrownBy(() -> new HybridStrategy(INTERVAL_MS, 0, SETTLE_MS, SUSPICION_MS, "", timer::nanoTime, timer))
                .hasMessageContaining("checkpointCount");
        assertThatThrownBy(() -> new HybridStrategy(INTERVAL_MS, COUNT, -1, SUSPICION_MS, "", timer::nanoTime, timer))
                .hasMessageContaining("settleMs").hasMessageContaining("-1");
        assertThatThrownBy(() -> new HybridStrategy(INTERVAL_MS, COUNT, SETTLE_MS, -2, "", timer::nanoTime, timer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("suspicionMs").hasMessageContaining("-2");
    }

    @Test
    void theBenchConstructorStillWorks() {
        HybridStrategy bench = new HybridStrategy(50, 64, 1000, 5000, "");
        try {
            FtPolicy p = bench.attach(new RecordingCell("sp01", "sp01"));
            p.suspected("sp02");
            p.detach();
        } finally {
            bench.deactivate();
        }
    }
}
