package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * The replication queue behind FtCell (Listing 5's cell.SendMessage, Listing 7's stored requests):
 * changes of the store queue while a strategy is attached, and go to the cell group as one replica
 * on the strand when the strategy says so.
 */
class ReplicationQueueTest {

    private final FtParts p = new FtParts("hybrid");
    private final RecordingStrategy hybrid = new RecordingStrategy("hybrid");

    private void attach() {
        p.strategies.added(hybrid);
        assertThat(p.strategies.name()).isEqualTo("hybrid");
    }

    private static List<Long> heldSequences(FtCodec.Replica r) {
        return r.held().stream().map(h -> h.frame().sequence()).toList();
    }

    @Test
    void nothingIsQueuedBeforeAStrategyAttaches() {
        p.fromChild(1);
        p.fromChild(2);
        p.ackFromParent(1, 1);
        assertThat(p.replication.unreplicated()).isZero();

        p.replication.replicate();
        p.turn();
        assertThat(p.group.offers).isEmpty();
    }

    @Test
    void attachingQueuesASnapshotOfWhatThisPeerHolds() {
        p.fromChild(1);
        p.fromChild(2);
        p.custody.onReplica("sp-b", FtCodec.replica(List.of(new FtCodec.Held(FtParts.ft(3), "sp-x")), List.of()));
        assertThat(p.store.size()).isEqualTo(3);

        attach();

        assertThat(p.replication.unreplicated()).as("what this peer holds, not the mate's replica").isEqualTo(2);
        p.replication.replicate();
        p.turn();
        assertThat(p.replicas()).singleElement().satisfies(r -> {
            assertThat(heldSequences(r)).containsExactlyInAnyOrder(1L, 2L);
            assertThat(r.held()).allSatisfy(h -> assertThat(h.from()).isEqualTo("sp-x"));
            assertThat(r.acked()).isEmpty();
        });
    }

    @Test
    void heldAndAcknowledgedChangesAreCountedAndGoInOneReplica() {
        attach();
        for (long s = 1; s <= 4; s++) {
            p.fromChild(s);
        }
        assertThat(p.replication.unreplicated()).isEqualTo(4);
        p.ackFromParent(1, 2);
        assertThat(p.replication.unreplicated()).as("plus one acknowledged range").isEqualTo(5);

        p.replication.replicate();
        assertThat(p.group.offers).as("nothing before the strand turns").isEmpty();
        p.turn();

        assertThat(p.replicas()).singleElement().satisfies(r -> {
            assertThat(heldSequences(r)).as("not what was acknowledged meanwhile").containsExactlyInAnyOrder(3L, 4L);
            assertThat(r.acked()).containsExactly(new FtCodec.Acked(new PendingStore.Stream("sensor-1", "client"),
                    TrafficClass.EVENT, 1, 2));
        });
        assertThat(p.replication.unreplicated()).isZero();
        assertThat(p.replication.replicaMessages.sum()).isEqualTo(1);
        assertThat(p.replication.replicaBytes.sum()).isEqualTo(p.group.toAll().get(0).length);

        p.replication.replicate();
        p.turn();
        assertThat(p.group.offers).as("nothing new, nothing sent").hasSize(1);
    }

    @Test
    void callsMadeBeforeTheStrandTurnsAreCoalesced() {
        attach();
        p.fromChild(1);
        p.replication.replicate();
        p.fromChild(2);
        p.replication.replicate();
        p.replication.replicate();
        p.turn();
        assertThat(p.replicas()).singleElement().satisfies(r -> assertThat(heldSequences(r)).hasSize(2));
    }

    @Test
    void aCellOfOneKeepsNoReplica() {
        FtParts alone = new FtParts(PeerRole.SUPER, "hybrid", List.of(FtParts.SELF));
        alone.strategies.added(hybrid);
        alone.fromChild(1);
        alone.replication.replicate();
        alone.turn();
        assertThat(alone.group.offers).isEmpty();
        assertThat(alone.replication.unreplicated()).as("drained all the same").isZero();

        alone.routing.update(t -> t.withCellGroup(null, List.of()));
        alone.fromChild(2);
        alone.replication.replicate();
        alone.turn();
        assertThat(alone.group.offers).as("no group").isEmpty();
    }

