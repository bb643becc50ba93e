package p3.mesh.spi;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** What a strategy may do with its super-peer's pending store and cell. Implemented by the mesh. */
@ProviderType
public interface FtCell {

    String peerId();

    /** The cell's members, coordinator first, this peer included. */
    List<String> members();

    /**
     * Sends the cell, soon and never on the caller's thread, what changed in this peer's store
     * since the last time: the FT messages it now holds and those acknowledged. Each mate keeps
     * them as held by this peer. Calls made while a send is under way are coalesced into the next
     * one, so that replication batches itself under load.
     */
    void replicate();

    /**
     * Like {@link #replicate()}, at the latest after {@code micros}: what is held meanwhile goes in
     * the same replica, so that a busy cell sends fewer, larger ones.
     */
    void replicateWithin(long micros);

    /** Changes not sent to the cell yet (messages held plus acknowledged). */
    int unreplicated();

    /**
     * Takes over the messages a failed mate held, as the last replication gave them: this peer
     * holds them now and sends them up again. Duplicates are dropped at the client.
     *
     * @return how many messages were sent again
     */
    int takeOver(String failedMate);

    /**
     * Sends again the messages this peer holds whose origin lies in the subtree of {@code cell}: a
     * parent taking over for a child cell that is gone.
     *
     * @return how many messages were sent again
     */
    int resendFrom(String cell);
}
