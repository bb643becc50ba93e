package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;

/** GetCell and the bookkeeping of membership, with no network. */
class TreeViewTest {

    private final TreeShape report = new TreeShape(2, 2, List.of(2), 2);
    private final TreeView tree = new TreeView();
    private int n;

    private PeerRecord add(PeerRole role, String cell) {
        PeerRecord r = new PeerRecord("p" + (++n), role, CellId.of(cell, 2), "", new InetSocketAddress(0), 1);
        tree.put(r);
        return r;
    }

    @Test
    void superPeersFillTheTopFirst() {
        assertThat(tree.place(PeerRole.SUPER, report, Map.of())).hasToString("0");
        add(PeerRole.SUPER, "0");
        assertThat(tree.place(PeerRole.SUPER, report, Map.of())).hasToString("0");
        add(PeerRole.SUPER, "0");
        assertThat(tree.place(PeerRole.SUPER, report, Map.of())).hasToString("01");
        add(PeerRole.SUPER, "01");
        add(PeerRole.SUPER, "01");
        assertThat(tree.place(PeerRole.SUPER, report, Map.of())).hasToString("02");
        // a cell below an empty cell is not offered
        add(PeerRole.SUPER, "02");
        add(PeerRole.SUPER, "02");
        assertThat(tree.place(PeerRole.SUPER, report, Map.of())).hasToString("011");
    }

    @Test
    void reservationsCountAsTaken() {
        add(PeerRole.SUPER, "0");
        assertThat(tree.place(PeerRole.SUPER, report, Map.of(CellId.ROOT, 1))).hasToString("01");
    }

    @Test
    void sensorsGoToTheDeepestCellsWithRoomAndNeverTheRoot() {
        add(PeerRole.SUPER, "0");
        assertThat(tree.place(PeerRole.SENSOR, report, Map.of())).as("only the root has super-peers").isNull();
        add(PeerRole.SUPER, "01");
        add(PeerRole.SUPER, "011");
        assertThat(tree.place(PeerRole.SENSOR, report, Map.of())).hasToString("011");
        add(PeerRole.SENSOR, "011");
        add(PeerRole.SENSOR, "011");
        assertThat(tree.place(PeerRole.SENSOR, report, Map.of())).as("011 is full").hasToString("01");
        assertThat(tree.place(PeerRole.CLIENT, report, Map.of())).isEqualTo(CellId.ROOT);
    }

    /**
     * A sensor that saw its cell's super-peers go is placed elsewhere while this view still holds
     * them (the parent's word of the crash still on its way up), and there only when no other
     * cell has room.
     */
    @Test
    void aSensorIsPlacedAwayFromTheCellItSawGoUnlessNoOtherHasRoom() {
        add(PeerRole.SUPER, "0");
        add(PeerRole.SUPER, "01");
        add(PeerRole.SUPER, "011");
        PeerRecord sensor = add(PeerRole.SENSOR, "011");
        CellId gone = CellId.of("011", 2);
        assertThat(tree.place(PeerRole.SENSOR, report, Map.of(), Set.of(sensor.peer()))).hasToString("011");
        assertThat(tree.place(PeerRole.SENSOR, report, Map.of(), Set.of(sensor.peer()), gone)).hasToString("01");
        add(PeerRole.SENSOR, "01");
        add(PeerRole.SENSOR, "01");
        assertThat(tree.place(PeerRole.SENSOR, report, Map.of(), Set.of(sensor.peer()), gone))
                .as("01 is full: back to 011, where the root checks who is left").hasToString("011");
    }

    @Test
    void aFullTreeHasNoPlace() {
        TreeShape tiny = new TreeShape(1, 0, List.of(1), 0);
        add(PeerRole.SUPER, "0");
        assertThat(tree.place(PeerRole.SUPER, tiny, Map.of())).isNull();
    }

    @Test
    void aPeerAskingAgainDoesNotTakeTheRoomOfWhereItWas() {
        // a tiny tree, full as the root knows it: the peer of cell 01 lost its parent and asks again
        TreeShape tiny = new TreeShape(1, 1, List.of(1), 0);
        add(PeerRole.SUPER, "0");
        PeerRecord asker = add(PeerRole.SUPER, "01");
        assertThat(tree.place(PeerRole.SUPER, tiny, Map.of())).isNull();
        assertThat(tree.place(PeerRole.SUPER, tiny, Map.of(), asker.peer())).hasToString("01");
        assertThat(tree.place(PeerRole.SUPER, tiny, Map.of(), "another")).as("a newcomer still finds it full").isNull();
    }

    @Test
    void aPeerReservedElsewhereHoldsOnePlaceNotTwo() {
        // two places in the root and two in 01; a peer of 01 left it and was placed in the root
        TreeShape tiny = new TreeShape(1, 1, List.of(2), 0);
        add(PeerRole.SUPER, "0");
        add(PeerRole.SUPER, "01");
        PeerRecord moving = add(PeerRole.SUPER, "01");
        Map<CellId, Integer> reserved = Map.of(CellId.ROOT, 1);
        assertThat(tree.place(PeerRole.SUPER, tiny, reserved, Set.of("joiner"))).as("counted twice").isNull();
        assertThat(tree.place(PeerRole.SUPER, tiny, reserved, Set.of("joiner", moving.peer()))).hasToString("01");
    }

    @Test
    void olderNewsNeverUndoesNewer() {
        PeerRecord r = add(PeerRole.SUPER, "01");
        PeerRecord moved = new PeerRecord(r.peer(), r.role(), CellId.of("02", 2), "x", r.links(), 5);
        assertThat(tree.put(moved)).isTrue();
        assertThat(tree.put(r)).as("epoch 1 after epoch 5").isFalse();
        assertThat(tree.remove(r.peer(), 1)).as("a leave of the old binding").isFalse();
        assertThat(tree.get(r.peer()).cell()).hasToString("02");
        assertThat(tree.remove(r.peer(), 5)).isTrue();
        assertThat(tree.get(r.peer())).isNull();
    }

    @Test
    void shapesListTheirCellsBreadthFirst() {
        assertThat(report.cells()).extracting(CellId::toString).containsExactly("0", "01", "02", "011", "012", "021",
                "022");
        assertThat(new TreeShape(3, 1, List.of(3), 2).cells()).hasSize(4);
        assertThat(new TreeShape(2, 2, List.of(2, 3), 2).superPeers(CellId.of("011", 2))).isEqualTo(3);
    }
}
