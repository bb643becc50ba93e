package p3.mesh.internal;

import java.util.EnumSet;
import java.util.Set;

import p3.transport.TrafficClass;

/**
 * The parent binding of the ARCHITECTURE's vocabulary: this peer's links to one super-peer of the
 * parent cell, one per class. Made and dropped by {@link Uplink} on the strand; its links are read
 * by the data path on any thread.
 */
final class Binding {
    final PeerRecord parent;
    final LinkSet links = new LinkSet();
    /** The classes whose link is being opened again (strand only): one attempt at a time. */
    final Set<TrafficClass> connecting = EnumSet.noneOf(TrafficClass.class);
    /** This peer closed it (a rebind, a leave): its links closing is not a failure. */
    volatile boolean closedByUs;
    /** Its BIND waits for an answer: this gives it up (strand only). */
    Runnable unanswered;

    Binding(PeerRecord parent) {
        this.parent = parent;
    }

    String peer() {
        return parent.peer();
    }

    void close(boolean gracefully) {
        closedByUs = true;
        links.closeAll(gracefully);
    }

    @Override
    public String toString() {
        return "binding to " + parent.peer();
    }
}
