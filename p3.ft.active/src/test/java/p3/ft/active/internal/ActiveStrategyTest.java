package p3.ft.active.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.ft.testing.RecordingCell;
import p3.mesh.spi.FtPolicy;

class ActiveStrategyTest {

    private final RecordingCell cell = new RecordingCell("sp01", "sp01", "sp02", "sp21");

    @Test
    void isNamedActive() {
        assertThat(new ActiveStrategy(ActiveStrategy.LINGER_MICROS).name()).isEqualTo("active");
    }

    @Test
    void attachReplicatesWhatAnEarlierStrategyLeft() {
        cell.change(7);

        new ActiveStrategy(ActiveStrategy.LINGER_MICROS).attach(cell);

        assertThat(cell.calls()).containsExactly("replicate");
        assertThat(cell.unreplicated()).isZero();
    }

    @Test
    void everyHeldAndAcknowledgedMessageIsReplicatedWithinTheLinger() {
        FtPolicy policy = new ActiveStrategy(250).attach(cell);
        cell.takeCalls();

        policy.held("audio");
        policy.held("event");
        policy.acknowledged(2);

        assertThat(cell.calls()).containsExactly("replicateWithin 250", "replicateWithin 250", "replicateWithin 250");
    }

    @Test
    void aLingerOfZeroReplicatesAtOnce() {
        FtPolicy policy = new ActiveStrategy(0).attach(cell);
        cell.takeCalls();

        policy.held("video");

        assertThat(cell.calls()).containsExactly("replicateWithin 0");
    }

    @Test
    void theNearestSurvivorTakesOver() {
        FtPolicy policy = new ActiveStrategy(ActiveStrategy.LINGER_MICROS).attach(cell);
        cell.takeCalls();

        policy.viewChanged(List.of("sp01", "sp21"), List.of("sp02"));
        policy.childCellLost("0.3");

        assertThat(cell.calls()).containsExactly("takeOver sp02", "resendFrom 0.3");
    }

    @Test
    void detachLeavesTheQueueToTheNextStrategy() {
        FtPolicy policy = new ActiveStrategy(ActiveStrategy.LINGER_MICROS).attach(cell);
        cell.takeCalls();
        cell.change(2);

        policy.detach();

        assertThat(cell.calls()).isEmpty();
        assertThat(cell.unreplicated()).isEqualTo(2);
    }

    @Test
    void refusesANegativeLinger() {
        assertThatThrownBy(() -> new ActiveStrategy(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lingerMicros")
                .hasMessageContaining("-1");
    }
}
