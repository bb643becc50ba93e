package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;

/**
 * Which strategy a super-peer uses, as strategies come and go: the preferred one, else active,
 * hybrid, passive; the new policy attached before the old detaches; every call into a strategy
 * guarded.
 */
class StrategySelectionTest {

    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final RecordingStrategy active = new RecordingStrategy("active", journal);
    private final RecordingStrategy hybrid = new RecordingStrategy("hybrid", journal);
    private final RecordingStrategy passive = new RecordingStrategy("passive", journal);

    private final FtParts p = new FtParts("hybrid");
    private final StrategySelection s = p.strategies;

    @Test
    void thePreferredStrategyIsUsedWhenItIsThere() {
        s.added(active);
        s.added(hybrid);
        s.added(passive);
        assertThat(s.name()).isEqualTo("hybrid");
        assertThat(hybrid.cell).isSameAs(p.replication);

        s.use("passive");
        assertThat(s.name()).isEqualTo("passive");
        s.use("active");
        assertThat(s.name()).isEqualTo("active");
    }

    @Test
    void whenThePreferredIsMissingActiveThenHybridThenPassiveStandIn() {
        FtParts q = new FtParts("custom");
        StrategySelection sel = q.strategies;
        sel.added(passive);
        assertThat(sel.name()).isEqualTo("passive");
        sel.added(hybrid);
        assertThat(sel.name()).isEqualTo("hybrid");
        sel.added(active);
        assertThat(sel.name()).isEqualTo("active");

        sel.removed(active);
        assertThat(sel.name()).isEqualTo("hybrid");
        sel.removed(hybrid);
        assertThat(sel.name()).isEqualTo("passive");
        RecordingStrategy custom = new RecordingStrategy("custom", journal);
        sel.added(custom);
        assertThat(sel.name()).isEqualTo("custom");
        sel.removed(custom);
        assertThat(sel.name()).isEqualTo("passive");
    }

    @Test
    void anyStrategyStandsInWhenNoneOfTheFallbacksIsThere() {
        RecordingStrategy zeta = new RecordingStrategy("zeta", journal);
        RecordingStrategy alpha = new RecordingStrategy("alpha", journal);
        s.added(zeta);
        s.added(alpha);
        assertThat(s.name()).as("the first by name").isEqualTo("alpha");
    }

    @Test
    void theNewPolicyAttachesBeforeTheOldDetaches() {
        s.added(active);
        s.added(hybrid);
        assertThat(journal).containsExactly("active: attach", "hybrid: attach", "active: detach");

        journal.clear();
        s.removed(hybrid);
        assertThat(journal).containsExactly("active: attach", "hybrid: detach");
    }

    @Test
    void aStrategyAddedAgainOrAnotherNotChosenChangesNothing() {
        s.added(hybrid);
        s.added(passive);
        s.removed(active); // never there
        assertThat(journal).containsExactly("hybrid: attach");
    }

    @Test
    void aStrategyRemovedUnderAnotherInstanceOfItsNameIsNotForgotten() {
        s.added(hybrid);
        s.removed(new RecordingStrategy("hybrid", journal)); // a stale service, not the one in use
        assertThat(s.name()).isEqualTo("hybrid");
        assertThat(journal).containsExactly("hybrid: attach");
    }

    @Test
    void recordingStopsWhenNoStrategyIsLeft() {
        s.added(hybrid);
        p.fromChild(1);
        assertThat(p.replication.unreplicated()).isEqualTo(1);

        s.removed(hybrid);
        assertThat(s.name()).isEqualTo("none");
        assertThat(journal).containsExactly("hybrid: attach", "hybrid: held event", "hybrid: detach");
        assertThat(p.replication.unreplicated()).as("dropped").isZero();
        p.fromChild(2);
        assertThat(p.replication.unreplicated()).as("nothing queued any more").isZero();
    }

    @Test
    void theDataPathReachesThePolicy() {
        s.added(hybrid);
        p.fromChild(1);
        p.fromChild(2);
        p.ackFromParent(1, 2);
        assertThat(journal).containsExactly("hybrid: attach", "hybrid: held event", "hybrid: held event",
                "hybrid: acknowledged 2");
    }

