package p3.mesh;

/**
 * A peer's fault tolerance at a glance.
 *
 * @param strategy            the strategy in use on a super-peer ({@code none} when no strategy bundle
 *                            is there); {@code memory} or {@code no memory} on a sensor; {@code -} on a client
 * @param held                FT messages in its pending store now (its own and its cell-mates' replicas)
 * @param replicaMessages     replicas and checkpoints it sent to its cell
 * @param replicaBytes        their bytes: the replication overhead
 * @param acknowledged        held messages removed by an acknowledgement
 * @param resent              messages it sent again: after a rebind, or after a timeout
 * @param takenOver           messages it took over and sent again: a failed cell-mate's, or a lost child
 *                            cell's (report, Listing 8)
 * @param notHeld             FT messages it forwarded without holding them, its store being full
 */
public record FtCounters(String strategy, int held, long replicaMessages, long replicaBytes, long acknowledged,
        long resent, long takenOver, long notHeld) {
}
