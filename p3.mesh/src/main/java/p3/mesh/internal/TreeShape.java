package p3.mesh.internal;

import java.util.ArrayList;
import java.util.List;

import p3.mesh.CellId;

/**
 * The shape the tree may take: its span, its depth, how many super-peers a cell holds at each
 * depth, and how many sensors a cell holds.
 *
 * @param span            children per cell (1..9)
 * @param depth           levels below the root (the report's bench: 2, so cells 0; 01, 02; 011..022)
 * @param superPeersPerCell per depth, root first; the last value holds for deeper levels
 * @param sensorsPerCell  at most this many sensors per non-root cell
 */
record TreeShape(int span, int depth, List<Integer> superPeersPerCell, int sensorsPerCell) {

    TreeShape {
        if (span < 1 || span > 9) {
            throw new IllegalArgumentException("span must be within 1..9: " + span);
        }
        if (depth < 0 || depth > 31) {
            throw new IllegalArgumentException("depth must be within 0..31: " + depth);
        }
        superPeersPerCell = List.copyOf(superPeersPerCell);
        if (superPeersPerCell.isEmpty() || superPeersPerCell.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("superPeersPerCell needs positive counts: " + superPeersPerCell);
        }
        if (sensorsPerCell < 0) {
            throw new IllegalArgumentException("sensorsPerCell must not be negative: " + sensorsPerCell);
        }
    }

    int superPeers(CellId cell) {
        int d = cell.depth();
        return superPeersPerCell.get(Math.min(d, superPeersPerCell.size() - 1));
    }

    /** Every cell of the tree, breadth-first. */
    List<CellId> cells() {
        List<CellId> all = new ArrayList<>();
        all.add(CellId.ROOT);
        for (int i = 0; i < all.size(); i++) {
            CellId c = all.get(i);
            if (c.depth() < depth) {
                for (int d = 1; d <= span; d++) {
                    all.add(c.child(d));
                }
            }
        }
        return all;
    }
}
