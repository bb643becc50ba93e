package p3.mesh.internal;

import java.util.concurrent.TimeUnit;

import p3.mesh.CellId;
import p3.transport.TreeAddress;

/**
 * A super-peer's turn to found the root when nobody answers for it ({@link Join}, RequestCell):
 * by the cell it was in and its place there, fixed when its join begins, so that one peer founds the
 * root and the others find it founded.
 */
final class FoundingTurn {

    private final MeshSettings s;
    private final Scheduler time;
    private final Routing routing;
    private final Cell cell;
    /**
     * This join's rank, as it was when the join began: the cell-mate that founds first leaves the
     * cell, and the next one, ranked again then, found the root beside it in the same moment (two
     * founders, and their cell emptied under its children).
     */
    private int rank;
    /** When this join's turn comes ({@link #come}). */
    private long turnAtNanos;

    FoundingTurn(MeshSettings s, Scheduler time, Routing routing, Cell cell) {
        this.s = s;
        this.time = time;
        this.routing = routing;
        this.cell = cell;
    }

    /** A join begins: its rank is taken now. */
    void begin() {
        rank = rank();
    }

    /**
     * Whether this peer's turn to found the root has come, after {@code silent + 1} requests that
     * nobody answered: as late as it came when a peer waited out {@link #rank} staggers after the
     * first silence and asked {@link #rounds} times in all, but asking every stagger meanwhile.
     * Waiting it out, after the root cell crashed, the super-peers of cell 02 (ranks 4 and 5) asked
     * again a second after the root was founded anew, and their subtree stayed cut off for 1.3 to
     * 1.5 s (Test II).
     */
    boolean come(int silent) {
        int rounds = rounds();
        if (silent == 0) {
            long turnMs = (long) rank * s.foundingStaggerMs() + (long) (rounds - 1) * s.discoveryTimeoutMs()
                    + (long) Math.max(0, rounds - 2) * s.foundingStaggerMs();
            turnAtNanos = time.nanoTime() + TimeUnit.MILLISECONDS.toNanos(turnMs);
        }
        return silent + 1 >= rounds && time.nanoTime() - turnAtNanos >= 0;
    }

    /**
     * How many requests in a row nobody answers before this super-peer founds the root. Silence is
     * weak evidence on a busy machine: a root that answers after the discovery timeout is alive, and
     * a second root founded beside it splits the mesh until the groups merge. Seen forming 250 and 500
     * sensors on a starved JVM, and after a level-1 cell crashed on a machine at load 40: fresh and
     * deep super-peers founded root cells of their own. The first super-peer of a new mesh asks
     * twice, deeper ones three times; only the first peer of a cell just below the root, whose
     * parents there refused it, founds at once, so that a root that crashed is rebuilt fast.
     */
    private int rounds() {
        CellId previous = routing.table().cell();
        if (previous == null) {
            return 2;
        }
        return previous.depth() <= 1 && rank == 0 ? 1 : 3;
    }

    /**
     * The rank: by the cell it was in, breadth-first, then by its place in that cell. The root cell's
     * own peers and those of the first cell below it share the first turns: a root that is gone has no
     * peer left to take them, and the first orphan founding the root at once, rather than after four
     * turns (a second here), was most of a root cell's rebuild.
     */
    private int rank() {
        CellId previous = routing.table().cell();
        if (previous == null) {
            return 0;
        }
        long pos = TreeAddress.treePos(previous.toString(), s.shape().span());
        return (int) Math.min(1000, Math.max(0, pos - 1) * 4 + cell.indexInCell());
    }
}
