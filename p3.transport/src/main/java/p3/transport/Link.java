package p3.transport;

import java.net.InetSocketAddress;

import p3.security.PeerIdentity;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One TCP connection between two peers, for one traffic class. Thread-safe: any thread may send.
 */
@ProviderType
public interface Link {

    /** The peer at the other end, as it named itself in its HELLO. */
    String remotePeer();

    /**
     * The peer at the other end as its certificate names it, checked against this mesh's CA and
     * equal to {@link #remotePeer()}; null on a link in the clear.
     *
     * @since 1.2
     */
    default PeerIdentity remoteIdentity() {
        return null;
    }

    TrafficClass trafficClass();

    InetSocketAddress remoteAddress();

    /**
     * Queues a frame for sending without blocking. When the link's outbound buffer is above its
     * high watermark, or the link is closed, the frame is refused: it is counted and {@code false} is
     * returned, so that the caller decides what to drop or keep; nothing is queued without bound.
     * The frame is copied into the link's buffer before this returns: the caller keeps it, and its
     * references.
     *
     * @return whether the frame was queued
     */
    boolean send(Frame frame);

    /** Whether a {@link #send} now would be accepted. */
    boolean isWritable();

    boolean isOpen();

    /** Flushes what is queued, then closes the connection with a FIN. */
    void close();

    /** Closes at once with a TCP reset and discards what is queued: how a crash looks to the other end. */
    void abort();
}
