package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.CellGroup;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.TrafficClass;

/**
 * Routing (report, Listing 4: SendMessage, HandlePeerMessage, HandleCellMessage): a frame goes on a
 * direct link to its target if there is one; else up to the parent; else down through the child
 * that leads to the target's cell, else through the cell-mate that has such a child.
 *
 * <p>The data path: it runs on whatever thread a frame arrived on (a link's event loop, a JGroups
 * thread, the sources' thread), never waits and never logs per frame. It reads the
 * {@link RoutingTable} that the strand publishes, and nothing else of the peer's state.
 */
final class Routing {

    private static final System.Logger LOG = System.getLogger(Routing.class.getName());

    /** Where frames for this peer go. */
    interface Delivery {
        void deliver(Frame f, String from);
    }

    /** Fault tolerance's part of a super-peer's path (Listings 5 and 6): hold FT messages, pass acknowledgements down. */
    interface Custodian {
        Custodian NONE = new Custodian() {
            @Override
            public boolean hold(Frame f, String from) {
                return true;
            }

            @Override
            public void onAck(Frame ack, boolean fromCell) {
            }
        };

        /** @return whether the message is held and may go on: a full store refuses it */
        boolean hold(Frame f, String from);

        void onAck(Frame ack, boolean fromCell);
    }

    private final String self;
    private final PeerRole role;
    private final int span;
    private final ControlCodec codec;
    private final PeerMetrics metrics;
    private final Delivery delivery;
    private final RateLimitedLog[] drops = new RateLimitedLog[Drop.values().length];
    private volatile RoutingTable table = RoutingTable.EMPTY;
    private volatile Custodian custodian = Custodian.NONE;

    Routing(String self, PeerRole role, int span, ControlCodec codec, PeerMetrics metrics, Delivery delivery) {
        this.self = self;
        this.role = role;
        this.span = span;
        this.codec = codec;
        this.metrics = metrics;
        this.delivery = delivery;
        for (Drop d : Drop.values()) {
            drops[d.ordinal()] = new RateLimitedLog(LOG, 5000);
        }
    }

    /**
     * Why a frame found no way on. Each is counted as unroutable and logged at a bounded rate with
     * an example and what the routing table held, so that a stream that never arrives says where it
     * stopped and why (a CI flake of that kind gave nothing but one count to go on).
     */
    enum Drop {
        NO_CELL(Level.INFO, "this peer has no cell (between parents)"),
        BAD_TARGET(Level.WARNING, "its target cell is not a cell"),
        NO_PARENT(Level.INFO, "no parent link of its class took it"),
        NO_WAY_DOWN(Level.INFO, "no child or cell-mate leads to its cell"),
        LOOP(Level.WARNING, "the way on leads back to where it came from (a routing loop while the tree settles)");

        /** A peer between links drops for a moment, and says so quietly; a bad target or a loop is a fault. */
        final Level level;
        final String why;

        Drop(Level level, String why) {
            this.level = level;
            this.why = why;
        }
    }

    /** Fault tolerance, given once while the peer is built, before any frame arrives. */
    void custodian(Custodian c) {
        this.custodian = c;
    }

    /** Strand only: publishes a changed table. */
    void update(UnaryOperator<RoutingTable> change) {
        table = change.apply(table);
    }

    RoutingTable table() {
        return table;
    }

    /**
     * HandlePeerMessage: a frame to deliver or pass on, from a neighbour ({@code from}, "" for this
     * peer's own). On a super-peer an acknowledgement clears the pending store on its way down, and
     * an FT message is held on its way up.
     *
     * @return whether it was delivered or left this peer
     */
    boolean route(Frame f, String from, boolean fromCell) {
        if (f.targetPeer().equals(self)) {
            delivery.deliver(f, from);
            return true;
        }
        if (role == PeerRole.SUPER) {
            if (f.type() == FrameType.ACK) {
                custodian.onAck(f, fromCell);
                return true;
            }
            if (Custody.isFaultTolerant(f) && !custodian.hold(f, from)) {
                return false; // refused: the neighbour below holds it and sends it again
            }
        }
        return routeOn(f, fromCell, from);
    }

    /**
     * SendMessage, without holding: a direct link, else up, else down through a child or a
     * cell-mate. A frame that came through the cell is not sent through the cell again.
     */
    boolean routeOn(Frame f, boolean fromCell) {
        return routeOn(f, fromCell, "");
    }

    /**
     * {@link #routeOn(Frame, boolean)} for a frame that came from {@code from}: it never goes back
     * there. In a tree that is a routing loop, which stale state can make while a rebuilt tree
     * settles: seen once after the root cell crashed, two super-peers passed the same frames back and
     * forth some 3,000 times a second until the run ended.
     */
    private boolean routeOn(Frame f, boolean fromCell, String from) {
        if (f.targetPeer().equals(self)) {
            delivery.deliver(f, "");
            return true;
        }
        RoutingTable t = table;
        Child direct = t.children().get(f.targetPeer());
        if (direct != null && !direct.peer.equals(from) && forward(direct.links.get(f.trafficClass()), f)) {
            return true;
        }
        if (role != PeerRole.SUPER) {
            return sendUp(t, f, from) || dropped(Drop.NO_PARENT, f, from, t);
        }
        CellId mine = t.cell();
        CellId target;
        try {
            target = CellId.of(f.targetCell(), span);
        } catch (IllegalArgumentException e) {
            return dropped(Drop.BAD_TARGET, f, from, t);
        }
        if (mine == null) {
            return dropped(Drop.NO_CELL, f, from, t);
        }
        if (!mine.contains(target)) {
            return sendUp(t, f, from) || dropped(backwards(t, from) ? Drop.LOOP : Drop.NO_PARENT, f, from, t);
        }
        String mate;
        if (target.equals(mine)) {
            mate = t.mateOfPeer().get(f.targetPeer());
        } else {
            CellId next = mine.childToward(target);
            for (Child c : t.childCells().getOrDefault(next, List.of())) {
                if (!c.peer.equals(from) && forward(c.links.get(f.trafficClass()), f)) {
                    return true;
                }
            }
            mate = t.mateOfCell().get(next);
        }
        CellGroup g = t.group();
        if (mate == null || fromCell || g == null || !g.offer(mate, codec.encode(Control.route(f)))) {
            return dropped(mate != null && mate.equals(from) ? Drop.LOOP : Drop.NO_WAY_DOWN, f, from, t);
        }
        return true;
    }

