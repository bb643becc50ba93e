package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import p3.mesh.CellId;
import p3.mesh.FailureRecord;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;
import p3.transport.CloseReason;
import p3.transport.DiscoveryEndpoint;

/**
 * Joining the mesh (report, Listing 1: JoinMesh, RejoinMesh, BindToCell), asking through
 * {@link CellRequests} (Listing 2: RequestCell, RequestParent). A peer asks the root cell where to go; a
 * super-peer that hears nothing founds the root cell after its turn. It then asks the parent cell
 * who serves there, enters its own cell's group (a super-peer), and binds to a parent. When its
 * parent fails it rebinds: fast to a cell-mate of the parent, else slowly, asking the parent cell
 * again, else joining anew.
 *
 * <p>A small state machine on the strand: every wait is a timer or a continuation, and each carries
 * the attempt it belongs to, so that an answer to an attempt given up is ignored.
 */
final class Join {

    private static final System.Logger LOG = System.getLogger(Join.class.getName());

    private final String self;
    private final MeshSettings s;
    private final PeerRole role;
    private final Strand strand;
    private final Scheduler time;
    private final PeerStatus status;
    private final Routing routing;
    private final PeerMetrics metrics;
    private final Cell cell;
    private final Membership membership;
    private final Uplink uplink;
    private final Custody custody;
    private final FailureLog failures;
    private final CellRequests requests;
    private final Runnable whenBound;
    private final FoundingTurn turn;
    /** Counts attempts: a continuation of an older one does nothing. */
    private long attempt;
    /**
     * A cell the root placed this peer under where nobody answered, or in which it found no room: the
     * root is told, to check it.
     */
    private CellId unanswered;
    /** The super-peers this peer saw go from {@link #unanswered}, told to the root with it (once). */
    private String goneThere = "";
    /**
     * It asked the root without asking its parent cell first ({@link #rejoinMesh}): a request for a
     * cell that nobody answers then is asked once more before it counts towards founding the root.
     * The root may be mid-way through its own rebuild: a super-peer that founds it leaves its cell
     * first, and the children that lose it ask before it serves the root's discovery.
     */
    private boolean shortcut;
    /** The failure a rejoin is the rebind of, or -1. */
    private int rejoinOf = -1;
    /** A super-peer told to stay in its cell asked its parent cell a second time in this join. */
    private boolean askedAgain;
    /** Joins given up in a row since this peer was last bound: {@link #retryLater} waits longer after a few. */
    private int retries;
    /** A client asks for the root super-peers it is not bound to every this many housekeeping rounds. */
    static final int UPKEEP_ROUNDS = 2;
    /** Client: housekeeping rounds since it last asked for missing root parents, and whether it is asking. */
    private int upkeepRounds;
    private boolean upkeeping;
    /**
     * A super-peer told to stay in its cell waits this fraction of a discovery timeout for its parent
     * cell's first answer, then asks again for a whole one: in Test II the orphans of a crashed cell
     * that stayed asked before the one that founded it served its discovery, and each waited out
     * 250 ms of silence (slow rebinds of 330 to 390 ms, the founder's 140).
     */
    static final int STAYING_FRACTION = 4;
    /** Retries one discovery timeout apart before the waits grow. */
    static final int STEADY_RETRIES = 3;
    /** The longest wait between joins is 2^this discovery timeouts (4 s with the runtime's 250 ms). */
    static final int MAX_DOUBLINGS = 4;

    /** @param whenBound runs each time this peer is bound (again): what waited for it to have a way up */
    Join(PeerContext c, CellRequests requests, Runnable whenBound, Cell cell, Membership membership, Uplink uplink,
            Custody custody, FailureLog failures) {
        this.self = c.self();
        this.s = c.settings();
        this.role = s.role();
        this.strand = c.strand();
        this.time = c.time();
        this.status = c.status();
        this.routing = c.routing();
        this.metrics = c.metrics();
        this.cell = cell;
        this.membership = membership;
        this.uplink = uplink;
        this.custody = custody;
        this.failures = failures;
        this.requests = requests;
        this.whenBound = whenBound;
        this.turn = new FoundingTurn(this.s, this.time, this.routing, this.cell);
    }

