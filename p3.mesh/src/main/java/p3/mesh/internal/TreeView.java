package p3.mesh.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import p3.mesh.CellId;
import p3.mesh.PeerRole;

/**
 * The peers a super-peer knows (report, Listing 3): the whole tree on the root, its subtree
 * elsewhere. Not thread-safe: the peer's strand owns it; others read the snapshot it publishes.
 */
final class TreeView {

    private final Map<String, PeerRecord> byPeer = new HashMap<>();
    /** What it holds, as of its last change, for readers outside the strand (the shell, tests). */
    private volatile List<PeerRecord> published = List.of();

    /** Adds or replaces, unless what is known is newer. @return whether it changed */
    boolean put(PeerRecord r) {
        PeerRecord known = byPeer.get(r.peer());
        if (known != null && known.epoch() > r.epoch()) {
            return false;
        }
        byPeer.put(r.peer(), r);
        publish();
        return !r.equals(known);
    }

    /** Removes a peer, unless a newer binding of it is known. @return whether it changed */
    boolean remove(String peer, long epoch) {
        PeerRecord known = byPeer.get(peer);
        if (known == null || known.epoch() > epoch) {
            return false;
        }
        byPeer.remove(peer);
        publish();
        return true;
    }

    PeerRecord get(String peer) {
        return byPeer.get(peer);
    }

    List<PeerRecord> all() {
        return new ArrayList<>(byPeer.values());
    }

    int count(CellId cell, PeerRole role) {
        return count(cell, role, Set.of());
    }

    /** @param except a peer not to count (null for none) */
    int count(CellId cell, PeerRole role, String except) {
        return count(cell, role, except == null ? Set.of() : Set.of(except));
    }

    /** @param except peers not to count */
    int count(CellId cell, PeerRole role, Set<String> except) {
        int n = 0;
        for (PeerRecord r : byPeer.values()) {
            if (r.role() == role && cell.equals(r.cell()) && !except.contains(r.peer())) {
                n++;
            }
        }
        return n;
    }

    /** The peers at or below {@code cell}, plus those bound below it (sensors, children). */
    List<PeerRecord> subtree(CellId cell) {
        List<PeerRecord> out = new ArrayList<>();
        for (PeerRecord r : byPeer.values()) {
            if (r.cell() != null && cell.contains(r.cell())) {
                out.add(r);
            }
        }
        return out;
    }

    private void publish() {
        published = List.copyOf(byPeer.values());
    }

    /** Any thread: the records as of the last change. */
    List<PeerRecord> snapshot() {
        return published;
    }

    /** Any thread: one line per peer as of the last change, breadth-first by cell, then by role and id. */
    List<String> lines() {
        List<PeerRecord> sorted = new ArrayList<>(published);
        sorted.sort(Comparator.comparing(PeerRecord::cell, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(PeerRecord::role).thenComparing(PeerRecord::peer));
        List<String> lines = new ArrayList<>(sorted.size());
        for (PeerRecord r : sorted) {
            lines.add(r.line());
        }
        return lines;
    }

    /**
     * GetCell: where a new peer of that role goes, counting {@code reserved} placements not yet
     * joined. Super-peers fill the top of the tree first, in a cell whose parent cell has
     * super-peers; sensors go to the deepest cells with super-peers and room first, never the
     * root; clients go to the root. The asker's own record does not count: a peer that asks is
     * not where it was (it left its cell, or lost it), and counting it where it was made the tree
     * look full to the peers of an orphaned subtree asking again while the root still held them.
     *
     * @param asker the peer asking, or null
     * @return the cell, or {@code null} when the tree has no room
     */
    CellId place(PeerRole role, TreeShape shape, Map<CellId, Integer> reserved) {
        return place(role, shape, reserved, Set.of());
    }

    /** {@link #place(PeerRole, TreeShape, Map)} for a peer that may be known already. */
    CellId place(PeerRole role, TreeShape shape, Map<CellId, Integer> reserved, String asker) {
        return place(role, shape, reserved, asker == null ? Set.of() : Set.of(asker));
    }

    /**
     * {@link #place(PeerRole, TreeShape, Map)}, not counting {@code elsewhere} where they are known:
     * the asker, and the peers that {@code reserved} counts already where they are going. Counted in
     * both, a super-peer that had left its cell to join anew held two places; after a level-1 crash
     * five such rejoiners made a tree of 13 super-peers look full to the sixth for the 30 s the test
     * waited.
     */
    CellId place(PeerRole role, TreeShape shape, Map<CellId, Integer> reserved, Set<String> elsewhere) {
        return place(role, shape, reserved, elsewhere, null);
    }

    /**
     * {@link #place(PeerRole, TreeShape, Map, Set)} for a sensor that saw every super-peer of
     * {@code gone} go: another cell with room first, that one only when no other has room (the
     * root's view of it may be behind, as it is when the parent's word of the crash is still on
     * its way up, and a sensor placed there again waited out two discovery timeouts).
     */
    CellId place(PeerRole role, TreeShape shape, Map<CellId, Integer> reserved, Set<String> elsewhere, CellId gone) {
        if (role == PeerRole.SENSOR && gone != null) {
            CellId other = placeSensor(shape, reserved, elsewhere, gone);
            return other != null ? other : placeSensor(shape, reserved, elsewhere, null);
        }
        if (role == PeerRole.CLIENT) {
            return CellId.ROOT;
        }
        List<CellId> cells = shape.cells();
        if (role == PeerRole.SUPER) {
            for (CellId c : cells) {
                int supers = count(c, PeerRole.SUPER, elsewhere) + reserved.getOrDefault(c, 0);
                boolean reachable = c.isRoot() || count(c.parent(), PeerRole.SUPER, elsewhere) > 0;
                if (reachable && supers < shape.superPeers(c)) {
                    return c;
                }
            }
            return null;
        }
        return placeSensor(shape, reserved, elsewhere, null);
    }

    private CellId placeSensor(TreeShape shape, Map<CellId, Integer> reserved, Set<String> elsewhere, CellId not) {
        List<CellId> cells = shape.cells();
        for (int i = cells.size() - 1; i >= 0; i--) {
            CellId c = cells.get(i);
            if (c.isRoot() || c.equals(not) || count(c, PeerRole.SUPER) == 0) {
                continue;
            }
            int sensors = count(c, PeerRole.SENSOR, elsewhere) + reserved.getOrDefault(c, 0);
            if (sensors < shape.sensorsPerCell()) {
                return c;
            }
        }
        return null;
    }

    /**
     * Who holds each cell of the shape, as {@code 01 [sp03 sp04 | sensor5]}: what an operator reads
     * beside a refusal to see why the tree looks full.
     */
    String occupancy(TreeShape shape) {
        StringBuilder out = new StringBuilder();
        for (CellId c : shape.cells()) {
            out.append(out.length() == 0 ? "" : ", ").append(c).append(" [");
            for (PeerRole role : List.of(PeerRole.SUPER, PeerRole.SENSOR)) {
                if (role == PeerRole.SENSOR) {
                    out.append(" |");
                }
                byPeer.values().stream().filter(r -> r.role() == role && c.equals(r.cell())).map(PeerRecord::peer)
                        .sorted().forEach(p -> out.append(' ').append(p));
            }
            out.append(" ]");
        }
        return out.toString();
    }

    /** Counts of reservations by cell, for {@link #place}. */
    static Map<CellId, Integer> countByCell(Collection<CellId> cells) {
        Map<CellId, Integer> m = new HashMap<>();
        for (CellId c : cells) {
            m.merge(c, 1, Integer::sum);
        }
        return m;
    }
}
