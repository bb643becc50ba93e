package p3.mesh.internal;

import java.util.concurrent.atomic.LongAdder;

import p3.mesh.PeerCounters;

/** What a peer counts, from any thread: payload apart from control (mesh overhead), and what it refused. */
final class PeerMetrics {
    final LongAdder payloadFrames = new LongAdder();
    final LongAdder payloadBytes = new LongAdder();
    final LongAdder controlFrames = new LongAdder();
    final LongAdder controlBytes = new LongAdder();
    /** Frames with no way on: no link, no parent, no mate. */
    final LongAdder unroutable = new LongAdder();
    /** Control or FT bytes that could not be decoded, and control that made no sense here. */
    final LongAdder malformed = new LongAdder();
    /** What a peer's certificate did not allow: see {@link Authorization}. */
    final LongAdder unauthorized = new LongAdder();
    /** Control frames a link refused (full or closed). */
    final LongAdder refused = new LongAdder();

    PeerCounters counters() {
        return new PeerCounters(payloadFrames.sum(), payloadBytes.sum(), controlFrames.sum(), controlBytes.sum(),
                unroutable.sum(), malformed.sum(), unauthorized.sum());
    }
}
