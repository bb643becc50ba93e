package p3.bench.mesh;

/**
 * One crash of a fault schedule. Peer ids are only known once the mesh has formed, so a step
 * names a super-peer by its rank within its cell; the runner maps the rank to a peer in an order
 * that does not depend on timing (e.g. the cell's peer ids sorted).
 *
 * @param level     the cell's level, 0 for the root
 * @param cell      the cell, named as p3.mesh's CellId names it
 * @param superPeer the super-peer's rank within the cell, from 0; {@link #WHOLE_CELL} for a cell fault
 * @param kind      a single super-peer or the whole cell at once
 * @param count     super-peers down at that level once this step is done
 */
public record FaultStep(int level, String cell, int superPeer, FaultKind kind, int count) {

    public static final int WHOLE_CELL = -1;

    public FaultStep {
        if ((kind == FaultKind.CELL) != (superPeer == WHOLE_CELL) || superPeer < WHOLE_CELL) {
            throw new IllegalArgumentException("a " + kind + " fault cannot name super-peer " + superPeer);
        }
    }

    static FaultStep peer(int level, String cell, int superPeer, int count) {
        return new FaultStep(level, cell, superPeer, FaultKind.PEER, count);
    }

    static FaultStep cell(int level, String cell, int count) {
        return new FaultStep(level, cell, WHOLE_CELL, FaultKind.CELL, count);
    }
}
