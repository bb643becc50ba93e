package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.security.PeerIdentity;
import p3.transport.DiscoveryResponder;

/**
 * The discovery responders of a cell (report, Listing 2: HandleRequestCell with GetCell, and
 * HandleRequestParent). The root cell's coordinator places joiners: super-peers fill the top of
 * the tree first, sensors the deepest cells with room, never the root, and clients the root. A
 * placement is reserved for a while, so that peers asking at once do not overfill a cell. Any
 * super-peer of a cell tells a joiner that asks for a parent where it listens.
 *
 * <p>Requests arrive on the discovery thread and are answered on the strand.
 */
final class Placement implements DiscoveryResponder {

    private static final System.Logger LOG = System.getLogger(Placement.class.getName());
    /** How long a placement holds its cell for a joiner, beyond its own timeouts (a rebuild is busy). */
    private static final long RESERVATION_MS = 5000;
    /** The id of a CELL reply that places a super-peer in a cell with nobody in it (0 otherwise). */
    static final long EMPTY_CELL = 1;
    /**
     * The id of a REQUEST_PARENT that the root sends to check a cell: a super-peer there that is not
     * bound (rebinding, still in its cell) answers it with a refusal instead of silence, so that the
     * root does not forget it, and the children it keeps, as gone.
     */
    static final long CELL_CHECK = 1;

    private record Reservation(PeerRole role, CellId cell, long expiresNanos) {
    }

