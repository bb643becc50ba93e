package p3.transport;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One message on a link. Identifiers are the mesh's (PeerId and CellId in text form); the transport
 * only carries them. {@code sendNanos} is {@link System#nanoTime()} of the original sender, a
 * monotonic clock shared by the processes of one host, so that one-way latency can be measured.
 *
 * <p>The payload is either an array (a frame built by a peer) or the transport's pooled memory (a
 * frame read from a link), so that a frame crosses a relay from socket to socket without a copy.
 * A frame read from a link is valid while {@link LinkHandler#onFrame} runs, and is released when it
 * returns: whoever keeps it longer {@link #retain}s it and {@link #release}s it later, or keeps a
 * {@link #copy}. Its header stays readable after the release; its payload does not. For a frame
 * built on an array, retain and release do nothing. {@link Link#send} copies the frame into the
 * link's buffer before it returns, so a sender keeps ownership.
 */
public final class Frame {

    /** The message asked for fault tolerance: it is kept until the root acknowledges it. */
    public static final int FLAG_FAULT_TOLERANT = 1;

    /** Longest peer or cell identifier on the wire, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 255;

    private static final byte[] EMPTY = new byte[0];

    /**
     * A payload in memory that the transport owns and counts references to. Implemented by the
     * transport; a frame built by a peer carries an array instead.
     *
     * @since 2.0
     */
    public interface Body {
        int length();

        /** The bytes, read-only, without a copy; valid until the last release. */
        ByteBuffer view();

        void retain();

        /** @return whether this released the last reference */
        boolean release();
    }

    private final FrameType type;
    private final TrafficClass trafficClass;
    private final int flags;
    private final String sourcePeer;
    private final String sourceCell;
    private final String targetPeer;
    private final String targetCell;
    private final long sequence;
    private final long sendNanos;
    /** Exactly one of array and body is set. */
    private final byte[] array;
    private final Body body;

    /**
     * A frame on an array.
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
     * @param payload      the body; owned by the frame once built, not copied; null for none
     */
    public Frame(FrameType type, TrafficClass trafficClass, int flags, String sourcePeer, String sourceCell,
            String targetPeer, String targetCell, long sequence, long sendNanos, byte[] payload) {
        this(type, trafficClass, flags, sourcePeer, sourceCell, targetPeer, targetCell, sequence, sendNanos,
                payload == null ? EMPTY : payload, null);
    }

    /**
     * A frame on the transport's memory; the frame takes over the reference the caller holds.
     *
     * @since 2.0
     */
    public static Frame withBody(FrameType type, TrafficClass trafficClass, int flags, String sourcePeer,
            String sourceCell, String targetPeer, String targetCell, long sequence, long sendNanos, Body body) {
        return new Frame(type, trafficClass, flags, sourcePeer, sourceCell, targetPeer, targetCell, sequence,
                sendNanos, null, Objects.requireNonNull(body, "body"));
    }

    private Frame(FrameType type, TrafficClass trafficClass, int flags, String sourcePeer, String sourceCell,
            String targetPeer, String targetCell, long sequence, long sendNanos, byte[] array, Body body) {
        this.type = Objects.requireNonNull(type, "type");
        this.trafficClass = Objects.requireNonNull(trafficClass, "trafficClass");
        this.sourcePeer = Objects.requireNonNull(sourcePeer, "sourcePeer");
        this.sourceCell = Objects.requireNonNull(sourceCell, "sourceCell");
        this.targetPeer = Objects.requireNonNull(targetPeer, "targetPeer");
        this.targetCell = Objects.requireNonNull(targetCell, "targetCell");
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags must fit one byte: " + flags);
        }
        this.flags = flags;
        this.sequence = sequence;
        this.sendNanos = sendNanos;
        this.array = array;
        this.body = body;
    }

    /** A data frame from {@code source} in {@code cell} to the peer {@code target} of {@code targetCell}. */
    public static Frame data(TrafficClass cls, String source, String cell, String target, String targetCell,
            long sequence, byte[] payload) {
        return new Frame(FrameType.DATA, cls, 0, source, cell, target, targetCell, sequence, System.nanoTime(),
                payload);
    }

    public FrameType type() {
        return type;
    }

    public TrafficClass trafficClass() {
        return trafficClass;
    }

    public int flags() {
        return flags;
    }

    public String sourcePeer() {
        return sourcePeer;
    }

    public String sourceCell() {
        return sourceCell;
    }

    public String targetPeer() {
        return targetPeer;
    }

    public String targetCell() {
        return targetCell;
    }

    public long sequence() {
        return sequence;
    }

    public long sendNanos() {
        return sendNanos;
    }

    public boolean isFaultTolerant() {
        return (flags & FLAG_FAULT_TOLERANT) != 0;
    }

    /** Bytes of the payload. */
    public int payloadLength() {
        return array != null ? array.length : body.length();
    }

    /**
     * The payload as an array: a frame's own array, not copied, when it was built on one; else a
     * copy (on a data path, read {@link #payloadBuffer()} instead).
     */
    public byte[] payload() {
        if (array != null) {
            return array;
        }
        ByteBuffer b = body.view();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * The payload, read-only, without a copy.
     *
     * @since 2.0
     */
    public ByteBuffer payloadBuffer() {
        return array != null ? ByteBuffer.wrap(array).asReadOnlyBuffer() : body.view();
    }

    /**
     * The transport's memory under the payload, or null for a frame built on an array.
     *
     * @since 2.0
     */
    public Body body() {
        return body;
    }

    /**
     * Keeps the payload beyond the call that handed the frame over, until a matching {@link #release}.
     *
     * @since 2.0
     */
    public Frame retain() {
        if (body != null) {
            body.retain();
        }
        return this;
    }

    /**
     * Gives up one reference to the payload; the last gives its memory back to the transport.
     *
     * @return whether the payload's memory was given back
     * @since 2.0
     */
    public boolean release() {
        return body != null && body.release();
    }

    /**
     * This frame on an array of its own: itself when it is already one, else a copy that needs no
     * release and outlives this frame.
     *
     * @since 2.0
     */
    public Frame copy() {
        if (array != null) {
            return this;
        }
        return new Frame(type, trafficClass, flags, sourcePeer, sourceCell, targetPeer, targetCell, sequence, sendNanos,
                payload());
    }

    /** Equal header and equal payload bytes, whatever memory holds them. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Frame f)) {
            return false;
        }
        return type == f.type && trafficClass == f.trafficClass && flags == f.flags && sequence == f.sequence
                && sendNanos == f.sendNanos && sourcePeer.equals(f.sourcePeer) && sourceCell.equals(f.sourceCell)
                && targetPeer.equals(f.targetPeer) && targetCell.equals(f.targetCell)
                && payloadBuffer().equals(f.payloadBuffer());
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(type, trafficClass, flags, sourcePeer, sourceCell, targetPeer, targetCell, sequence,
                sendNanos);
        return 31 * h + payloadBuffer().hashCode();
    }

    @Override
    public String toString() {
        return type + "/" + trafficClass.id() + " " + sourcePeer + "@" + sourceCell + " -> " + targetPeer + "@"
                + targetCell + " #" + sequence + " (" + payloadLength() + " B" + (isFaultTolerant() ? ", FT)" : ")");
    }
}
