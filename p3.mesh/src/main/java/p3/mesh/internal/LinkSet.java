package p3.mesh.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

import p3.transport.Link;
import p3.transport.TrafficClass;

/**
 * The links to one neighbour, one per traffic class. Written by event loops and the peer's loop,
 * read by any thread that routes.
 */
final class LinkSet {

    private final AtomicReferenceArray<Link> links = new AtomicReferenceArray<>(TrafficClass.values().length);

    Link get(TrafficClass cls) {
        return links.get(cls.ordinal());
    }

    void set(Link link) {
        Link old = links.getAndSet(link.trafficClass().ordinal(), link);
        if (old != null && old != link) {
            old.close();
        }
    }

    /** Forgets a link that closed, unless another has taken its place. @return whether it was the one */
    boolean clear(Link link) {
        return links.compareAndSet(link.trafficClass().ordinal(), link, null);
    }

    /** Takes a class's link out, to close it. */
    Link remove(TrafficClass cls) {
        return links.getAndSet(cls.ordinal(), null);
    }

    Link mesh() {
        return get(TrafficClass.MESH);
    }

    boolean meshOpen() {
        Link m = mesh();
        return m != null && m.isOpen();
    }

    void closeAll(boolean gracefully) {
        for (int i = 0; i < links.length(); i++) {
            Link l = links.getAndSet(i, null);
            if (l != null) {
                if (gracefully) {
                    l.close();
                } else {
                    l.abort();
                }
            }
        }
    }

    void describe(String direction, String peer, java.util.List<String> out) {
        for (int i = 0; i < links.length(); i++) {
            Link l = links.get(i);
            if (l != null) {
                out.add(direction + " " + peer + " " + l.trafficClass().id() + " " + l.remoteAddress()
                        + (l.isOpen() ? "" : " (closed)"));
            }
        }
    }
}
