package p3.ft.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.ft.testing.RecordingCell;

/** The report's recovery (Listing 8), as every strategy inherits it. */
class ReplicationPolicyTest {

    /** A policy that replicates on nothing of its own: only what ReplicationPolicy does is seen. */
    private static ReplicationPolicy policy(RecordingCell cell) {
        return new ReplicationPolicy(cell) {
            @Override
            public void held(String trafficClass) {
            }

            @Override
            public void acknowledged(int count) {
            }
        };
    }

    /** sp01 fails; sp02 is 1 edit from it, sp12 is 2: sp02 alone takes over. */
    @Test
    void theSurvivorNearestToTheFailedPeerIdTakesOver() {
        RecordingCell nearest = new RecordingCell("sp02");
        RecordingCell farther = new RecordingCell("sp12");

        policy(nearest).viewChanged(List.of("sp02", "sp12"), List.of("sp01"));
        policy(farther).viewChanged(List.of("sp02", "sp12"), List.of("sp01"));

        assertThat(nearest.calls()).containsExactly("takeOver sp01");
        assertThat(farther.calls()).isEmpty();
    }

    /**
     * sp01 fails in a cell of sp01, sp02, sp11: both survivors are 1 substitution away (0 to 1 in
     * the third character, 1 to 2 in the fourth), a tie, so both take over and the client drops the
     * duplicates (report, section III-D).
     */
    @Test
    void aTieMakesEveryNearestSurvivorTakeOver() {
        RecordingCell sp02 = new RecordingCell("sp02");
        RecordingCell sp11 = new RecordingCell("sp11");

        policy(sp02).viewChanged(List.of("sp02", "sp11"), List.of("sp01"));
        policy(sp11).viewChanged(List.of("sp02", "sp11"), List.of("sp01"));

        assertThat(sp02.calls()).containsExactly("takeOver sp01");
        assertThat(sp11.calls()).containsExactly("takeOver sp01");
    }

    @Test
    void eachFailedMateOfOneViewIsResolvedOnItsOwn() {
        RecordingCell cell = new RecordingCell("ab10");

        // ab11 is nearest to ab10 (1 edit); zz99 is nearest to zz98 (1 edit), ab10 is 4 from it
        policy(cell).viewChanged(List.of("ab10", "zz99"), List.of("ab11", "zz98"));

        assertThat(cell.calls()).containsExactly("takeOver ab11");
    }

    @Test
    void aViewWithNobodyGoneTakesOverNothing() {
        RecordingCell cell = new RecordingCell("sp02");

        policy(cell).viewChanged(List.of("sp02", "sp03", "sp04"), List.of());

        assertThat(cell.calls()).isEmpty();
    }

    @Test
    void theLastSurvivorTakesOverWhateverTheDistance() {
        RecordingCell cell = new RecordingCell("x");

        policy(cell).viewChanged(List.of("x"), List.of("super-peer-7"));

        assertThat(cell.calls()).containsExactly("takeOver super-peer-7");
    }

    @Test
    void aLostChildCellIsResentByTheParent() {
        RecordingCell parent = new RecordingCell("sp01");

        policy(parent).childCellLost("0.2");

        assertThat(parent.calls()).containsExactly("resendFrom 0.2");
    }

    @Test
    void aSuspicionAndADetachDoNothingHere() {
        RecordingCell cell = new RecordingCell("sp01").change(3);
        ReplicationPolicy policy = policy(cell);

        policy.suspected("sp02");
        policy.detach();

        assertThat(cell.calls()).isEmpty();
        assertThat(cell.unreplicated()).as("what is queued stays in the mesh for the next strategy").isEqualTo(3);
    }
}
