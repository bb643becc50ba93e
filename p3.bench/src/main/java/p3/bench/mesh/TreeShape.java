package p3.bench.mesh;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The tree the bench forms: the parameters of the report's Table I that shape it. Cells are
 * named as p3.mesh's CellId names them: root {@code 0}, then one digit 1..span per level.
 *
 * @param span              children per cell (1..9)
 * @param depth             levels below the root, so levels 0..depth
 * @param superPeersPerCell per level, root first; the last value holds for deeper levels
 * @param sensorsPerCell    at most this many sensors per non-root cell (the root takes none)
 * @param sensors           sensor-peers the bench starts
 */
public record TreeShape(int span, int depth, @JsonProperty("supers_per_cell") List<Integer> superPeersPerCell,
        @JsonProperty("sensors_per_cell") int sensorsPerCell, int sensors) {

    /**
     * The report's bench: span 2, levels 0 to 2, 2 super-peers per cell, 2 sensors per cell, 8
     * sensors (enough for its Test II, where 8 sensors outgrow the cells left after the 6th
     * super-peer of level 2 fails), 1 client at the root.
     */
    public static TreeShape report() {
        return new TreeShape(2, 2, List.of(2), 2, 8);
    }

    public TreeShape {
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
        if (sensorsPerCell < 0 || sensors < 0) {
            throw new IllegalArgumentException("sensor counts must not be negative: " + sensorsPerCell + ", " + sensors);
        }
        double room = (cellCount(span, depth) - 1) * sensorsPerCell;
        if (sensors > room) {
            throw new IllegalArgumentException(sensors + " sensors do not fit in the " + (long) room
                    + " places of the non-root cells");
        }
    }

    /** Super-peers of each cell at that level. */
    public int superPeers(int level) {
        return superPeersPerCell.get(Math.min(level, superPeersPerCell.size() - 1));
    }

    /** The cells at that level, in CellId order: {@code 0}; {@code 01, 02}; {@code 011, 012, 021, 022}... */
    public List<String> cells(int level) {
        if (level < 0 || level > depth) {
            throw new IllegalArgumentException("level must be within 0.." + depth + ": " + level);
        }
        List<String> cells = List.of("0");
        for (int l = 0; l < level; l++) {
            List<String> next = new ArrayList<>();
            for (String c : cells) {
                for (int digit = 1; digit <= span; digit++) {
                    next.add(c + digit);
                }
            }
            cells = next;
        }
        return cells;
    }

    /** As a double: a deep, wide tree has more cells than a long holds. */
    private static double cellCount(int span, int depth) {
        double cells = 0;
        double level = 1;
        for (int l = 0; l <= depth; l++) {
            cells += level;
            level *= span;
        }
        return cells;
    }
}
