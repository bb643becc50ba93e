package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.TrafficClass;

/**
 * A super-peer's downlinks: the links its children open to it, one per class, and the parent's side
 * of BIND (report, Listing 2's IsPeerAllowed, Listing 3's HandleMeshSvcMsg from a child). A child
 * may bind if it belongs here: a sensor of this cell, a client at the root, a super-peer of a child
 * cell. A child whose MESH link closes without a goodbye has failed.
 *
 * <p>Strand only; the links' handler hands events to the strand and passes data on where it arrives.
 */
final class Downlinks implements LinkHandler {

    private static final System.Logger LOG = System.getLogger(Downlinks.class.getName());

    /** What the downlinks tell the rest of the peer, on the strand. */
    interface Events {
        /** A child bound (BIND) or passed a JOIN up: Listing 3. */
        void onJoin(String child, long requestId, List<PeerRecord> records);

        /** A child's control message other than BIND and JOIN (TREE_QUERY, FT_USE, LEAVE). */
        void fromChild(Child child, Control c);

        /** A child's MESH link closed; {@code failed} unless it said goodbye. */
        void childGone(Child child, boolean failed, long detectedNanos);
    }

    private final String self;
    private final Strand strand;
    private final Scheduler time;
    private final ControlCodec codec;
    private final PeerStatus status;
    private final Routing routing;
    private final PeerMetrics metrics;
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, 5000);
    private final RateLimitedLog refusedLog = new RateLimitedLog(LOG, 5000);
    private final Map<String, Child> children = new HashMap<>();
    /** The refusal of a BIND to a peer that is not bound: the one a BIND waits out ({@link #holdUntilBound}). */
    private static final String NOT_BOUND = "not bound yet";
    /** At most this many BINDs held at once; more are refused, as they all were before. */
    private static final int MAX_HELD_BINDS = 64;

    private record HeldBind(Link link, Child child, Control bind) {
    }

    private final List<HeldBind> heldBinds = new ArrayList<>();
    /** How long a BIND is held for this peer's own binding: a discovery timeout. */
    private final long holdMs;
    /** Housekeeping rounds a child may hold links without a MESH link: twice the bind timeout, at least 2. */
    private final int strayRounds;
    private Events events;

    Downlinks(PeerContext c) {
        this.self = c.self();
        this.strand = c.strand();
        this.time = c.time();
        this.codec = c.codec();
        this.status = c.status();
        this.routing = c.routing();
        this.metrics = c.metrics();
        this.holdMs = c.settings().discoveryTimeoutMs();
        this.strayRounds = (int) Math.max(2, (2L * c.settings().bindTimeoutMs() + Peer.HOUSEKEEPING_MS - 1)
                / Peer.HOUSEKEEPING_MS);
    }

    void events(Events e) {
        this.events = e;
    }

    // ---------------------------------------------------------------------------------------
    // LinkHandler: the transport's threads

    @Override
    public void onOpen(Link link) {
        strand.offer(() -> opened(link), link::abort); // dropped: the peer is gone
    }

    @Override
    public void onFrame(Link link, Frame frame) {
        if (frame.type() != FrameType.CONTROL || !frame.targetPeer().isEmpty()) {
            if (!Authorization.mayForward(link, frame)) {
                unauthorized(link, frame.type() + " sent as " + frame.sourcePeer());
            } else if (frame.type() == FrameType.CONTROL && !Authorization.maySubscribe(link) && !sourceStats(frame)) {
                unauthorized(link, "a routed control message other than its source statistics");
            } else {
                routing.route(frame, link.remotePeer(), false);
            }
            return;
        }
        Control c;
        try {
            c = codec.decode(frame.payload());
        } catch (ControlCodec.MalformedControlException e) {
            metrics.malformed.increment();
            malformed.log(Level.WARNING, () -> self + ": dropped a malformed control message from child "
                    + link.remotePeer() + ": " + e.getMessage() + " (" + metrics.malformed.sum() + " malformed so far)");
            return;
        }
        strand.execute(() -> control(link, c));
    }

    /** Whether a sensor's routed control message is the one it may send: its counts, to the client. */
    private boolean sourceStats(Frame frame) {
        try {
            return codec.decode(frame.payload()).kind() == Control.Kind.SOURCE_STATS;
        } catch (ControlCodec.MalformedControlException e) {
            metrics.malformed.increment();
            return false;
        }
    }

    /** Refuses what a child's certificate does not allow: counted, logged at a bounded rate. */
    private void unauthorized(Link link, String what) {
        metrics.unauthorized.increment();
        long n = metrics.unauthorized.sum();
        refusedLog.log(Level.WARNING, () -> self + ": refused from " + link.remotePeer() + " (" + link.remoteIdentity()
                + "): " + what + " (" + n + " refused so far)");
    }

    @Override
    public void onClose(Link link, CloseReason reason) {
        long detected = time.nanoTime();
        strand.execute(() -> closed(link, detected));
    }

    // ---------------------------------------------------------------------------------------
    // Strand

    private void opened(Link link) {
        children.computeIfAbsent(link.remotePeer(), Child::new).links.set(link);
        publish();
    }

    private void control(Link link, Control c) {
        Child child = children.get(link.remotePeer());
        if (child == null) {
            return; // its links closed meanwhile
        }
        switch (c.kind()) {
        case BIND -> bind(link, child, c);
        case JOIN, LEAVE -> {
            if (Authorization.mayAnnounce(link, c.records())) {
                membership(child, c);
            } else {
                unauthorized(link, c.kind() + " naming " + c.records().size() + " peers");
            }
        }
        case FT_USE -> {
            if (Authorization.maySteer(link)) {
                events.fromChild(child, c);
            } else {
                unauthorized(link, "an order to swap the FT strategy");
            }
        }
        case TREE_QUERY -> events.fromChild(child, c);
        default -> metrics.malformed.increment();
        }
    }

    /** JOIN and LEAVE, upwards (Listing 3). */
    private void membership(Child child, Control c) {
        if (c.kind() == Control.Kind.JOIN) {
            events.onJoin(child.peer, c.id(), c.records());
            return;
        }
        if (c.records().size() == 1 && c.records().get(0).peer().equals(child.peer)) {
            child.leaving = true;
        }
        events.fromChild(child, c);
    }

    /** BIND: the child's record comes first; it binds if it belongs here and this peer is bound. */
    private void bind(Link link, Child child, Control c) {
        bind(link, child, c, true);
    }

    /** @param mayHold a BIND that came while this peer was not bound may wait for it ({@link #holdUntilBound}) */
    private void bind(Link link, Child child, Control c, boolean mayHold) {
        String refusal = refusal(link, c);
        if (mayHold && NOT_BOUND.equals(refusal) && !status.finished() && heldBinds.size() < MAX_HELD_BINDS) {
            holdUntilBound(link, child, c);
            return;
        }
        if (refusal != null) {
            routing.send(link, Control.of(Control.Kind.REFUSED, c.id(), refusal));
            return;
        }
        PeerRecord r = c.records().get(0);
        child.record = r;
        publish();
        routing.send(link, Control.of(Control.Kind.BOUND, c.id(), ""));
        events.onJoin(r.peer(), c.id(), c.records());
    }

    /**
     * A BIND that came while this super-peer binds upwards itself (it founded its cell, or rebinds
     * in it) waits for that, up to a discovery timeout, and is answered then: refused at once, a
     * child whose parent had left the cell, or a cell-mate's child after a crash above, went the
     * slow way (Test II: a sensor refused twice by a cell-mate rebinding, then 600 ms to rejoin);
     * held, its links' handshakes overlap this peer's own binding.
     */
    private void holdUntilBound(Link link, Child child, Control c) {
        HeldBind held = new HeldBind(link, child, c);
        heldBinds.add(held);
        time.after(holdMs, TimeUnit.MILLISECONDS, () -> {
            if (heldBinds.remove(held) && link.isOpen()) {
                bind(link, child, c, false); // refused now, unless bound meanwhile
            }
        });
    }

    /** Strand: this peer is bound (again): the BINDs it held are answered now. */
    void bound() {
        List<HeldBind> held = new ArrayList<>(heldBinds);
        heldBinds.clear();
        for (HeldBind h : held) {
            if (h.link().isOpen() && children.get(h.child().peer) == h.child()) {
                bind(h.link(), h.child(), h.bind(), false);
            }
        }
    }

    private String refusal(Link link, Control c) {
        if (c.records().isEmpty() || !c.records().get(0).peer().equals(link.remotePeer())) {
            return "BIND names another peer";
        }
        PeerRecord r = c.records().get(0);
        String notAllowed = Authorization.mayAnnounce(link, c.records()) ? Authorization.bindRefusal(link, r)
                : "BIND naming other peers than itself";
        if (notAllowed != null) {
            unauthorized(link, notAllowed);
            return notAllowed;
        }
        CellId mine = routing.table().cell();
        if (r.role() == PeerRole.SENSOR && mine != null && mine.isRoot()) {
            return "the root cell takes no sensors";
        }
        if (!status.bound()) {
            return NOT_BOUND;
        }
        if (!servesCellOf(mine, r)) {
            // a child that still holds this peer's old place (it moved cells meanwhile)
            return "serving cell " + mine + ", not " + r.cell();
        }
        return null;
    }

    /** Whether a child in that place may bind here: a sensor of this cell, a client at the root, a child cell's super-peer. */
    private static boolean servesCellOf(CellId mine, PeerRecord child) {
        if (mine == null || child.cell() == null) {
            return false;
        }
        return switch (child.role()) {
        case SENSOR -> mine.equals(child.cell());
        case CLIENT -> mine.isRoot();
        case SUPER -> !child.cell().isRoot() && child.cell().parent().equals(mine);
        };
    }

    private void closed(Link link, long detected) {
        Child child = children.get(link.remotePeer());
        if (child == null || !child.links.clear(link)) {
            return;
        }
        if (link.trafficClass() != TrafficClass.MESH) {
            return; // one class unloaded or reset: the child itself is still here
        }
        gone(child, detected);
    }

    private void gone(Child child, long detected) {
        children.remove(child.peer, child);
        child.links.closeAll(false);
        publish();
        if (!status.over()) {
            events.childGone(child, !child.leaving, detected);
        }
    }

    /**
     * Housekeeping: a child whose MESH link is gone without a word reaching the strand has gone too.
     * So has one that holds links of other classes but no MESH link round after round (links that
     * came after its MESH link closed, from a child that hung or lost the network since): the
     * transport watches MESH links only, so nothing else would ever close them. A child that binds
     * opens its MESH link beside the others and gives up on all within the bind timeout, hence the
     * grace.
     */
    void check() {
        for (Child c : new ArrayList<>(children.values())) {
            Link mesh = c.links.mesh();
            if (mesh != null) {
                c.meshlessRounds = 0;
                if (!mesh.isOpen()) {
                    gone(c, time.nanoTime());
                }
            } else if (++c.meshlessRounds > strayRounds) {
                LOG.log(Level.INFO, "{0}: {1} holds links but no MESH link: closing them", self, c.peer);
                gone(c, time.nanoTime());
            }
        }
    }

    /** Closes a class's links to every child (its service went away). */
    void dropClass(TrafficClass cls) {
        for (Child c : children.values()) {
            Link l = c.links.remove(cls);
            if (l != null) {
                l.close();
            }
        }
    }

    /** Leaving or crashing: every child's links go. */
    void closeAll(boolean gracefully) {
        for (Child c : routing.table().children().values()) {
            c.links.closeAll(gracefully);
        }
    }

    void describe(List<String> out) {
        for (Child c : routing.table().children().values()) {
            c.links.describe("down", c.peer, out);
        }
    }

    private void publish() {
        Map<String, Child> now = new HashMap<>(children);
        routing.update(t -> t.withChildren(now));
    }
}
