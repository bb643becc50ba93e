package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import p3.mesh.CellId;
import p3.mesh.PeerRole;

/**
 * Membership (report, Listing 3: MeshServiceStartup, MeshServiceLeave, HandleMeshSvcMsg): a join
 * or a leave is announced in the cell and forwarded to the parent, cell by cell up to the root,
 * with a pending request kept at each hop so that the root's reply finds its way back down. A
 * super-peer knows its subtree; a root super-peer the whole tree ({@link TreeView}).
 *
 * <p>Strand only.
 */
final class Membership {

    /** A JOIN that no reply came back for in this long is forgotten (its parent went away meanwhile). */
    private static final long PENDING_JOIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record PendingJoin(String child, long requestId, long sinceNanos) {
    }

    private final String self;
    private final PeerRole role;
    private final PeerStatus status;
    private final Routing routing;
    private final Cell cell;
    private final Scheduler time;
    private final Supplier<InetSocketAddress> listening;
    private final TreeView known = new TreeView();
    private final Map<Long, PendingJoin> pendingJoins = new HashMap<>();
    private long requests;

    /** @param listening where this peer accepts its children's links */
    Membership(PeerContext c, Cell cell, Supplier<InetSocketAddress> listening) {
        this.self = c.self();
        this.role = c.settings().role();
        this.status = c.status();
        this.routing = c.routing();
        this.time = c.time();
        this.cell = cell;
        this.listening = listening;
    }

    TreeView known() {
        return known;
    }

    /** This peer's record, in a cell, bound to a parent, at the current epoch. */
    PeerRecord record(CellId at, String parent) {
        return new PeerRecord(self, role, at, parent, listening.get(), status.epoch);
    }

    /** The first peer of a new root cell: it knows itself, and tells the cell. */
    void foundedRoot() {
        status.epoch++;
        PeerRecord me = record(CellId.ROOT, "");
        known.put(me);
        cell.announce(Control.records(Control.Kind.CELL_RECORDS, 0, List.of(me)));
    }

    /** What a BIND carries: this peer at a new epoch, and the subtree it brings along. */
    List<PeerRecord> binding(CellId at, String parent) {
        status.epoch++;
        List<PeerRecord> out = new ArrayList<>();
        PeerRecord me = record(at, parent);
        out.add(me);
        if (role == PeerRole.SUPER && at != null) {
            for (PeerRecord r : known.subtree(at)) {
                if (!r.peer().equals(self)) {
                    out.add(r);
                }
            }
        }
        known.put(me);
        return out;
    }

    /** MeshServiceStartup at a parent: a child's BIND or JOIN goes to the cell, then to the parent; the root answers. */
    void onJoin(String child, long requestId, List<PeerRecord> records) {
        for (PeerRecord r : records) {
            known.put(r);
        }
        cell.announce(Control.records(Control.Kind.CELL_RECORDS, 0, records));
        CellId mine = routing.table().cell();
        if (mine != null && mine.isRoot()) {
            reply(child, requestId);
            return;
        }
        long up = ++requests;
        pendingJoins.put(up, new PendingJoin(child, requestId, time.nanoTime()));
        if (!routing.sendUp(Control.records(Control.Kind.JOIN, up, records))) {
            pendingJoins.remove(up);
        }
    }

    /** The root's reply on its way down: to the child whose JOIN it answers. */
    void onJoined(long up) {
        PendingJoin p = pendingJoins.remove(up);
        if (p != null) {
            reply(p.child(), p.requestId());
        } // else the reply to this peer's own BIND: nothing to pass on
    }

    private void reply(String child, long requestId) {
        Child c = routing.table().children().get(child);
        if (c != null) {
            routing.send(c.links.mesh(), Control.of(Control.Kind.JOINED, requestId, ""));
        }
    }

    /** MeshServiceLeave at a parent or a cell-mate: peers gone; the cell (if asked) and the parent hear of it. */
    void onLeave(List<PeerRecord> gone, boolean tellCell) {
        boolean changed = false;
        for (PeerRecord r : gone) {
            changed |= known.remove(r.peer(), r.epoch());
        }
        if (!changed) {
            return;
        }
        if (tellCell) {
            cell.announce(Control.records(Control.Kind.CELL_LEAVE, 0, gone));
        }
        CellId mine = routing.table().cell();
        if (mine != null && !mine.isRoot()) {
            routing.sendUp(Control.records(Control.Kind.LEAVE, 0, gone));
        }
    }

    /** Peers gone that another member of the cell reports up: forgotten here only. */
    void forget(List<PeerRecord> gone) {
        for (PeerRecord r : gone) {
            known.remove(r.peer(), r.epoch());
        }
    }

    /** A cell-mate announced peers that joined below it (or the whole cell's knowledge, to a newcomer). */
    void learned(List<PeerRecord> records) {
        for (PeerRecord r : records) {
            if (!r.peer().equals(self)) {
                known.put(r);
            }
        }
    }

    /** The root asked a cell who serves there: the super-peers that answered, told to the root cell too. */
    void learnedFrom(CellId asked, List<PeerRecord> answered) {
        boolean changed = false;
        for (PeerRecord r : answered) {
            changed |= !r.peer().equals(self) && asked.equals(r.cell()) && known.put(r);
        }
        if (changed) {
            cell.announce(Control.records(Control.Kind.CELL_RECORDS, 0, answered));
        }
    }

    /** This peer leaves: the cell and the parent are told (MeshServiceLeave). */
    void leave() {
        PeerRecord me = known.get(self);
        if (me != null) {
            cell.announce(Control.records(Control.Kind.CELL_LEAVE, 0, List.of(me)));
            routing.sendUp(Control.records(Control.Kind.LEAVE, 0, List.of(me)));
        }
    }

    /** Housekeeping: JOINs whose reply will not come. */
    void expire() {
        long now = time.nanoTime();
        pendingJoins.values().removeIf(p -> now - p.sinceNanos() > PENDING_JOIN_NANOS);
    }
}
