package p3.mesh;

/**
 * What a peer sent since it started: traffic payload apart from the mesh's own control messages
 * (mesh overhead), what it could not route, and what it refused.
 *
 * @param unauthorized what a peer's certificate did not allow (a sensor binding as a super-peer,
 *                     sending as another peer, steering the mesh), refused (since 1.3)
 */
public record PeerCounters(long payloadFrames, long payloadBytes, long controlFrames, long controlBytes,
        long unroutable, long malformed, long unauthorized) {

    public PeerCounters(long payloadFrames, long payloadBytes, long controlFrames, long controlBytes, long unroutable,
            long malformed) {
        this(payloadFrames, payloadBytes, controlFrames, controlBytes, unroutable, malformed, 0);
    }
}