    @Test
    void replicateWithinDrainsAfterThatMuchTime() {
        attach();
        p.fromChild(1);
        p.replication.replicateWithin(500);
        p.fromChild(2);
        p.replication.replicateWithin(500); // coalesced into the first
        p.turn();
        assertThat(p.group.offers).isEmpty();

        p.time.advance(Duration.ofNanos(499_000));
        p.turn();
        assertThat(p.group.offers).isEmpty();

        p.time.advance(Duration.ofNanos(1_000));
        p.turn();
        assertThat(p.replicas()).singleElement().satisfies(r -> assertThat(heldSequences(r)).hasSize(2));

        p.fromChild(3);
        p.replication.replicateWithin(0); // at once
        p.turn();
        assertThat(p.replicas()).hasSize(2);
    }

    @Test
    void largeChangesAreCutIntoSeveralReplicas() {
        attach();
        for (long s = 1; s <= 600; s++) {
            p.routing.route(new Frame(FrameType.DATA, TrafficClass.VIDEO, Frame.FLAG_FAULT_TOLERANT, "sensor-1", "011",
                    "client", "0", s, 0, new byte[1024]), "sp-x", false);
        }
        p.replication.replicate();
        p.turn();
        List<FtCodec.Replica> replicas = p.replicas();
        assertThat(replicas).hasSizeBetween(2, 4);
        assertThat(p.group.toAll()).allSatisfy(b -> assertThat(b.length).isLessThan(300 * 1024));
        List<Long> all = new ArrayList<>();
        replicas.forEach(r -> all.addAll(heldSequences(r)));
        assertThat(all).hasSize(600).doesNotHaveDuplicates();
    }

    @Test
    void aReplicaTheGroupRefusesIsNotLost() {
        attach();
        p.fromChild(1);
        p.group.accepting = false; // its queue is full
        p.replication.replicate();
        p.turn();
        assertThat(p.group.offers).isEmpty();
        assertThat(p.replication.unreplicated()).as("not sent to the cell yet").isEqualTo(1);

        p.group.accepting = true;
        p.fromChild(2);
        p.replication.replicate();
        p.turn();
        assertThat(p.replicas()).singleElement()
                .satisfies(r -> assertThat(heldSequences(r)).containsExactlyInAnyOrder(1L, 2L));
        assertThat(p.replication.unreplicated()).isZero();
    }

    @Test
    void aNewcomerGetsASnapshot() {
        attach();
        p.fromChild(1);
        p.replication.replicate();
        p.turn();
        assertThat(p.replicas()).hasSize(1);

        p.strategies.viewChanged(List.of(FtParts.SELF, "sp-b", "sp-c"), List.of(), List.of("sp-c"));
        assertThat(p.replication.unreplicated()).isEqualTo(1);
        p.replication.replicate();
        p.turn();
        assertThat(p.replicas()).hasSize(2);
        assertThat(heldSequences(p.replicas().get(1))).containsExactly(1L);
    }

    @Test
    void membersAndPeerIdComeFromTheTable() {
        assertThat(p.replication.peerId()).isEqualTo(FtParts.SELF);
        assertThat(p.replication.members()).containsExactly(FtParts.SELF, "sp-b");
    }

    @Test
    void takeOverAndResendFromAreTheCustodys() {
        attach();
        p.custody.onReplica("sp-b", FtCodec.replica(List.of(new FtCodec.Held(FtParts.ft(7), "sp-x")), List.of()));
        p.fromChild(8);
        Neighbours.link(p.parent, TrafficClass.EVENT).sent.clear();

        assertThat(p.replication.takeOver("sp-b")).isEqualTo(1);
        assertThat(Neighbours.link(p.parent, TrafficClass.EVENT).sent).extracting(Frame::sequence)
                .containsExactly(7L);
        assertThat(p.store.select(e -> "sp-b".equals(e.holder))).isEmpty();

        assertThat(p.replication.resendFrom("011")).isEqualTo(2);
        assertThat(p.replication.resendFrom("012")).isZero();
    }
}