    void start(DiscoveryEndpoint d) {
        requests.start(d);
        joinMesh();
    }

    /** Gives up whatever attempt is under way: its continuations will do nothing. */
    void stop() {
        attempt++;
    }

    /** JoinMesh: RequestCell, then BindToCell; tried again after a discovery timeout until it holds. */
    void joinMesh() {
        if (status.finished()) {
            return;
        }
        long a = ++attempt;
        askedAgain = false;
        turn.begin();
        status.set(PeerState.JOINING);
        requestCell(a, 0);
    }

    /**
     * RequestCell: the root cell's coordinator says where; a super-peer that hears nothing founds the
     * root after its turn.
     *
     * @param silent rounds of this attempt that nobody answered
     */
    private void requestCell(long a, int silent) {
        CellId checked = unanswered;
        CellId kept = keptCell();
        String gone = checked == null ? "" : goneThere;
        goneThere = "";
        // ROLE:id[:checked[:kept[:gone,gone]]], each of the last three may be empty
        Control request = Control.of(Control.Kind.REQUEST_CELL, 0, role.name() + ":" + self
                + (checked == null && kept == null && gone.isEmpty() ? "" : ":" + (checked == null ? "" : checked))
                + (kept == null && gone.isEmpty() ? "" : ":" + (kept == null ? "" : kept))
                + (gone.isEmpty() ? "" : ":" + gone));
        requests.ask(CellId.ROOT, request, 1, (replies, unsent) -> {
            if (a != attempt || status.finished()) {
                return;
            }
            boolean again = shortcut;
            shortcut = false;
            if (!replies.isEmpty()) {
                placed(a, replies.get(0));
            } else if (again && !unsent) {
                requestCell(a, silent);
            } else if (unsent) {
                // its own network is down (a cut interface): that is no sign that the root is gone, and a
                // super-peer that founded the root then (seen in the campaign) split the mesh until a merge
                LOG.log(Level.INFO, "{0}: cannot send its request for a cell (no network); trying again", self);
                retryLater(a);
            } else if (role != PeerRole.SUPER) {
                LOG.log(Level.INFO, "{0}: no root cell answers; trying again", self);
                retryLater(a);
            } else if (!turn.come(silent)) {
                // peers that were deeper, or later in their cell, found later, so that one founds the root;
                // meanwhile they ask every stagger, and the first one's root answers them as soon as it is up
                time.after(s.foundingStaggerMs(), TimeUnit.MILLISECONDS, () -> {
                    if (a == attempt) {
                        requestCell(a, silent + 1);
                    }
                });
            } else {
                LOG.log(Level.INFO, "{0}: no root cell answers; founding it", self);
                status.founding = true;
                bindToCell(a, CellId.ROOT, true);
            }
        });
    }

    /**
     * The cell this super-peer still serves while it asks the root where to go: the root leaves it
     * there unless its parent cell must be founded (see {@link Placement}). Null for a peer without
     * a cell, and for a member of the root cell, which has no parent cell to lose.
     */
    private CellId keptCell() {
        CellId mine = routing.table().cell();
        return role == PeerRole.SUPER && mine != null && !mine.isRoot() && cell.inCell() ? mine : null;
    }

    private void placed(long a, Control reply) {
        if (reply.kind() != Control.Kind.CELL) {
            LOG.log(Level.WARNING, "{0}: the root refused a place: {1}", self, reply.text());
            retryLater(a);
            return;
        }
        CellId target;
        try {
            target = CellId.of(reply.text(), s.shape().span());
        } catch (IllegalArgumentException e) {
            metrics.malformed.increment();
            LOG.log(Level.WARNING, "{0}: the root placed it in a cell that is not one of this tree: {1}", self,
                    e.getMessage());
            retryLater(a);
            return;
        }
        bindToCell(a, target, reply.id() == Placement.EMPTY_CELL);
    }

