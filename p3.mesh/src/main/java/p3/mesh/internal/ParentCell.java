package p3.mesh.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a child knows of its parent cell's super-peers: those discovery last told of, and those of
 * them seen to go since (a link closed, or would not connect; a timeout is no sign). Strand only.
 */
final class ParentCell {

    private Set<String> told = Set.of();
    private final Set<String> wentAway = new HashSet<>();

    /** Discovery told who serves in the parent cell: they are there, whatever went before. */
    void told(List<PeerRecord> parents) {
        Set<String> now = new HashSet<>();
        parents.forEach(p -> now.add(p.peer()));
        told = now;
        wentAway.removeAll(now);
    }

    void wentAway(String peer) {
        wentAway.add(peer);
    }

    /**
     * Whether every super-peer of the parent cell that discovery told of went away since: the cell
     * most likely crashed whole, and asking it again costs a discovery timeout of silence (Test II:
     * 250 of the 560 ms of a super-peer's slow rebind). It may hold one that came since, unknown
     * here: the root, asked instead, knows it.
     */
    boolean gone() {
        return !told.isEmpty() && wentAway.containsAll(told);
    }

    /** The super-peers discovery last told of. */
    Set<String> peers() {
        return told;
    }
}
