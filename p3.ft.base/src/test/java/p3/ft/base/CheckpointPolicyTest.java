package p3.ft.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.ft.testing.ManualScheduler;
import p3.ft.testing.RecordingCell;

/** Checkpoints by count and by interval, on a timer the test drives. */
class CheckpointPolicyTest {

    private static final int INTERVAL_MS = 50;
    private static final int COUNT = 4;

    private final ManualScheduler timer = new ManualScheduler();
    private final RecordingCell cell = new RecordingCell("sp01", "sp01", "sp02");
    private final CheckpointPolicy policy = new CheckpointPolicy(cell, timer, INTERVAL_MS, COUNT) {
    };

    private void hold(int n) {
        for (int i = 0; i < n; i++) {
            cell.change(1);
            policy.held("event");
        }
    }

    @Test
    void replicatesAsSoonAsCountChangesWait() {
        hold(COUNT - 1);
        assertThat(cell.takeCalls()).isEmpty();

        hold(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");

        hold(COUNT - 1);
        assertThat(cell.takeCalls()).as("the count starts again after a checkpoint").isEmpty();
    }

    @Test
    void acknowledgementsCountToo() {
        cell.change(COUNT - 1);
        policy.acknowledged(COUNT - 1);
        assertThat(cell.takeCalls()).isEmpty();

        cell.change(1);
        policy.acknowledged(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");
    }

    @Test
    void eachIntervalTickReplicatesOnlyWhatIsUnreplicated() {
        hold(1);
        timer.advance(INTERVAL_MS - 1);
        assertThat(cell.takeCalls()).as("no tick before the interval").isEmpty();

        timer.advance(1);
        assertThat(cell.takeCalls()).containsExactly("replicate");

        timer.advance(INTERVAL_MS);
        assertThat(cell.takeCalls()).as("nothing waits: no replica").isEmpty();

        hold(2);
        timer.advance(INTERVAL_MS);
        assertThat(cell.takeCalls()).containsExactly("replicate");
    }

    @Test
    void stopsTickingAfterDetach() {
        hold(1);
        policy.detach();

        timer.advance(10 * INTERVAL_MS);

        assertThat(cell.calls()).isEmpty();
        assertThat(timer.pending()).as("its periodic task is cancelled").isZero();
        assertThat(cell.unreplicated()).as("the last changes stay queued for the next strategy").isEqualTo(1);
    }

    @Test
    void recoversAsListing8Says() {
        policy.viewChanged(List.of("sp01", "sp31"), List.of("sp02"));
        policy.childCellLost("0.1");

        assertThat(cell.calls()).containsExactly("takeOver sp02", "resendFrom 0.1");
    }

    @Test
    void refusesANonPositiveIntervalOrCount() {
        assertThatThrownBy(() -> new CheckpointPolicy(cell, timer, 0, COUNT) {
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> new CheckpointPolicy(cell, timer, INTERVAL_MS, -1) {
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }
}
