package p3.mesh;

/** How a peer found a new parent after its parent failed. */
public enum RebindKind {
    /** Another peer of the same parent cell, from the discovery information it already held. */
    FAST,
    /** The whole join again. */
    SLOW
}
