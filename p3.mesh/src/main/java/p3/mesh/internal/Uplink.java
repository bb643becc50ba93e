package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import p3.mesh.PeerRole;
import p3.transport.CloseReason;
import p3.transport.Link;
import p3.transport.Links;
import p3.transport.TrafficClass;

/**
 * The uplink: this peer's parent bindings (report, Listing 1's service.Start towards the parent's
 * endpoints, one link per class; Listing 3's BindToParent). A binding opens its links, then says
 * BIND with the subtree it brings; the parent answers BOUND or REFUSED. Pre-binding (from the
 * authors' later Stheno) keeps links open to a backup parent, so that a fast rebind is one BIND.
 *
 * <p>Strand only; the links' handlers hand their events to the strand, and pass data frames on
 * where they arrive.
 */
final class Uplink {

    private static final System.Logger LOG = System.getLogger(Uplink.class.getName());

    /** What the uplink tells the rest of the peer, on the strand. */
    interface Events {
        /** The current parent's MESH link closed without our asking. */
        void parentLost(Binding lost, CloseReason reason, long detectedNanos, boolean stillBound);

        /** A control message from a parent (TREE, JOINED, FT_USE). */
        void fromParent(String parent, Control c);

        /** The pre-bound backup went away and no other candidate is left: the parent cell is asked again. */
        void backupsWanted();
    }

    private final String self;
    private final MeshSettings s;
    private final Links links;
    private final Strand strand;
    private final Scheduler time;
    private final ControlCodec codec;
    private final PeerStatus status;
    private final Routing routing;
    private final PeerMetrics metrics;
    private final Membership membership;
    private final Supplier<List<TrafficClass>> classes;
    private final PeerContext context;
    private Events events;

    private List<Binding> bindings = List.of();
    /** Open links to a backup parent, not bound: the fast rebind's head start. */
    private volatile List<Binding> prebound = List.of();
    /** What discovery told of the parent cell: the backups for a fast rebind. */
    private List<PeerRecord> candidates = List.of();
    private final ParentCell parentCell = new ParentCell();
    private final ClassLinks classLinks;
    private final Map<Long, Consumer<Control>> pendingBinds = new HashMap<>();
    /**
     * Every binding opened and not closed by this peer: those being opened or bound too, which
     * are neither bindings nor backups yet, so that a crash or a leave closes their links as well.
     */
    private final Set<Binding> opened = ConcurrentHashMap.newKeySet();
    private long bindIds;
    /**
     * Opens or binds that ran out of time in a row. Each doubles the next one's time (up to 8 times
     * the setting), as TCP backs off its retransmissions: on a machine too busy to finish handshakes
     * in a second, a fixed timeout threw every attempt away at the point it would have ended, and each
     * new attempt added handshakes. Seen on one core after a root crash: no peer bound again in 30 s.
     */
    private int late;

    /** @param classes the classes a binding opens links for: mesh control, and every class with a service */
    Uplink(PeerContext c, Links links, Membership membership, Supplier<List<TrafficClass>> classes) {
        this.self = c.self();
        this.s = c.settings();
        this.strand = c.strand();
        this.time = c.time();
        this.codec = c.codec();
        this.status = c.status();
        this.routing = c.routing();
        this.metrics = c.metrics();
        this.links = links;
        this.membership = membership;
        this.classes = classes;
        this.context = c;
        this.classLinks = new ClassLinks(c, links, classes, this::held, b -> new ParentSide(b, this, c));
    }

    void events(Events e) {
        this.events = e;
    }

    /** Binds to one of the super-peers of the parent cell (a client to all of them); keeps them as backups. */
    void bindTo(List<PeerRecord> parents, Consumer<Boolean> done) {
        candidates = List.copyOf(parents);
        parentCell.told(parents);
        dropPrebound();
        bindToOneOf(ordered(parents), 0, new ArrayList<>(), done);
    }

    /** Tries the parents in order: the first that binds is kept; a client keeps every one that binds. */
    private void bindToOneOf(List<PeerRecord> parents, int i, List<Binding> made, Consumer<Boolean> done) {
        boolean client = s.role() == PeerRole.CLIENT;
        if (i == parents.size() || (!client && !made.isEmpty())) {
            if (!made.isEmpty()) {
                setBindings(made);
            }
            done.accept(!made.isEmpty());
            return;
        }
        open(parents.get(i), b -> {
            if (b == null) {
                bindToOneOf(parents, i + 1, made, done);
                return;
            }
            bind(b, ok -> {
                if (ok) {
                    made.add(b);
                }
                bindToOneOf(parents, i + 1, made, done);
            });
        });
    }

