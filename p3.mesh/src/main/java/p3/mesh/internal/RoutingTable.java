package p3.mesh.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.CellGroup;

/**
 * What the data path needs to route a frame (Listing 4), as one immutable snapshot: the strand
 * builds a new one whenever a neighbour comes or goes and publishes it; the transport's threads
 * read the latest without locks. The links inside a {@link LinkSet} may change between snapshots
 * (a class's link reopened); a LinkSet is built for that.
 *
 * @param cell       this peer's cell, or null while it has none
 * @param uplinks    the parent bindings: one, or every root super-peer for a client
 * @param children   children by PeerId
 * @param childCells the bound children that are super-peers of a child cell, by that cell
 * @param group      this super-peer's cell group, or null
 * @param mates      the cell's members, coordinator first
 * @param mateOfPeer which cell-mate has a peer as its child
 * @param mateOfCell which cell-mate has a super-peer of a child cell as its child
 */
record RoutingTable(CellId cell, List<Binding> uplinks, Map<String, Child> children,
        Map<CellId, List<Child>> childCells, CellGroup group, List<String> mates, Map<String, String> mateOfPeer,
        Map<CellId, String> mateOfCell) {

    static final RoutingTable EMPTY = new RoutingTable(null, List.of(), Map.of(), Map.of(), null, List.of(), Map.of(),
            Map.of());

    RoutingTable withCell(CellId c) {
        return new RoutingTable(c, uplinks, children, childCells, group, mates, mateOfPeer, mateOfCell);
    }

    RoutingTable withUplinks(List<Binding> u) {
        return new RoutingTable(cell, List.copyOf(u), children, childCells, group, mates, mateOfPeer, mateOfCell);
    }

    /** The children, and the index of child cells built from their records. */
    RoutingTable withChildren(Map<String, Child> all) {
        Map<CellId, List<Child>> byCell = new HashMap<>();
        for (Child c : all.values()) {
            PeerRecord r = c.record;
            if (r != null && r.role() == PeerRole.SUPER && r.cell() != null) {
                byCell.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(c);
            }
        }
        byCell.replaceAll((k, v) -> List.copyOf(v));
        return new RoutingTable(cell, uplinks, Map.copyOf(all), Map.copyOf(byCell), group, mates, mateOfPeer,
                mateOfCell);
    }

    RoutingTable withCellGroup(CellGroup g, List<String> members) {
        return new RoutingTable(cell, uplinks, children, childCells, g, List.copyOf(members), mateOfPeer, mateOfCell);
    }

    RoutingTable withMates(Map<String, String> ofPeer, Map<CellId, String> ofCell) {
        return new RoutingTable(cell, uplinks, children, childCells, group, mates, Map.copyOf(ofPeer),
                Map.copyOf(ofCell));
    }

    /** The parent a control message goes to: the first binding's. */
    String parent() {
        return uplinks.isEmpty() ? "" : uplinks.get(0).peer();
    }
}
