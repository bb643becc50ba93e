package p3.mesh;

/** Where a peer is in its life. */
public enum PeerState {
    /** Looking for its place (RequestCell, RequestParent). */
    JOINING,
    /** In its cell and bound to its parent. */
    BOUND,
    /** Its parent failed; binding to another. */
    REBINDING,
    /** Left with a goodbye. */
    LEFT,
    /** Stopped without a goodbye (fault injection). */
    CRASHED
}
