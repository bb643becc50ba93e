package p3.transport;

import java.util.Objects;

/**
 * One message on a link. Identifiers are the mesh's (PeerId and CellId in text form); the transport
 * only carries them. {@code sendNanos} is {@link System#nanoTime()} of the original sender, a
 * monotonic clock shared by the processes of one host, so that one-way latency can be measured.
 *
 * @param type         what the frame carries
 * @param trafficClass the class it belongs to
 * @param flags        bit set, see {@link #FLAG_FAULT_TOLERANT}
 * @param sourcePeer   peer that produced the message (never null, may be empty)
 * @param sourceCell   cell of that peer (never null, may be empty)
 * @param targetPeer   peer it is addressed to (never null, may be empty)
 * @param targetCell   cell of that peer (never null, may be empty)
 * @param sequence     per-source sequence number
 * @param sendNanos    the source's send time
 * @param payload      the body; owned by the frame once built, not copied
 */
public record Frame(FrameType type, TrafficClass trafficClass, int flags, String sourcePeer, String sourceCell,
        String targetPeer, String targetCell, long sequence, long sendNanos, byte[] payload) {

    /** The message asked for fault tolerance: it is kept until the root acknowledges it. */
    public static final int FLAG_FAULT_TOLERANT = 1;

    /** Longest peer or cell identifier on the wire, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 255;

    private static final byte[] EMPTY = new byte[0];

    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(trafficClass, "trafficClass");
        Objects.requireNonNull(sourcePeer, "sourcePeer");
        Objects.requireNonNull(sourceCell, "sourceCell");
        Objects.requireNonNull(targetPeer, "targetPeer");
        Objects.requireNonNull(targetCell, "targetCell");
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags must fit one byte: " + flags);
        }
        payload = payload == null ? EMPTY : payload;
    }

    /** A data frame from {@code source} in {@code cell} to the peer {@code target} of {@code targetCell}. */
    public static Frame data(TrafficClass cls, String source, String cell, String target, String targetCell,
            long sequence, byte[] payload) {
        return new Frame(FrameType.DATA, cls, 0, source, cell, target, targetCell, sequence, System.nanoTime(),
                payload);
    }

    public boolean isFaultTolerant() {
        return (flags & FLAG_FAULT_TOLERANT) != 0;
    }

    @Override
    public String toString() {
        return type + "/" + trafficClass.id() + " " + sourcePeer + "@" + sourceCell + " -> " + targetPeer + "@"
                + targetCell + " #" + sequence + " (" + payload.length + " B" + (isFaultTolerant() ? ", FT)" : ")");
    }
}
