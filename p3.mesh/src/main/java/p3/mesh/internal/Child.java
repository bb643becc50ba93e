package p3.mesh.internal;

/**
 * A child of this super-peer: a super-peer of a child cell, a sensor of this cell, or a client at
 * the root. Its links arrive first; its record once it said BIND. Made and dropped by
 * {@link Downlinks} on the strand; its links are read by the data path on any thread.
 */
final class Child {
    final String peer;
    final LinkSet links = new LinkSet();
    /** Set on BIND, on the strand; read by routing. */
    volatile PeerRecord record;
    /** It said goodbye: its links closing is not a failure. Strand only. */
    boolean leaving;
    /** Housekeeping rounds in a row that found it without a MESH link. Strand only. */
    int meshlessRounds;

    Child(String peer) {
        this.peer = peer;
    }
}