    /**
     * A client's upkeep: binds to each of these parents that it is not bound to, one after the other,
     * keeping the bindings it has. {@code done} gets the parents added.
     */
    void bindMore(List<PeerRecord> parents, Consumer<List<String>> done) {
        List<PeerRecord> missing = parents.stream().filter(p -> !bound(p.peer())).toList();
        addEach(missing, 0, new ArrayList<>(), done);
    }

    private void addEach(List<PeerRecord> parents, int i, List<String> added, Consumer<List<String>> done) {
        if (i == parents.size()) {
            done.accept(added);
            return;
        }
        open(parents.get(i), b -> {
            if (b == null) {
                addEach(parents, i + 1, added, done);
                return;
            }
            bind(b, ok -> {
                if (ok && status.bound() && !bound(b.peer())) {
                    List<Binding> more = new ArrayList<>(bindings);
                    more.add(b);
                    setBindings(more);
                    added.add(b.peer());
                } else if (ok) {
                    b.close(true); // a rebind or a leave meanwhile, or bound to it another way
                }
                addEach(parents, i + 1, added, done);
            });
        });
    }

    /** The chosen parent first (spread by PeerId, so that children share the cell's load), then the backups. */
    private List<PeerRecord> ordered(List<PeerRecord> parents) {
        List<PeerRecord> sorted = new ArrayList<>(parents);
        sorted.sort(Comparator.comparing(PeerRecord::peer));
        if (s.role() == PeerRole.CLIENT || sorted.isEmpty()) {
            return sorted;
        }
        int first = Math.floorMod(self.hashCode(), sorted.size());
        List<PeerRecord> out = new ArrayList<>(sorted.subList(first, sorted.size()));
        out.addAll(sorted.subList(0, first));
        return out;
    }

    /** Opens a binding's links, one per class, without binding yet; {@code done} gets null when they cannot all open in time. */
    private void open(PeerRecord parent, Consumer<Binding> done) {
        Binding b = new Binding(parent);
        opened.removeIf(o -> o.closedByUs);
        opened.add(b);
        ParentSide handler = new ParentSide(b, this, context);
        List<TrafficClass> wanted = classes.get();
        AtomicInteger waiting = new AtomicInteger(wanted.size());
        boolean[] over = new boolean[1]; // strand only
        long allowed = allowedMs();
        Scheduler.Timer timeout = time.after(allowed, TimeUnit.MILLISECONDS, () -> {
            if (!over[0]) {
                over[0] = true;
                late++;
                LOG.log(Level.INFO, "{0}: cannot open links to {1} within {2} ms", self, parent.peer(), allowed);
                b.close(false);
                done.accept(null);
            }
        });
        for (TrafficClass cls : wanted) {
            links.connect(parent.links(), self, cls, handler).whenComplete((l, e) -> strand.offer(() -> {
                    if (over[0]) {
                        if (l != null) {
                            l.abort();
                        }
                        return;
                    }
                    String impostor = l == null ? null : Authorization.parentRefusal(l, parent.peer());
                    if (l == null || !l.isOpen() || impostor != null) {
                        // a link that closed before it got here: its close was heard before it was set, and
                        // ignored then; the parent dropped it (a child of the same name that left, say)
                        over[0] = true;
                        timeout.cancel();
                        if (impostor == null) {
                            parentCell.wentAway(parent.peer());
                        }
                        if (impostor != null) {
                            metrics.unauthorized.increment();
                            l.abort();
                        }
                        LOG.log(impostor != null ? Level.WARNING : Level.INFO, "{0}: cannot open links to {1}: {2}",
                                self, parent.peer(), impostor != null ? impostor
                                        : l == null ? e.getMessage() : cls.id() + " link closed at once");
                        b.close(false);
                        done.accept(null);
                        return;
                    }
                    b.links.set(l);
                    if (status.over()) {
                        b.close(false); // crashed meanwhile, from another thread: the crash may not have seen this link
                        return;
                    }
                    if (waiting.decrementAndGet() == 0) {
                        over[0] = true;
                        timeout.cancel();
                        done.accept(b);
                    }
                }, () -> {
                    if (l != null) {
                        l.abort(); // the peer is gone
                    }
                }));
        }
    }