    /**
     * BindToCell: the parent's endpoints (RequestParent), then the cell, then the services towards the parent.
     *
     * @param empty the root knows nobody in the cell: its group is founded without waiting for members
     */
    private void bindToCell(long a, CellId target, boolean empty) {
        if (role == PeerRole.SUPER && target.isRoot()) {
            enterCell(a, target, List.of(), empty);
            return;
        }
        CellId parentCell = role == PeerRole.SUPER ? target.parent() : target;
        // told to stay, it may be asking while a cell-mate of old founds the parent cell and is not serving
        // it yet (it asked the root a moment later): a first request that nobody answers is not waited out
        long wait = staying(target) && !askedAgain ? s.discoveryTimeoutMs() / STAYING_FRACTION : s.discoveryTimeoutMs();
        requests.requestParent(parentCell, quick(), wait, parents -> {
            if (a != attempt || status.finished()) {
                return;
            }
            if (parents.isEmpty() && staying(target) && !askedAgain) {
                // told to stay while a cell-mate founds the parent cell: it answers once it is bound,
                // most likely within this second request, not after a whole join more
                askedAgain = true;
                bindToCell(a, target, empty);
                return;
            }
            if (parents.isEmpty()) {
                LOG.log(Level.INFO, "{0}: nobody in cell {1} answers; joining again", self, parentCell);
                unanswered = parentCell;
                retryLater(a);
                return;
            }
            unanswered = null;
            enterCell(a, target, parents, empty);
        });
    }

    /** Whether the root left this super-peer in the cell it still serves. */
    private boolean staying(CellId target) {
        return role == PeerRole.SUPER && target.equals(keptCell());
    }

    private void enterCell(long a, CellId target, List<PeerRecord> parents, boolean empty) {
        if (role != PeerRole.SUPER) {
            settle(a, target, parents);
            return;
        }
        cell.enter(target, status.founding, empty, in -> {
            status.founding = false;
            if (a != attempt || status.finished()) {
                return;
            }
            if (in) {
                settle(a, target, parents);
            } else {
                unanswered = target; // full, most likely: the root's view of it is behind, and the root is told
                retryLater(a);
            }
        });
    }

    private void settle(long a, CellId target, List<PeerRecord> parents) {
        routing.update(t -> t.withCell(target));
        if (role == PeerRole.SUPER && target.isRoot()) {
            membership.foundedRoot();
            LOG.log(Level.INFO, "{0}: in the root cell", self);
            bound(RebindKind.SLOW);
            return;
        }
        uplink.bindTo(parents, ok -> {
            if (a != attempt || status.finished()) {
                return;
            }
            if (ok) {
                bound(RebindKind.SLOW);
            } else {
                retryLater(a);
            }
        });
    }

    /**
     * After a join given up (nobody answered, the root refused, the bind failed), the next one. The
     * first {@value #STEADY_RETRIES} follow one discovery timeout later; then the wait doubles, up to
     * {@code 2^}{@value #MAX_DOUBLINGS} timeouts, each drawn at random in the upper half of its
     * interval. Seen forming 500 sensors under 170 super-peers in one JVM on 2 cores: about 300
     * sensors lost their parents within 3 s (links closed as idle on overloaded event loops), and 256
     * of them asked the root cell again and again, 250 to 350 signed requests a second (each checked
     * in 1 to 2 ms by each of the root's super-peers) for the 30 s that followed: the root never
     * answered again, and formation failed.
     */
    private void retryLater(long a) {
        long delay = retryDelayMs(retries++, s.discoveryTimeoutMs(), ThreadLocalRandom.current().nextDouble());
        time.after(delay, TimeUnit.MILLISECONDS, () -> {
            if (a == attempt) {
                joinMesh();
            }
        });
    }

