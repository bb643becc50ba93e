package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.CellView;
import p3.transport.CloseReason;
import p3.transport.Frame;

/**
 * Passes what a peer hears from its cell, its parents and its children to the part that handles
 * it, on the strand: views and announcements (Listing 3), the replies of Listing 3 and 4, the
 * failures of section III-C, and the orders that travel the tree (the mesh-wide swap of FT
 * strategies).
 */
final class PeerEvents implements Cell.Events, Uplink.Events, Downlinks.Events {

    private static final System.Logger LOG = System.getLogger(PeerEvents.class.getName());

    private final String self;
    private final Strand strand;
    private final ControlCodec codec;
    private final Routing routing;
    private final Cell cell;
    private final Membership membership;
    private final Join join;
    private final Downlinks downlinks;
    private final Subscriptions subscriptions;
    private final StrategySelection strategies;
    private final FailureLog failures;
    private final PeerMetrics metrics;
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, 5000);

    PeerEvents(PeerContext c, Cell cell, Membership membership, Join join, Downlinks downlinks,
            Subscriptions subscriptions, StrategySelection strategies, FailureLog failures) {
        this.downlinks = downlinks;
        this.self = c.self();
        this.strand = c.strand();
        this.codec = c.codec();
        this.routing = c.routing();
        this.metrics = c.metrics();
        this.cell = cell;
        this.membership = membership;
        this.join = join;
        this.subscriptions = subscriptions;
        this.strategies = strategies;
        this.failures = failures;
    }

    // ---------------------------------------------------------------------------------------
    // The cell

    /**
     * A new view (Listing 3's cell side, and Listing 8's trigger): mates that left without a goodbye
     * failed; the coordinator tells the parent what went, and tells a newcomer what the cell knows.
     */
    @Override
    public void onView(CellView view, long detectedNanos) {
        cell.members(view.members());
        if (join.overfull(view.members())) {
            return;
        }
        boolean coordinator = cell.coordinator();
        List<PeerRecord> gone = new ArrayList<>();
        for (String m : view.left()) {
            if (!cell.mateGone(m)) {
                failures.seen(m, "view", detectedNanos);
            }
            PeerRecord r = membership.known().get(m);
            if (r != null) {
                gone.add(r);
            }
        }
        strategies.viewChanged(view.members(), view.left(), view.joined());
        if (coordinator && !gone.isEmpty()) {
            membership.onLeave(gone, true);
        } else if (!gone.isEmpty()) {
            membership.forget(gone);
        }
        // every member, not the coordinator alone, tells a newcomer what it knows, and the newcomer
        // tells them: a cell formed again after a crash (the root's, most of all) has members that
        // each heard of other children first; with the coordinator alone speaking, a record that a
        // later member held never reached it (seen: a rebuilt root without one of its sensors)
        if (!view.joined().isEmpty() && view.members().size() > 1) {
            cell.announce(Control.records(Control.Kind.CELL_RECORDS, 0, membership.known().all()));
        }
    }

    @Override
    public void fromMate(String from, Control c) {
        switch (c.kind()) {
        case CELL_RECORDS -> {
            membership.learned(c.records());
            cell.joinedBelow(from, c.records());
        }
        case CELL_LEAVE -> {
            membership.forget(c.records());
            cell.leftBelow(from, c.records());
            emptiedChildCells(c.records());
        }
        case FT_USE -> ftOrder(c);
        default -> metrics.malformed.increment();
        }
    }

    @Override
    public void onSuspect(String member) {
        strategies.suspected(member);
    }

    @Override
    public void leftCell(boolean gracefully) {
        downlinks.closeAll(gracefully);
    }

    // ---------------------------------------------------------------------------------------
    // Parents

    @Override
    public void parentLost(Binding lost, CloseReason reason, long detectedNanos, boolean stillBound) {
        join.parentLost(lost, reason, detectedNanos, stillBound);
    }

    @Override
    public void backupsWanted() {
        join.findBackups();
    }

    @Override
    public void fromParent(String parent, Control c) {
        switch (c.kind()) {
        case TREE -> subscriptions.onTree(c.records());
        case JOINED -> membership.onJoined(c.id());
        case FT_USE -> ftOrder(c);
        default -> metrics.malformed.increment();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Children

    @Override
    public void onJoin(String child, long requestId, List<PeerRecord> records) {
        membership.onJoin(child, requestId, records);
    }

    @Override
    public void fromChild(Child child, Control c) {
        switch (c.kind()) {
        case TREE_QUERY -> routing.send(child.links.mesh(),
                Control.records(Control.Kind.TREE, c.id(), membership.known().all()));
        case FT_USE -> ftOrder(c);
        case LEAVE -> membership.onLeave(c.records(), true);
        default -> metrics.malformed.increment();
        }
    }

    /** A child is gone: the cell and the parent hear of it, and a child cell it leaves empty is taken over. */
    @Override
    public void childGone(Child child, boolean failed, long detectedNanos) {
        PeerRecord r = child.record;
        if (r == null) {
            return; // it never bound
        }
        if (failed) {
            failures.seen(child.peer, "link", detectedNanos);
        }
        membership.onLeave(List.of(r), true);
        emptiedChildCells(List.of(r));
    }

    /**
     * The parent's part of Listing 8: when the last super-peer of a child cell is gone, whether it
     * was this peer's child or a cell-mate's, what this peer holds from that subtree goes up again
     * (a leave that emptied the cell costs duplicates at most, which the client drops).
     */
    private void emptiedChildCells(List<PeerRecord> gone) {
        CellId mine = routing.table().cell();
        Set<CellId> emptied = new HashSet<>();
        for (PeerRecord r : gone) {
            if (mine != null && r.role() == PeerRole.SUPER && r.cell() != null && !r.cell().isRoot()
                    && r.cell().parent().equals(mine) && membership.known().count(r.cell(), PeerRole.SUPER) == 0) {
                emptied.add(r.cell());
            }
        }
        emptied.forEach(strategies::childCellLost);
    }

    // ---------------------------------------------------------------------------------------
    // Routed control and orders

    /** Data path: a control message routed to this peer; handled on the strand. */
    void routedControl(Frame f) {
        Control c;
        try {
            c = codec.decode(f.payload());
        } catch (ControlCodec.MalformedControlException e) {
            metrics.malformed.increment();
            malformed.log(Level.WARNING, () -> self + ": dropped a malformed control message from " + f.sourcePeer()
                    + ": " + e.getMessage() + " (" + metrics.malformed.sum() + " malformed so far)");
            return;
        }
        strand.execute(() -> subscriptions.onRouted(f, c)); // its header only: the payload is freed by then
    }

    /** An order to change strategy: obeyed, then passed to the cell, the parent and every child, once. */
    void ftOrder(Control c) {
        if (!strategies.firstTime(c.id())) {
            return;
        }
        String name;
        try {
            name = FtSettings.DEFAULTS.withStrategy(c.text()).strategy();
        } catch (IllegalArgumentException e) {
            metrics.malformed.increment();
            LOG.log(Level.WARNING, "{0}: ignored an order to use FT strategy {1}: {2}", self, c.text(), e.getMessage());
            return;
        }
        strategies.use(name);
        cell.announce(c);
        routing.sendUp(c);
        for (Child child : routing.table().children().values()) {
            routing.send(child.links.mesh(), c);
        }
    }
}
