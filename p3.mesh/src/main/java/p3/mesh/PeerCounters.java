package p3.mesh;

/**
 * What a peer sent since it started: traffic payload apart from the mesh's own control messages
 * (mesh overhead), and what it could not route.
 */
public record PeerCounters(long payloadFrames, long payloadBytes, long controlFrames, long controlBytes,
        long unroutable, long malformed) {
}
