package p3.mesh;

/** What a peer is in the tree. */
public enum PeerRole {
    /** Member of one cell; relays traffic. */
    SUPER,
    /** Leaf; produces traffic; binds to one super-peer of a non-root cell. */
    SENSOR,
    /** Sink; binds at the root cell. */
    CLIENT
}
