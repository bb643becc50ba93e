package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellGroups;
import p3.transport.CellView;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryResponder;
import p3.transport.GroupSpec;
import p3.transport.TreeAddress;

/**
 * A super-peer's cell: its group (a JGroups group, report section III-B), the views that say who is
 * in it, the announcements of Listing 3 ({@code cell.SendMessage}), which cell-mate leads to which
 * peer (Listing 4's {@code cell.RouteMessage}), and the discovery address it serves for the cell.
 *
 * <p>Strand only, apart from the group's listener, which hands views and control to the strand and
 * passes the data path's frames (routed frames, replicas) on where they arrived.
 */
final class Cell {

    private static final System.Logger LOG = System.getLogger(Cell.class.getName());

    /** What the cell tells the rest of the peer, on the strand. */
    interface Events {
        /** A new view: members now, who left (crashed or said goodbye), who joined; detected at that time. */
        void onView(CellView view, long detectedNanos);

        /** A control message from a cell-mate. */
        void fromMate(String from, Control c);

        void onSuspect(String member);

        /** This peer left its cell (to move, to rejoin, or for good): its children are let go to rebind. */
        void leftCell(boolean gracefully);
    }

    private final String self;
    private final MeshSettings s;
    private final CellGroups groups;
    private final Strand strand;
    private final Scheduler time;
    private final Routing routing;
    private final ControlCodec codec;
    private final PeerMetrics metrics;
    private final PeerStatus status;
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, 5000);
    private Events events;
    private Custody custody;
    private DiscoveryEndpoint discovery;
    private DiscoveryResponder responder;

    private CellGroup group;
    private AutoCloseable serving;
    /** Counts the groups entered, so that a late event of a group left is ignored. */
    private long generation;
    private int lastIndexInCell;
    private final Map<String, String> mateOfPeer = new HashMap<>();
    private final Map<CellId, String> mateOfCell = new HashMap<>();
    /** The latest view of a group being joined, heard before the join completed, and when. */
    private CellView early;
    private long earlyNanos;
    /** Cell-mates that said goodbye: their leaving the view is not a failure. */
    private final Set<String> leaving = new HashSet<>();

    Cell(PeerContext c, CellGroups groups) {
        this.self = c.self();
        this.s = c.settings();
        this.strand = c.strand();
        this.time = c.time();
        this.routing = c.routing();
        this.codec = c.codec();
        this.metrics = c.metrics();
        this.status = c.status();
        this.groups = groups;
    }

    /** The rest of the peer, given once while it is built. */
    void wire(Events e, Custody c, DiscoveryEndpoint d, DiscoveryResponder r) {
        this.events = e;
        this.custody = c;
        this.discovery = d;
        this.responder = r;
    }

    /**
     * Joins a cell's group and serves its discovery address, leaving the previous cell if any.
     * Founding the root, it serves the address first, so that no other peer founds it meanwhile;
     * so it does founding any cell the root believes empty, so that the children and cell-mates that
     * ask it for a parent while it joins are heard, and answered once it is bound (see
     * {@link Placement}): served after the join, the cell was silent to them for the join's 50 to
     * 100 ms, and each waited out a discovery timeout (Test II: a slow rebind of 370 ms, not 140).
     * {@code done} gets whether this peer is in the cell; it is false when the cell filled up
     * meanwhile (placements racing a rebuild).
     *
     * @param empty the cell is believed empty (the root placed this peer where it knows nobody, or
     *              nobody answered for the root): the group is founded without waiting out the
     *              join timeout for members that are not there
     */
    void enter(CellId target, boolean founding, boolean empty, Consumer<Boolean> done) {
        if (target.equals(routing.table().cell()) && group != null) {
            done.accept(true);
            return;
        }
        leave(true);
        long gen = ++generation;
        if (founding || empty) {
            serve(target, gen, served -> {
                if (served) {
                    join(target, gen, true, done);
                } else {
                    done.accept(false); // the join tries again later
                }
            });
        } else {
            join(target, gen, empty, done);
        }
    }

    private void join(CellId target, long gen, boolean empty, Consumer<Boolean> done) {
        GroupSpec spec = new GroupSpec("p3." + s.mesh() + ".cell." + target, self,
                TreeAddress.of(s.membershipBase(), target.toString(), s.shape().span()), null, empty);
        groups.joinAsync(spec, new Listener(gen)).whenComplete((g, failure) -> strand.offer(
                () -> joined(target, gen, g, failure, done), () -> {
                    if (g != null) {
                        g.crash(); // the peer is gone: so is its membership
                    }
                }));
    }

    private void joined(CellId target, long gen, CellGroup g, Throwable failure, Consumer<Boolean> done) {
        if (gen != generation) {
            if (g != null) {
                g.leaveAsync(); // left again, or another cell, meanwhile
            }
            return;
        }
        if (failure != null) {
            LOG.log(Level.WARNING, "{0}: cannot enter cell {1}: {2}", self, target, failure.getMessage());
            leave(true);
            done.accept(false);
            return;
        }
        group = g;
        List<String> members = g.members();
        routing.update(t -> t.withCellGroup(g, members));
        if (status.over()) {
            // a crash from another thread while this task ran may have looked for the group before it was published
            g.crash();
            return;
        }
        CellView first = early;
        early = null;
        if (first != null) {
            events.onView(first, earlyNanos); // heard while the join was completing
        }
        if (members.indexOf(self) >= s.shape().superPeers(target)) {
            LOG.log(Level.INFO, "{0}: cell {1} is full ({2}); joining again", self, target, members);
            leave(true);
            done.accept(false);
            return;
        }
        if (serving != null) {
            done.accept(true);
        } else {
            serve(target, gen, done);
        }
    }

    /** Serves the cell's discovery address; an address that cannot be served leaves the cell. */
    private void serve(CellId target, long gen, Consumer<Boolean> done) {
        discovery.serveAsync(target.toString(), responder).whenComplete((handle, failure) -> strand.execute(() -> {
            if (gen != generation) {
                close(handle);
                return;
            }
            if (failure != null) {
                LOG.log(Level.WARNING, "{0}: cannot serve discovery of cell {1}: {2}", self, target,
                        failure.getMessage());
                leave(true);
                done.accept(false);
                return;
            }
            serving = handle;
            done.accept(true);
        }));
    }

    /**
     * Leaves the group (with a goodbye, or as a crash would) and its discovery address.
     *
     * @return done once the group is left
     */
    CompletionStage<Void> leave(boolean gracefully) {
        List<String> mates = routing.table().mates();
        if (!mates.isEmpty()) {
            lastIndexInCell = Math.max(0, mates.indexOf(self));
        }
        generation++;
        close(serving);
        serving = null;
        CellGroup g = group;
        group = null;
        early = null;
        CompletionStage<Void> left = CompletableFuture.completedFuture(null);
        if (g != null && gracefully) {
            left = g.leaveAsync();
        } else if (g != null) {
            g.crash();
        }
        mateOfPeer.clear();
        mateOfCell.clear();
        routing.update(t -> t.withCellGroup(null, List.of()).withMates(Map.of(), Map.of()));
        events.leftCell(gracefully);
        return left;
    }

    /** A crash, from any thread: the group stops without a goodbye; the discovery sockets go with the endpoint. */
    void crash() {
        CellGroup g = routing.table().group();
        if (g != null) {
            g.crash();
        }
    }

    boolean announce(Control c) {
        CellGroup g = group;
        return g != null && routing.table().mates().size() > 1 && g.offer(codec.encode(c));
    }

    boolean coordinator() {
        List<String> m = routing.table().mates();
        return !m.isEmpty() && m.get(0).equals(self);
    }

    boolean inCell() {
        return group != null;
    }

    /** Serving a cell's discovery address while it joins the cell's group ({@link #enter}). */
    boolean entering() {
        return serving != null && group == null;
    }

    /** This peer's place in its cell, or the last one it had: a later founder of the root waits longer. */
    int indexInCell() {
        List<String> m = routing.table().mates();
        return m.isEmpty() ? lastIndexInCell : Math.max(0, m.indexOf(self));
    }

    /** A mate left the view: the routing through it goes. @return whether it had said goodbye */
    boolean mateGone(String gone) {
        mateOfPeer.values().removeIf(gone::equals);
        mateOfCell.values().removeIf(gone::equals);
        publishMates();
        return leaving.remove(gone);
    }

    void members(List<String> members) {
        routing.update(t -> t.withCellGroup(group, members));
    }

    /**
     * Peers joined below a mate: frames for them go through that mate. Heard while this peer is
     * still entering the cell too (its cell not yet set): the coordinator tells a newcomer what the
     * cell knows as soon as the view has it, which a secured join (the group key fetched over TLS)
     * may well precede; dropping it then left the newcomer without a way to the mates' children.
     */
    void joinedBelow(String mate, List<PeerRecord> records) {
        CellId mine = routing.table().cell();
        for (PeerRecord r : records) {
            if (!r.parent().equals(mate)) {
                continue;
            }
            mateOfPeer.put(r.peer(), mate);
            if (r.cell() != null && !r.cell().equals(mine) && r.role() == PeerRole.SUPER) {
                mateOfCell.put(r.cell(), mate);
            }
        }
        publishMates();
    }

    /** Peers gone below a mate; the mate itself, when it is among them, is leaving. */
    void leftBelow(String mate, List<PeerRecord> records) {
        for (PeerRecord r : records) {
            mateOfPeer.remove(r.peer(), mate);
            if (r.peer().equals(mate)) {
                leaving.add(mate);
            }
        }
        publishMates();
    }

    private void publishMates() {
        Map<String, String> ofPeer = new HashMap<>(mateOfPeer);
        Map<CellId, String> ofCell = new HashMap<>(mateOfCell);
        routing.update(t -> t.withMates(ofPeer, ofCell));
    }

    private static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close failed: {0}", e.toString());
        }
    }

    /**
     * Hears one group: views and control go to the strand; frames routed through the cell and the
     * mates' replicas are the data path, handled where they arrive. A group left meanwhile is not heard.
     */
    private final class Listener implements CellGroupListener {
        private final long gen;

        Listener(long gen) {
            this.gen = gen;
        }

        @Override
        public void onView(CellView view) {
            long detected = time.nanoTime();
            strand.execute(() -> {
                if (gen != generation) {
                    return;
                }
                if (group != null) {
                    events.onView(view, detected);
                } else {
                    early = view;
                    earlyNanos = detected;
                }
            });
        }

        @Override
        public void onMessage(String from, byte[] payload) {
            if (FtCodec.isReplica(payload)) {
                custody.onReplica(from, payload);
                return;
            }
            Control c;
            try {
                c = codec.decode(payload);
            } catch (ControlCodec.MalformedControlException e) {
                metrics.malformed.increment();
                malformed.log(Level.WARNING, () -> self + ": dropped a malformed cell message from " + from + ": "
                        + e.getMessage() + " (" + metrics.malformed.sum() + " malformed so far)");
                return;
            }
            if (c.kind() == Control.Kind.ROUTE && c.frame() != null) {
                routing.route(c.frame(), from, true);
                return;
            }
            strand.execute(() -> {
                if (gen == generation) {
                    events.fromMate(from, c);
                }
            });
        }

        @Override
        public void onSuspect(String member) {
            strand.execute(() -> {
                if (gen == generation) {
                    events.onSuspect(member);
                }
            });
        }
    }
}