    private final String self;
    private final MeshSettings s;
    private final Strand strand;
    private final Scheduler time;
    private final ControlCodec codec;
    private final PeerStatus status;
    private final Routing routing;
    private final PeerMetrics metrics;
    private final Membership membership;
    private final Cell cell;
    private final CellRequests requests;
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, 5000);
    private final RateLimitedLog full = new RateLimitedLog(LOG, 5000);
    /** Root only: placements given out and not yet joined, by joiner. */
    private final Map<String, Reservation> reservations = new HashMap<>();
    private long anonymous;
    /** Requests for a parent heard while rebinding in its cell, answered once bound ({@link #answerOnceBound}). */
    private final Map<CompletableFuture<byte[]>, Runnable> onceBound = new LinkedHashMap<>();
    /** At most this many held at once; more are silent, as they all were before. */
    private static final int MAX_WAITING = 64;
    /** How often a held RequestCell looks whether the cell its asker saw go is forgotten. */
    private static final long FORGOTTEN_POLL_MS = 5;

    Placement(PeerContext c, Membership membership, Cell cell, CellRequests requests) {
        this.self = c.self();
        this.s = c.settings();
        this.strand = c.strand();
        this.time = c.time();
        this.codec = c.codec();
        this.status = c.status();
        this.routing = c.routing();
        this.metrics = c.metrics();
        this.membership = membership;
        this.cell = cell;
        this.requests = requests;
    }

    /** In the clear: nobody vouches for the asker. */
    @Override
    public CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from) {
        return answer(cellId, payload, from, null);
    }

    /**
     * On the discovery thread: decoded there, answered on the strand. A signed request must ask for
     * its signer, in the signer's role: a sensor's certificate is not placed as a super-peer.
     */
    @Override
    public CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from, PeerIdentity sender) {
        Control c;
        try {
            c = codec.decode(payload);
        } catch (ControlCodec.MalformedControlException e) {
            metrics.malformed.increment();
            malformed.log(Level.WARNING, () -> self + ": dropped a malformed discovery request from " + from + ": "
                    + e.getMessage() + " (" + metrics.malformed.sum() + " malformed so far)");
            return CompletableFuture.completedFuture(null);
        }
        String[] words = c.text().split(":", 3);
        String refusal = Authorization.requestRefusal(sender, words[0], words.length > 1 ? words[1] : "");
        if (refusal != null) {
            metrics.unauthorized.increment();
            malformed.log(Level.WARNING, () -> self + ": refused a discovery request from " + from + ": " + refusal
                    + " (" + metrics.unauthorized.sum() + " refused so far)");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        // dropped (crashed, or too busy to answer): silent, and the asker asks again
        strand.offer(() -> respond(cellId, c, from, reply), () -> reply.complete(null));
        return reply;
    }

    /** Strand: completes {@code reply} now, or later for the requests that wait for news. */
    private void respond(String cellId, Control c, InetSocketAddress from, CompletableFuture<byte[]> reply) {
        if (c.kind() == Control.Kind.REQUEST_PARENT && c.id() != CELL_CHECK && unboundInCell()) {
            answerOnceBound(cellId, c, from, reply);
        } else if (c.kind() == Control.Kind.REQUEST_CELL) {
            requestCell(c, from, reply);
        } else {
            reply.complete(respond(c, from));
        }
    }

    /** A super-peer in its cell, or entering it, and not bound (yet, or again): it has no way up to give yet. */
    private boolean unboundInCell() {
        return !status.bound() && !status.finished() && (cell.inCell() || cell.entering());
    }

    /**
     * A child asks this cell for a parent while this super-peer binds upwards (it founded the cell
     * and is binding, or it stays in its cell while its parent cell is rebuilt): it answers as soon
     * as it is bound, within the asker's discovery timeout. Silent, it cost every child a timeout of
     * 250 ms and a second request: the cell-mate of a super-peer that refounded a crashed parent
     * cell waited out 250 ms twice in its slow rebind of 560 (Test II).
     */
    private void answerOnceBound(String cellId, Control c, InetSocketAddress from, CompletableFuture<byte[]> reply) {
        onceBound.keySet().removeIf(CompletableFuture::isDone);
        if (onceBound.size() >= MAX_WAITING) {
            reply.complete(null);
            return;
        }
        // whichever comes first: the timer (silence, as before), or bound() with the answer of the cell it
        // is bound in, if that is still the cell asked
        time.after(s.discoveryTimeoutMs(), TimeUnit.MILLISECONDS, () -> reply.complete(null));
        onceBound.put(reply, () -> reply.complete(
                cellId.equals(String.valueOf(routing.table().cell())) ? respond(c, from) : null));
    }

    /** Strand: this peer is bound (again): the requests for a parent it held are answered now. */
    void bound() {
        List<Runnable> answers = new ArrayList<>(onceBound.values());
        onceBound.clear();
        answers.forEach(Runnable::run);
    }

    /**
     * RequestCell, at the root cell's coordinator (or a peer founding the root). A super-peer that
     * saw every super-peer of its parent cell go, while this root still counts those there and no
     * other, is answered once they are forgotten, or after half a discovery timeout: the parent's
     * word of the crash travels up cell by cell while the orphan's request comes straight here, and
     * placed on what the root held, the orphan stayed and asked the dead cell twice (500 ms). A
     * sensor is placed at once, in another cell than the one it found empty.
     */
    private void requestCell(Control c, InetSocketAddress from, CompletableFuture<byte[]> reply) {
        CellId mine = routing.table().cell();
        boolean coordinator = mine != null && mine.isRoot() && cell.coordinator();
        if (status.over() || (!coordinator && !status.founding)) {
            reply.complete(null); // the root cell's coordinator answers, the others stay silent
            return;
        }
        String[] words = c.text().split(":", 2);
        PeerRole asker;
        try {
            asker = MeshSettings.role(words[0]);
        } catch (IllegalArgumentException e) {
            reply.complete(refuse(from, "a request of an unknown role: " + c.text()));
            return;
        }
        // SUPER:sp07[:checked[:kept[:gone,gone]]], the last three possibly empty: the cell where it found
        // nobody, the cell it still serves, the super-peers it saw go from the cell it found empty
        String[] who = words.length > 1 ? words[1].split(":", 4) : new String[] { "" };
        CellId checked = who.length > 1 && !who[1].isEmpty() ? cellOrNull(who[1]) : null;
        CellId kept = who.length > 2 && !who[2].isEmpty() ? cellOrNull(who[2]) : null;
        Set<String> gone = who.length > 3 && !who[3].isEmpty() ? Set.of(who[3].split(",")) : Set.of();
        if (checked != null && coordinator) {
            checkSilentCell(checked);
        }
        Runnable answer = () -> reply.complete(codec.encode(place(asker, who[0], checked, kept)));
        if (coordinator && asker == PeerRole.SUPER && checked != null && !checked.equals(mine) && !gone.isEmpty()) {
            long deadline = time.nanoTime() + TimeUnit.MILLISECONDS.toNanos(s.discoveryTimeoutMs() / 2);
            onceForgotten(checked, gone, deadline, answer);
        } else {
            answer.run();
        }
    }

    /**
     * Runs {@code then} once this root counts no super-peer in {@code cell} but those not among
     * {@code gone}, or at the deadline: one it holds there that the asker did not see go is
     * news to the asker, and the placement can say so now.
     */
    private void onceForgotten(CellId cell, Set<String> gone, long deadlineNanos, Runnable then) {
        TreeView known = membership.known();
        boolean waiting = known.count(cell, PeerRole.SUPER) > 0 && known.count(cell, PeerRole.SUPER, gone) == 0;
        if (!waiting || status.over() || time.nanoTime() - deadlineNanos >= 0) {
            then.run();
            return;
        }
        time.after(FORGOTTEN_POLL_MS, TimeUnit.MILLISECONDS, () -> onceForgotten(cell, gone, deadlineNanos, then));
    }

    /** REQUEST_PARENT: this super-peer's record, bound, or silence. */
    private byte[] respond(Control c, InetSocketAddress from) {
        if (status.over()) {
            return null;
        }
        String role = c.text().split(":", 2)[0];
        PeerRole asker;
        try {
            asker = MeshSettings.role(role);
        } catch (IllegalArgumentException e) {
            return refuse(from, "a request of an unknown role: " + c.text());
        }
        if (c.kind() != Control.Kind.REQUEST_PARENT) {
            return refuse(from, "a discovery request of kind " + c.kind());
        }
        CellId mine = routing.table().cell();
        if (!status.bound() || mine == null) {
            return c.id() == CELL_CHECK && (cell.entering() || (mine != null && cell.inCell()))
                    ? codec.encode(Control.of(Control.Kind.REFUSED, 0, "not bound yet"))
                    : null;
        }
        if (asker == PeerRole.SENSOR && mine.isRoot()) {
            return codec.encode(Control.of(Control.Kind.REFUSED, 0, "the root cell takes no sensors"));
        }
        return codec.encode(Control.records(Control.Kind.PARENT, 0,
                List.of(membership.record(mine, routing.table().parent()))));
    }

    private byte[] refuse(InetSocketAddress from, String what) {
        metrics.malformed.increment();
        malformed.log(Level.WARNING, () -> self + ": ignored " + what + " from " + from);
        return null;
    }

    /** A cell of this tree named in a request, or null (counted as malformed) when it names none. */
    private CellId cellOrNull(String name) {
        try {
            return CellId.of(name, s.shape().span());
        } catch (IllegalArgumentException e) {
            metrics.malformed.increment();
            return null;
        }
    }

    /**
     * GetCell, with reservations so that peers asking at the same time do not overfill a cell.
     *
     * @param checked a cell where the asker found nobody, or null
     * @param kept    the cell a rebinding super-peer still serves, or null
     */
    private Control place(PeerRole asker, String askerId, CellId checked, CellId kept) {
        long now = time.nanoTime();
        TreeView known = membership.known();
        // a reservation ends when it expires, or when its peer is known in that cell: then it counts there
        reservations.entrySet().removeIf(e -> e.getValue().expiresNanos() - now < 0 || joined(known, e.getKey(),
                e.getValue().cell()));
        reservations.remove(askerId); // asking again: its old place is free
        List<CellId> reserved = new ArrayList<>();
        Set<String> elsewhere = new HashSet<>();
        elsewhere.add(askerId);
        for (Map.Entry<String, Reservation> e : reservations.entrySet()) {
            if (e.getValue().role() == asker) {
                reserved.add(e.getValue().cell());
                elsewhere.add(e.getKey());
            }
        }
        if (status.founding && asker == PeerRole.SUPER) {
            // on its way to the root, where it counts, while its record still names the cell it left; not
            // counted there, it sent its cell-mate up too, emptying their cell under their children
            reserved.add(CellId.ROOT);
            elsewhere.add(self);
        }
        Map<CellId, Integer> held = TreeView.countByCell(reserved);
        CellId placed = kept == null || asker != PeerRole.SUPER ? null : rebindPlace(known, kept, held, elsewhere);
        if (placed == null) {
            placed = known.place(asker, s.shape(), held, elsewhere, checked);
        }
        if (placed == null) {
            full.log(Level.WARNING, () -> self + ": refused a " + asker + ": the tree is full: "
                    + known.occupancy(s.shape()) + (held.isEmpty() ? "" : "; reserved " + held));
            return Control.of(Control.Kind.REFUSED, 0, "the tree has no room for another " + asker);
        }
        // nobody known there and nobody on the way: the joiner founds the cell's group without waiting
        // for members (the root itself is never empty to a peer that asks the root's coordinator)
        boolean empty = asker == PeerRole.SUPER && !placed.isRoot() && held.getOrDefault(placed, 0) == 0
                && known.count(placed, PeerRole.SUPER, elsewhere) == 0;
        if (asker != PeerRole.CLIENT) {
            long hold = TimeUnit.MILLISECONDS.toNanos(RESERVATION_MS + 5L * s.discoveryTimeoutMs() + s.bindTimeoutMs());
            reservations.put(askerId.isEmpty() ? "?" + (++anonymous) : askerId, new Reservation(asker, placed, now + hold));
        }
        return Control.of(Control.Kind.CELL, empty ? EMPTY_CELL : 0, placed.toString());
    }

    /**
     * Where a super-peer that lost its parent cell, and still serves its own, goes: it stays while
     * its parent cell has super-peers or one on the way, and binds there; it moves up to found the
     * parent cell when that is empty, one orphan per cell (the next finds it reserved). Null when the
     * parent cell cannot be reached either: the tree's usual placement decides.
     */
    private CellId rebindPlace(TreeView known, CellId kept, Map<CellId, Integer> held, Set<String> elsewhere) {
        if (kept.isRoot() || kept.depth() > s.shape().depth()) {
            return null;
        }
        CellId up = kept.parent();
        if (known.count(up, PeerRole.SUPER, elsewhere) + held.getOrDefault(up, 0) > 0) {
            return kept;
        }
        return up.isRoot() || known.count(up.parent(), PeerRole.SUPER, elsewhere) > 0 ? up : null;
    }

    private static boolean joined(TreeView known, String peer, CellId cell) {
        PeerRecord r = known.get(peer);
        return r != null && cell.equals(r.cell());
    }

    /**
     * A joiner found nobody in a cell this root placed it under, or no room there: the peers the root
     * holds there may have crashed unseen (while they were rebinding, with no parent or cell-mate to
     * notice), or moved in unseen. The root asks the cell itself: it forgets them when nobody answers,
     * and learns who is there from the answers, so that the next placement goes elsewhere. Seen after
     * a level-1 cell crashed whole: a root that missed one of the two super-peers that had refounded
     * the cell placed a third there every 250 ms for the 20 s the test waited, and each found it full.
     */
    private void checkSilentCell(CellId silent) {
        if (silent.equals(routing.table().cell())) {
            // its own cell's members are the group's view, not guesses; a joiner that heard nobody
            // there asked while the cell was still forming. Forgetting them once left a rebuilt root
            // that knew neither itself nor its mate, and refused every joiner as if the tree were full.
            return;
        }
        List<PeerRecord> held = new ArrayList<>();
        for (PeerRecord r : membership.known().all()) {
            if (silent.equals(r.cell()) && r.role() != PeerRole.CLIENT) {
                held.add(r);
            }
        }
        if (held.stream().noneMatch(r -> r.role() == PeerRole.SUPER)) {
            return;
        }
        requests.checkCell(silent, (parents, answers) -> {
            if (answers == 0) {
                LOG.log(Level.INFO, "{0}: nobody answers in cell {1}: forgetting {2}", self, silent, held);
                membership.onLeave(held, true);
            } else if (!parents.isEmpty()) {
                membership.learnedFrom(silent, parents);
            }
        });
    }
}
