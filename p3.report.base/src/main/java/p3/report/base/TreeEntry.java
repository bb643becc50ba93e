package p3.report.base;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;

/**
 * One peer of the tree as a peer knows it, read from a line of {@link MeshPeer#tree()} (cell, peer,
 * role, {@code parent=ID}; ids hold no spaces).
 *
 * @param parent the peer it is bound to upwards, or {@code null} for a root super-peer
 */
public record TreeEntry(String cell, String peer, String role, String parent) {

    /** @throws IllegalArgumentException when the line is not cell, peer, role, parent=ID */
    public static TreeEntry parse(String line) {
        String[] w = line.trim().split("\\s+");
        if (w.length != 4 || !w[3].startsWith("parent=")) {
            throw new IllegalArgumentException("not a tree line (cell peer role parent=ID): " + line);
        }
        String parent = w[3].substring("parent=".length());
        return new TreeEntry(w[0], w[1], w[2].toLowerCase(Locale.ROOT),
                parent.isEmpty() || parent.equals("null") || parent.equals("-") ? null : parent);
    }

    /** The tree as seen by one peer of this runtime. */
    public record Tree(String seenBy, List<TreeEntry> entries) {
    }

    /**
     * The whole tree as a bound root super-peer of this runtime knows it; without one, what this
     * runtime's peers know of their subtrees, together. Lines that do not parse are skipped.
     */
    public static Tree of(List<MeshPeer> peers) {
        for (MeshPeer p : peers) {
            if (p.role() == PeerRole.SUPER && p.state() == PeerState.BOUND && p.cell() != null && p.cell().isRoot()) {
                return new Tree(p.id(), parseAll(p.tree()));
            }
        }
        Map<String, TreeEntry> merged = new LinkedHashMap<>();
        List<String> seers = new ArrayList<>();
        for (MeshPeer p : peers) {
            if (p.state() == PeerState.CRASHED || p.state() == PeerState.LEFT) {
                continue;
            }
            seers.add(p.id());
            for (TreeEntry e : parseAll(p.tree())) {
                merged.putIfAbsent(e.peer(), e);
            }
        }
        return new Tree(String.join(",", seers), new ArrayList<>(merged.values()));
    }

    private static List<TreeEntry> parseAll(List<String> lines) {
        List<TreeEntry> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                out.add(parse(line));
            } catch (IllegalArgumentException e) {
                // a line of another format: the tree shows the others
            }
        }
        return out;
    }
}
