package p3.mesh.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One strategy's work for one super-peer. {@link #held} and {@link #acknowledged} run on the
 * transport's event loops, on the path of every FT message: they must return at once (count,
 * flag, or call {@link FtCell#replicate()}, which never waits). The others run on the peer's own
 * thread.
 */
@ConsumerType
public interface FtPolicy {

    /** The peer now holds a new FT message of this class ({@code audio}, {@code video}, {@code event}). */
    void held(String trafficClass);

    /** Messages held in the cell were acknowledged by the root. */
    void acknowledged(int count);

    /** A cell-mate is suspected (its group's failure detector, or a link that stalled): it may be failing. */
    void suspected(String mate);

    /**
     * The cell's view changed: {@code members} are in it now (coordinator first), {@code gone}
     * crashed or left since the last view. This is where a strategy takes over a failed mate's
     * messages (report, Listing 8).
     */
    void viewChanged(List<String> members, List<String> gone);

    /** Every super-peer of a child cell is gone: the parent's part of Listing 8. */
    void childCellLost(String cell);

    /** The peer stops using this policy (swap, or the strategy's bundle stops): hand over what is due. */
    void detach();
}