    /** Up through a parent binding, the first that takes it. */
    boolean sendUp(Frame f) {
        return sendUp(table, f, "");
    }

    private boolean sendUp(RoutingTable t, Frame f, String from) {
        for (Binding b : t.uplinks()) {
            if (!b.peer().equals(from) && forward(b.links.get(f.trafficClass()), f)) {
                return true;
            }
        }
        return false;
    }

    /** A control message to the parent, on its MESH link. */
    boolean sendUp(Control c) {
        List<Binding> up = table.uplinks();
        return !up.isEmpty() && send(up.get(0).links.mesh(), c);
    }

    /** To one neighbour: a child or a parent on its MESH link, else a cell-mate through the group. */
    boolean sendTo(String neighbour, Frame f) {
        RoutingTable t = table;
        Child c = t.children().get(neighbour);
        if (c != null && forward(c.links.mesh(), f)) {
            return true;
        }
        for (Binding b : t.uplinks()) {
            if (b.peer().equals(neighbour) && forward(b.links.mesh(), f)) {
                return true;
            }
        }
        CellGroup g = t.group();
        return g != null && !neighbour.equals(self) && t.mates().contains(neighbour)
                && g.offer(neighbour, codec.encode(Control.route(f)));
    }

    /** A control message for the neighbour at the other end of {@code link}. */
    boolean send(Link link, Control c) {
        if (link == null) {
            return false;
        }
        CellId mine = table.cell();
        boolean sent = forward(link, new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, self,
                mine == null ? "" : mine.toString(), "", "", 0, System.nanoTime(), codec.encode(c)));
        if (!sent) {
            metrics.refused.increment();
        }
        return sent;
    }

    /** A control message routed through the mesh to another peer (Listing 4), not to a neighbour. */
    boolean sendControl(String peer, String peerCell, Control c) {
        CellId mine = table.cell();
        return route(new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, self, mine == null ? "" : mine.toString(),
                peer, peerCell, 0, System.nanoTime(), codec.encode(c)), "", false);
    }

    /** Sends on a link if there is one, and counts what left: payload apart from control. */
    private boolean forward(Link link, Frame f) {
        if (link == null || !link.send(f)) {
            return false;
        }
        if (f.type() == FrameType.DATA) {
            metrics.payloadFrames.increment();
            metrics.payloadBytes.add(f.payloadLength());
        } else {
            metrics.controlFrames.increment();
            metrics.controlBytes.add(f.payloadLength());
        }
        return true;
    }

    /** Whether the way up leads back to where the frame came from. */
    private static boolean backwards(RoutingTable t, String from) {
        if (!from.isEmpty()) {
            for (Binding b : t.uplinks()) {
                if (b.peer().equals(from)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Counted; logged at most every 5 s per reason, with what the table held. */
    private boolean dropped(Drop why, Frame f, String from, RoutingTable t) {
        metrics.unroutable.increment();
        drops[why.ordinal()].log(why.level, () -> self + ": frames dropped, "
                + why.why + " (" + metrics.unroutable.sum() + " unroutable so far), such as " + f
                + (from.isEmpty() ? "" : " from " + from) + "; " + describe(t));
        return false;
    }

    /** The parts of a table that routing reads, for a log line. */
    private static String describe(RoutingTable t) {
        StringBuilder out = new StringBuilder("cell ").append(t.cell()).append(", parents ");
        List<String> up = new ArrayList<>();
        for (Binding b : t.uplinks()) {
            up.add(b.peer() + open(b.links));
        }
        out.append(up).append(", child cells {");
        String sep = "";
        for (Map.Entry<CellId, List<Child>> e : t.childCells().entrySet()) {
            out.append(sep).append(e.getKey()).append('=');
            List<String> cs = new ArrayList<>();
            for (Child c : e.getValue()) {
                cs.add(c.peer + open(c.links));
            }
            out.append(cs);
            sep = ", ";
        }
        return out.append("}, mates ").append(t.mates()).append(", mates' child cells ").append(t.mateOfCell())
                .toString();
    }

    /** Which classes a neighbour's links are open for, such as "(mesh audio event)". */
    private static String open(LinkSet links) {
        StringBuilder out = new StringBuilder("(");
        for (TrafficClass c : TrafficClass.values()) {
            Link l = links.get(c);
            if (l != null && l.isOpen()) {
                out.append(out.length() > 1 ? " " : "").append(c.id());
            }
        }
        return out.append(')').toString();
    }
}
