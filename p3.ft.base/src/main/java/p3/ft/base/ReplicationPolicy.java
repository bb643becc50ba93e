package p3.ft.base;

import java.util.List;

import p3.mesh.PeerIds;
import p3.mesh.spi.FtCell;
import p3.mesh.spi.FtPolicy;

/**
 * The report's recovery (Listing 8), shared by strategies that differ in when they replicate: on a
 * cell-mate's failure, the survivors nearest to its PeerId (Levenshtein) take over the messages it
 * held, as the last replica gave them; when a whole child cell is gone, its parent sends again what
 * it holds from there. Subclasses decide when {@link FtCell#replicate()} is called.
 */
public abstract class ReplicationPolicy implements FtPolicy {

    protected final FtCell cell;

    protected ReplicationPolicy(FtCell cell) {
        this.cell = cell;
    }

    @Override
    public void viewChanged(List<String> members, List<String> gone) {
        for (String failed : gone) {
            // ties are possible: each of them resends, and the client drops the duplicates
            if (PeerIds.closest(failed, members).contains(cell.peerId())) {
                cell.takeOver(failed);
            }
        }
    }

    @Override
    public void childCellLost(String lostCell) {
        cell.resendFrom(lostCell);
    }

    @Override
    public void suspected(String mate) {
    }

    /** What is queued and not sent yet stays in the mesh for the next strategy. */
    @Override
    public void detach() {
    }
}