    /** How long the next open or bind may take: the setting, doubled for each that ran out of time in a row. */
    private long allowedMs() {
        return (long) s.bindTimeoutMs() << Math.min(late, 3);
    }

    /** BIND over open links: the parent takes this peer and its subtree as its child. */
    private void bind(Binding b, Consumer<Boolean> done) {
        long id = ++bindIds;
        List<PeerRecord> subtree = membership.binding(routing.table().cell(), b.peer());
        long allowed = allowedMs();
        Scheduler.Timer timeout = time.after(allowed, TimeUnit.MILLISECONDS, () -> {
            if (pendingBinds.remove(id) != null) {
                late++;
                b.unanswered = null;
                LOG.log(Level.INFO, "{0}: no answer from {1} to its BIND within {2} ms", self, b.peer(), allowed);
                b.close(false);
                done.accept(false);
            }
        });
        // the parent's MESH link closing (a parent that died, a pre-bound backup that died with the parent)
        // ends the wait: it waited out the whole bind timeout, a second of a cell's rebuild (campaign)
        b.unanswered = () -> {
            if (pendingBinds.remove(id) != null) {
                timeout.cancel();
                LOG.log(Level.INFO, "{0}: {1} went away before it answered its BIND", self, b.peer());
                b.close(false);
                done.accept(false);
            }
        };
        pendingBinds.put(id, answer -> {
            b.unanswered = null;
            timeout.cancel();
            late = 0;
            if (answer.kind() == Control.Kind.BOUND) {
                done.accept(true);
            } else {
                LOG.log(Level.INFO, "{0}: {1} refused to be its parent: {2}", self, b.peer(), answer.text());
                b.close(true);
                done.accept(false);
            }
        });
        if (!routing.send(b.links.mesh(), Control.records(Control.Kind.BIND, id, subtree))) {
            pendingBinds.remove(id);
            timeout.cancel();
            b.close(false);
            done.accept(false);
        }
    }

    private void setBindings(List<Binding> next) {
        bindings = List.copyOf(next);
        routing.update(t -> t.withUplinks(bindings));
        bindings.forEach(classLinks::fill);
    }

    /**
     * Pre-binding: links to one backup parent, opened while bound. A second failure before it is re-made is a slow path.
     *
     * @return false when there is no backup to pre-bind (nor one pre-bound): the candidates are all bound
     */
    boolean prebind() {
        if (!s.prebind() || s.role() == PeerRole.CLIENT || !status.bound() || !prebound.isEmpty()) {
            return true;
        }
        List<String> bound = parents();
        for (PeerRecord backup : ordered(candidates)) {
            if (!bound.contains(backup.peer())) {
                open(backup, b -> {
                    if (b != null && prebound.isEmpty() && status.bound() && !bound(b.peer())) {
                        prebound = List.of(b);
                        classLinks.fill(b);
                    } else if (b != null) {
                        b.close(true);
                    }
                });
                return true;
            }
        }
        return false;
    }

    /** The super-peers of the parent cell, asked for after a rebind that took the first one: backups, and one pre-bound. */
    void backups(List<PeerRecord> parents) {
        candidates = List.copyOf(parents);
        parentCell.told(parents);
        prebind();
    }

    /** Whether a backup parent is pre-bound. */
    boolean hasBackup() {
        return !prebound.isEmpty();
    }

    /** The parent cell's super-peers as this peer knows them. */
    ParentCell parentCell() {
        return parentCell;
    }

    private void dropPrebound() {
        for (Binding b : prebound) {
            b.close(true);
        }
        prebound = List.of();
    }

    /** Fast rebind: the pre-bound backup if it is up (one BIND), else the backups that discovery gave. */
    void rebindFast(String failed, Consumer<Boolean> done) {
        // the failed parent is no backup any more: its cell's view may not have said so yet (a reset
        // link is seen first), and a pre-binding to it would be a link to a dead peer
        candidates = candidates.stream().filter(r -> !r.peer().equals(failed)).toList();
        List<Binding> ready = prebound;
        prebound = List.of();
        for (Binding b : ready) {
            if (!b.peer().equals(failed) && b.links.meshOpen()) {
                bind(b, ok -> {
                    if (ok) {
                        setBindings(List.of(b));
                        done.accept(true);
                    } else {
                        fastFromCandidates(done);
                    }
                });
                return;
            }
            b.close(false);
        }
        fastFromCandidates(done);
    }