    @Test
    void cellEventsReachThePolicy() {
        s.added(hybrid);
        s.suspected("sp-b");
        s.viewChanged(List.of(FtParts.SELF), List.of("sp-b"), List.of());
        s.viewChanged(List.of(FtParts.SELF), List.of(), List.of()); // no change: not passed on
        s.childCellLost(CellId.of("011", 2));
        assertThat(journal).containsExactly("hybrid: attach", "hybrid: suspected sp-b",
                "hybrid: view [sp-a] gone [sp-b]", "hybrid: lost cell 011");
    }

    @Test
    void aStrategyThatFailsToAttachIsCountedAndLeavesNone() {
        hybrid.failAttach = () -> new IllegalStateException("broken");
        assertThatCode(() -> s.added(hybrid)).doesNotThrowAnyException();
        assertThat(s.name()).isEqualTo("none");
        assertThat(s.failures.sum()).isEqualTo(1);
        p.fromChild(1);
        assertThat(p.replication.unreplicated()).as("not recording").isZero();
    }

    @Test
    void aPolicyThatThrowsOnTheDataPathIsCountedAndNeverHurtsIt() {
        hybrid.failHeld = () -> new IllegalStateException("held");
        hybrid.failAcknowledged = () -> new ArithmeticException("acknowledged");
        s.added(hybrid);

        assertThatCode(() -> p.fromChild(1)).doesNotThrowAnyException();
        assertThatCode(() -> p.ackFromParent(1, 1)).doesNotThrowAnyException();

        assertThat(s.failures.sum()).isEqualTo(2);
        assertThat(p.store.size()).isZero();
        assertThat(Neighbours.link(p.child, p3.transport.TrafficClass.MESH).sent).as("the ack went on down")
                .hasSize(1);
        assertThat(s.name()).as("still in use").isEqualTo("hybrid");
    }

    /**
     * A strategy's bundle that was uninstalled or refreshed while its policy was attached throws
     * linkage errors (NoClassDefFoundError) from every call: that too is the strategy's failure, not
     * the peer's.
     */
    @Test
    void aStrategyWhoseClassesAreGoneIsCountedAndNeverHurtsThePeer() {
        hybrid.failHeld = () -> new NoClassDefFoundError("p3/ft/hybrid/internal/HybridStrategy$HybridPolicy");
        s.added(hybrid);
        assertThatCode(() -> p.fromChild(1)).doesNotThrowAnyException();
        assertThat(s.failures.sum()).isEqualTo(1);

        active.failAttach = () -> new NoClassDefFoundError("p3/ft/base/ReplicationPolicy");
        s.added(active);
        assertThatCode(() -> s.use("active")).doesNotThrowAnyException();
        assertThat(s.failures.sum()).isEqualTo(2);
        assertThat(s.name()).isEqualTo("none");
    }

    @Test
    void stopDetachesAndNothingAttachesAfterwards() {
        s.added(hybrid);
        s.stop();
        assertThat(s.name()).isEqualTo("none");
        s.added(active);
        s.use("active");
        assertThat(s.name()).isEqualTo("none");
        assertThat(journal).containsExactly("hybrid: attach", "hybrid: detach");
        p.fromChild(1);
        assertThat(journal).as("a stopped peer calls no policy").hasSize(2);
    }

    @Test
    void onlyASuperPeerUsesAStrategy() {
        for (PeerRole role : List.of(PeerRole.SENSOR, PeerRole.CLIENT)) {
            FtParts q = new FtParts(role, "hybrid", List.of(FtParts.SELF));
            q.strategies.added(hybrid);
            assertThat(q.strategies.name()).isEqualTo("none");
        }
        assertThat(journal).isEmpty();
    }

    @Test
    void anOrderIsObeyedOnce() {
        assertThat(s.firstTime(42)).isTrue();
        assertThat(s.firstTime(42)).isFalse();
        assertThat(s.firstTime(43)).isTrue();
    }
}
