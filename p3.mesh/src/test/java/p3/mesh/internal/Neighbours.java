package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.util.List;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.TrafficClass;

/**
 * Neighbours for unit tests of a peer's parts: parent bindings and children whose links, one per
 * class, are {@link RecordingLink}s, to put in a {@link RoutingTable}.
 */
final class Neighbours {

    private Neighbours() {
    }

    static PeerRecord record(String peer, PeerRole role, String cell, String parent) {
        return new PeerRecord(peer, role, cell == null ? null : CellId.of(cell, 2), parent,
                new InetSocketAddress("127.0.0.1", 1), 1);
    }

    /** A binding to a super-peer of {@code cell}, with a recording link of every class. */
    static Binding binding(String peer, String cell) {
        Binding b = new Binding(record(peer, PeerRole.SUPER, cell, ""));
        linkAll(b.links, peer);
        return b;
    }

    /** A child that said BIND, with a recording link of every class. */
    static Child child(String peer, PeerRole role, String cell, String parent) {
        Child c = new Child(peer);
        c.record = record(peer, role, cell, parent);
        linkAll(c.links, peer);
        return c;
    }

    private static void linkAll(LinkSet links, String peer) {
        for (TrafficClass cls : TrafficClass.values()) {
            links.set(new RecordingLink(peer, cls));
        }
    }

    static RecordingLink link(Binding b, TrafficClass cls) {
        return (RecordingLink) b.links.get(cls);
    }

    static RecordingLink link(Child c, TrafficClass cls) {
        return (RecordingLink) c.links.get(cls);
    }

    /** Every frame sent to this neighbour, on any of its links. */
    static List<Frame> sent(LinkSet links) {
        return java.util.Arrays.stream(TrafficClass.values()).map(links::get)
                .flatMap(l -> ((RecordingLink) l).sent.stream()).toList();
    }
}
