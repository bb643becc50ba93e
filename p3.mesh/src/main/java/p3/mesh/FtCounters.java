package p3.mesh;

/**
 * A peer's fault tolerance at a glance.
 *
 * @param strategy            the strategy in use on a super-peer ({@code none} when no strategy bundle
 *                            is there); {@code memory} or {@code no memory} on a sensor; {@code -} on a client
 * @param held                FT messages in its pending store now (its own and its cell-mates' replicas)
 * @param heldBytes           what they cost in memory, about: payloads and the store's overhead per message
 * @param replicaMessages     replicas and checkpoints it sent to its cell
 * @param replicaBytes        their bytes: the replication overhead
 * @param acknowledged        held messages removed by an acknowledgement
 * @param resent              messages it sent again: after a rebind, or after a timeout
 * @param takenOver           messages it took over and sent again: a failed cell-mate's, or a lost child
 *                            cell's (report, Listing 8)
 * @param notHeld             FT messages it refused, its store being full: a super-peer does not pass them
 *                            on, and the neighbour below, which holds them, sends them again later
 * @param expired             held messages given up unacknowledged after the subscription lease: their
 *                            client is gone, or was cut off that long
 * @param droppedAtSource     a sensor's own messages given up, oldest first, when its memory was full
 * @param retransmitTimeoutMs how long a message it sends now waits for its acknowledgement before it goes
 *                            again, as learned from the round trips of acknowledgements
 */
public record FtCounters(String strategy, int held, long heldBytes, long replicaMessages, long replicaBytes,
        long acknowledged, long resent, long takenOver, long notHeld, long expired, long droppedAtSource,
        long retransmitTimeoutMs) {

    /** The figures of version 1.3, the others zero. */
    public FtCounters(String strategy, int held, long replicaMessages, long replicaBytes, long acknowledged,
            long resent, long takenOver, long notHeld) {
        this(strategy, held, 0, replicaMessages, replicaBytes, acknowledged, resent, takenOver, notHeld, 0, 0, 0);
    }
}