    private void fastFromCandidates(Consumer<Boolean> done) {
        bindToOneOf(ordered(candidates), 0, new ArrayList<>(), done);
    }

    /** A binding's MESH link closed (heard at {@code detected}): if it is a current one, the parent is lost. */
    private void lost(Binding b, CloseReason reason, long detected) {
        if (!bindings.contains(b) || status.finished()) {
            return;
        }
        parentCell.wentAway(b.peer());
        b.close(false);
        List<Binding> rest = new ArrayList<>(bindings);
        rest.remove(b);
        setBindings(rest);
        events.parentLost(b, reason, detected, !rest.isEmpty());
    }

    /** Housekeeping: a parent whose MESH link is gone without a word reaching the strand is lost too. */
    void check() {
        for (Binding b : bindings) {
            if (!b.links.meshOpen()) {
                lost(b, CloseReason.RESET, time.nanoTime());
                return; // the bindings changed
            }
        }
        classLinks.repair();
    }

    // ---------------------------------------------------------------------------------------
    // Traffic classes as their services come and go

    void connectClass(TrafficClass cls) {
        classLinks.connect(cls);
    }

    void dropClass(TrafficClass cls) {
        classLinks.drop(cls);
    }

    /** The bindings and the backup: the parents this peer holds links to. */
    private List<Binding> held() {
        List<Binding> all = new ArrayList<>(bindings);
        all.addAll(prebound);
        return all;
    }

    /** Strand: this peer moves (it joins anew while bound): its parents hear a goodbye. */
    void unbind() {
        List<Binding> was = held();
        bindings = List.of();
        prebound = List.of();
        routing.update(t -> t.withUplinks(List.of()));
        for (Binding b : was) {
            b.close(true);
        }
    }

    /** Leaving (gracefully) or crashing (abruptly): every binding and backup goes. Any thread, once the strand is done. */
    void closeAll(boolean gracefully) {
        for (Binding b : routing.table().uplinks()) {
            b.close(gracefully);
        }
        for (Binding b : prebound) {
            b.close(gracefully);
        }
        for (Binding b : opened) {
            b.close(gracefully);
        }
    }

    List<String> parents() {
        List<String> out = new ArrayList<>();
        for (Binding b : routing.table().uplinks()) {
            out.add(b.peer());
        }
        return out;
    }

    private boolean bound(String peer) {
        return parents().contains(peer);
    }

    void describe(List<String> out) {
        for (Binding b : routing.table().uplinks()) {
            b.links.describe("up  ", b.peer(), out);
        }
        for (Binding b : prebound) {
            b.links.describe("pre ", b.peer(), out);
        }
    }

    /** Strand: a control message from a parent. */
    void fromParent(Link link, Control c) {
        switch (c.kind()) {
        case BOUND, REFUSED -> {
            Consumer<Control> waiting = pendingBinds.remove(c.id());
            if (waiting != null) {
                waiting.accept(c);
            }
        }
        case TREE, JOINED, FT_USE -> events.fromParent(link.remotePeer(), c);
        default -> metrics.malformed.increment();
        }
    }

    /** Strand: a link of a binding closed, heard at {@code detected}. */
    void closed(Binding binding, Link link, CloseReason reason, long detected) {
        if (binding.closedByUs || !binding.links.clear(link)) {
            return;
        }
        if (link.trafficClass() != TrafficClass.MESH) {
            classLinks.closed(binding, link, reason);
            return;
        }
        Runnable unanswered = binding.unanswered;
        parentCell.wentAway(binding.peer());
        if (unanswered != null) {
            binding.unanswered = null;
            unanswered.run();
            return;
        }
        if (prebound.contains(binding)) {
            prebound = List.of();
            binding.close(false);
            // the backup went away (it died, or left the parent cell and let its children go): it is no
            // candidate any more. Kept, it was pre-bound again in its new cell, and the next rebind was
            // refused there and went the slow way (campaign: a cut parent cost its children 1.2 s)
            candidates = candidates.stream().filter(r -> !r.peer().equals(binding.peer())).toList();
            if (!prebind()) {
                events.backupsWanted();
            }
            return;
        }
        lost(binding, reason, detected);
    }
}
