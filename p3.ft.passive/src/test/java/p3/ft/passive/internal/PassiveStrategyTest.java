package p3.ft.passive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.ft.testing.ManualScheduler;
import p3.ft.testing.RecordingCell;
import p3.mesh.spi.FtPolicy;

/** Primary-backup: checkpoints by count and by interval, on a timer the test drives. */
class PassiveStrategyTest {

    private static final int INTERVAL_MS = 50;
    private static final int COUNT = 64;

    private final ManualScheduler timer = new ManualScheduler();
    private final RecordingCell cell = new RecordingCell("sp01", "sp01", "sp02", "sp21");
    private final PassiveStrategy strategy = new PassiveStrategy(INTERVAL_MS, COUNT, timer);
    private final FtPolicy policy = strategy.attach(cell);

    private void hold(int n) {
        for (int i = 0; i < n; i++) {
            cell.change(1);
            policy.held("event");
        }
    }

    @Test
    void isNamedPassive() {
        assertThat(strategy.name()).isEqualTo("passive");
    }

    @Test
    void checkpointsByCount() {
        hold(COUNT - 1);
        assertThat(cell.takeCalls()).as("no replica per message below the count").isEmpty();

        hold(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");
    }

    @Test
    void acknowledgementsCountTowardsACheckpoint() {
        hold(COUNT - 2);
        cell.change(2);
        policy.acknowledged(2);

        assertThat(cell.takeCalls()).containsExactly("replicate");
    }

    @Test
    void checkpointsByInterval() {
        hold(3);
        timer.advance(INTERVAL_MS - 1);
        assertThat(cell.takeCalls()).isEmpty();

        timer.advance(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");

        timer.advance(3 * INTERVAL_MS);
        assertThat(cell.takeCalls()).as("no empty checkpoints").isEmpty();
    }

    @Test
    void detachStopsTheCheckpoints() {
        hold(3);
        policy.detach();

        timer.advance(5 * INTERVAL_MS);

        assertThat(cell.calls()).isEmpty();
        assertThat(cell.unreplicated()).as("left to the next strategy").isEqualTo(3);
    }

    @Test
    void theNearestSurvivorTakesOverFromTheLastCheckpoint() {
        policy.viewChanged(List.of("sp01", "sp21"), List.of("sp02"));

        assertThat(cell.calls()).containsExactly("takeOver sp02");
    }

    @Test
    void deactivateShutsItsTimerDown() {
        strategy.deactivate();

        assertThat(timer.isShutdown()).isTrue();
        assertThat(timer.pending()).isZero();
    }

    @Test
    void refusesBadValuesNamingTheProperty() {
        assertThatThrownBy(() -> new PassiveStrategy(0, COUNT, timer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpointIntervalMs")
                .hasMessageNotContaining("checkpointCount");
        assertThatThrownBy(() -> new PassiveStrategy(INTERVAL_MS, -3, timer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpointCount")
                .hasMessageContaining("-3")
                .hasMessageNotContaining("checkpointIntervalMs");
    }

    @Test
    void theBenchConstructorStillWorks() {
        PassiveStrategy bench = new PassiveStrategy(INTERVAL_MS, COUNT);
        try {
            bench.attach(new RecordingCell("sp01", "sp01")).detach();
        } finally {
            bench.deactivate();
        }
    }
}