    /**
     * Whether this super-peer is one too many in its cell, and leaves it to join anew. Groups of one
     * cell founded apart (founders racing a rebuild, or the two sides of a partition) merge into one
     * view later, which may hold more super-peers than the cell has places: every member sees the
     * same order, so the ones beyond the places, and only they, move. Left as it was, a root cell of
     * twelve placed peers with two coordinators' views of the tree, and some cells were never filled.
     */
    boolean overfull(List<String> members) {
        CellId mine = routing.table().cell();
        if (role != PeerRole.SUPER || mine == null || !status.bound()
                || members.indexOf(self) < s.shape().superPeers(mine)) {
            return false;
        }
        LOG.log(Level.WARNING, "{0}: cell {1} holds more super-peers than its {2} places ({3}); joining anew", self,
                mine, s.shape().superPeers(mine), members);
        uplink.unbind();
        cell.leave(true);
        joinMesh();
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Rebind

    /** A link of the current parent closed without our asking: rebind, fast if the cell has another peer. */
    void parentLost(Binding lost, CloseReason reason, long detected, boolean stillBound) {
        if (status.finished()) {
            return;
        }
        String failed = lost.peer();
        LOG.log(Level.INFO, "{0}: parent {1} lost ({2})", self, failed, reason);
        int record = failures.seen(failed, "link", detected);
        if (stillBound) {
            return; // a client still bound to another root super-peer needs no rebind
        }
        status.set(PeerState.REBINDING);
        long a = ++attempt;
        uplink.rebindFast(failed, fast -> {
            if (a != attempt || status.finished()) {
                return;
            }
            if (fast) {
                rebindOf(record);
                bound(RebindKind.FAST);
            } else {
                rejoinMesh(a, record);
            }
        });
    }

    /**
     * Every housekeeping round. A client bound to fewer root super-peers than the root cell has
     * places asks the root cell now and then and binds to those it misses: it kept only the parents
     * that bound at its join, and lost one for good when its link went idle while the other stayed
     * (campaign: a root super-peer stalled for a moment under the bench's load, and when the other
     * one hung later the client had no parent for 3 s). A super-peer or sensor with no pre-bound
     * backup, in a parent cell of more than one place, asks that cell again now and then: a backup
     * that hung, or was killed and came back, was no candidate any more, and the next failure of
     * the parent went the slow way (campaign: a root super-peer's crash, 180 to 320 ms).
     */
    void upkeep() {
        if (!status.bound() || upkeeping || ++upkeepRounds < UPKEEP_ROUNDS) {
            return;
        }
        if (role != PeerRole.CLIENT) {
            CellId mine = routing.table().cell();
            CellId parentCell = mine == null || mine.isRoot() ? null : role == PeerRole.SUPER ? mine.parent() : mine;
            if (parentCell != null && s.prebind() && !uplink.hasBackup()
                    && s.shape().superPeers(parentCell) > 1) {
                upkeepRounds = 0;
                findBackups();
            }
            return;
        }
        if (uplink.parents().size() >= s.shape().superPeers(CellId.ROOT)) {
            return;
        }
        upkeepRounds = 0;
        upkeeping = true;
        requests.requestParent(CellId.ROOT, false, parents -> {
            if (!status.bound()) {
                upkeeping = false;
                return;
            }
            uplink.bindMore(parents, added -> {
                upkeeping = false;
                if (!added.isEmpty()) {
                    LOG.log(Level.INFO, "{0}: bound to root super-peer(s) {1} again", self, added);
                }
            });
        });
    }

    /**
     * RejoinMesh: a super-peer asks its parent cell again and binds there; failing that, or when every
     * super-peer it knew there went away, it asks the root where to go, still in its cell. A sensor
     * asks the root. The report's super-peer left its cell first; then its children lost their parent
     * too, and the root, filling the tree from the top, moved both super-peers of an orphaned cell up
     * and emptied the cell below: a cascade that made super-peers' slow rebinds 1.1 to 2.9 s in Test
     * II. Now the root moves it only to found a parent cell that is gone ({@link Placement}); entering
     * another cell leaves this one.
     */
    private void rejoinMesh(long a, int record) {
        CellId mine = routing.table().cell();
        rebindOf(record);
        if (role == PeerRole.CLIENT || mine == null || (role == PeerRole.SUPER && mine.isRoot())) {
            joinMesh();
            return;
        }
        CellId parentCell = role == PeerRole.SUPER ? mine.parent() : mine;
        if (uplink.parentCell().gone() && !parentCell.isRoot()) {
            // the root is told, and checks the cell: a sensor goes elsewhere, a super-peer founds the
            // parent cell or stays if the root knows someone there. Not when the parent cell is the
            // root's: a request for a cell that nobody answers there makes a super-peer found the root,
            // and one member the child did not know of (come since) or whose coordinator died a moment
            // ago would be a second root; asking the cell first, any member of it answers
            LOG.log(Level.INFO, "{0}: every super-peer it knew in cell {1} went away; asking the root", self,
                    parentCell);
            unanswered = parentCell;
            goneThere = String.join(",", new TreeSet<>(uplink.parentCell().peers()));
            shortcut = true;
            joinMesh();
            return;
        }
        if (role != PeerRole.SUPER) {
            joinMesh();
            return;
        }
        requests.requestParent(mine.parent(), quick(), parents -> {
            if (a != attempt || status.finished()) {
                return;
            }
            if (parents.isEmpty()) {
                unanswered = mine.parent(); // the root checks it, in case it still counts peers there
                joinMesh();
                return;
            }
            uplink.bindTo(parents, ok -> {
                if (a != attempt || status.finished()) {
                    return;
                }
                if (ok) {
                    bound(RebindKind.SLOW);
                } else {
                    cell.leave(true);
                    joinMesh();
                }
            });
        });
    }

    /**
     * How long to wait before the next join, after {@code retries} given up in a row since this peer
     * was last bound.
     *
     * @param random in [0, 1): where in its interval the wait falls
     */
    static long retryDelayMs(int retries, int discoveryTimeoutMs, double random) {
        if (retries < STEADY_RETRIES) {
            return discoveryTimeoutMs;
        }
        long ceiling = (long) discoveryTimeoutMs << Math.min(retries - STEADY_RETRIES + 1, MAX_DOUBLINGS);
        return ceiling / 2 + (long) (random * (ceiling / 2));
    }

    private void rebindOf(int record) {
        rejoinOf = record;
    }

    /** Bound (again): a rebind's record says how, what this peer holds goes up again, and a backup parent is pre-bound. */
    private void bound(RebindKind slowOrFast) {
        status.set(PeerState.BOUND);
        retries = 0;
        shortcut = false;
        whenBound.run();
        boolean rebound = rejoinOf >= 0;
        if (rebound) {
            FailureRecord f = failures.rebound(rejoinOf, slowOrFast, time.nanoTime());
            // one line per failure: what an operator (and the campaign's reader) needs to tell a slow rebind apart
            LOG.log(Level.INFO, "{0}: bound to {1} in cell {2}, {3} ms after {4} was lost ({5} rebind)", self,
                    uplink.parents(), routing.table().cell(), Math.round(f.rebindMillis()), f.failed(),
                    slowOrFast == RebindKind.FAST ? "fast" : "slow");
            rejoinOf = -1;
            custody.rebound();
        }
        if (!uplink.prebind() && rebound && slowOrFast == RebindKind.SLOW) {
            findBackups();
        }
    }

    /**
     * A rebind stops at the first parent that answers ({@link #quick}): with no backup left to pre-bind,
     * the parent cell is asked again for all of its super-peers, now that the rebind is over.
     */
    void findBackups() {
        CellId mine = routing.table().cell();
        if (role == PeerRole.CLIENT || mine == null || (role == PeerRole.SUPER && mine.isRoot())) {
            return;
        }
        long a = attempt;
        requests.requestParent(role == PeerRole.SUPER ? mine.parent() : mine, false, parents -> {
            if (a == attempt && status.bound()) {
                uplink.backups(parents);
            }
        });
    }

    /**
     * Whether a request for parents stops at the first answer: while rebinding, a parent that answers
     * is all it takes, and waiting for every super-peer of the parent cell cost the whole discovery
     * timeout whenever one of them was the peer that had failed. A first join waits for all, which
     * spreads children across parents and gives a client every root super-peer; a client that
     * rebinds takes the first and binds to the others in its {@link #upkeep} (waiting for all cost it
     * a discovery timeout in every root rebuild, where the first founder is alone for a while).
     */
    private boolean quick() {
        return rejoinOf >= 0;
    }
}
