package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import p3.mesh.CellId;
import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.PeerCounters;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.RebindKind;
import p3.mesh.spi.FtStrategy;
import p3.mesh.spi.TrafficService;
import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellGroups;
import p3.transport.CellView;
import p3.transport.CloseReason;
import p3.transport.Discovery;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoverySpec;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.GroupSpec;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.Links;
import p3.transport.TrafficClass;
import p3.transport.TransportException;
import p3.transport.TreeAddress;

/**
 * One peer of the mesh: join (Listing 1), discovery handlers (Listing 2), membership (Listing 3),
 * routing (Listing 4), and the failure paths of section III-C.
 *
 * <p>Threads: control work (join, rebind, membership) runs on the peer's own loop, one thread, so
 * that its state needs no locks; the loop may wait on the network. Data frames are routed on the
 * transport's event loop that received them, from concurrent maps, and never wait.
 */
public final class Peer implements MeshPeer {

    private static final System.Logger LOG = System.getLogger(Peer.class.getName());
    private static final int CLASSES = TrafficClass.values().length;
    /** How long a placement holds its cell for a joiner, beyond its own timeouts (a rebuild is busy). */
    private static final long RESERVATION_MS = 5000;

    private final MeshSettings s;
    private final String id;
    private final Links links;
    private final CellGroups groups;
    private final Discovery discovery;
    private final ControlCodec codec;
    private final ScheduledExecutorService loop;
    /** Paces the sources of a sensor; never waits on the network. */
    private final ScheduledExecutorService timer;
    private final Streams streams;
    private final FaultTolerance ft;
    private final AtomicLong ids = new AtomicLong();

    private LinkServer server;
    private DiscoveryEndpoint disco;
    private AutoCloseable serving;
    private volatile CellGroup group;
    private volatile List<String> mates = List.of();

    private volatile PeerState state = PeerState.JOINING;
    private volatile CellId cell;
    private volatile List<Binding> bindings = List.of();
    /** Open links to a backup parent, not bound: the fast rebind's head start. */
    private final List<Binding> prebound = new CopyOnWriteArrayList<>();
    private long epoch;
    /** Decided to found the root cell and not in it yet. */
    private volatile boolean founding;
    /** Leaving: no more joins or rebinds. */
    private volatile boolean stopping;
    private int lastIndexInCell;
    /** What discovery told of the parent cell: the backups for a fast rebind. */
    private List<PeerRecord> candidates = List.of();
    /** A cell the root placed this peer under and where nobody answered: the root is told, to check it. */
    private volatile CellId unanswered;

    /** Children by PeerId: their links by class and, once bound, their record. */
    private final Map<String, Child> children = new ConcurrentHashMap<>();
    /** Which cell-mate holds a peer as its child. */
    private final Map<String, String> mateOfPeer = new ConcurrentHashMap<>();
    /** Which cell-mate holds a child cell's super-peer as its child. */
    private final Map<CellId, String> mateOfCell = new ConcurrentHashMap<>();
    /** Cell-mates that said goodbye: their departure is not a failure. */
    private final Map<String, Boolean> leaving = new ConcurrentHashMap<>();
    /** The whole tree on a root super-peer, the subtree elsewhere. */
    private final TreeView known = new TreeView();
    /** Root only: placements given out and not yet joined. */
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    /** JOINs forwarded up, waiting for the root's reply, by the id used upwards. */
    private final Map<Long, PendingJoin> pendingJoins = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Control>> pendingBinds = new ConcurrentHashMap<>();

    private final List<FailureRecord> failures = new CopyOnWriteArrayList<>();
    private volatile Consumer<Frame> sink = f -> { };

    final LongAdder unroutable = new LongAdder();
    final LongAdder payloadFrames = new LongAdder();
    final LongAdder payloadBytes = new LongAdder();
    final LongAdder controlFrames = new LongAdder();
    final LongAdder controlBytes = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder refused = new LongAdder();

    Peer(MeshSettings settings, Links links, CellGroups groups, Discovery discovery) {
        this.s = settings;
        this.id = settings.peer();
        this.links = links;
        this.groups = groups;
        this.discovery = discovery;
        this.codec = new ControlCodec(settings.shape().span());
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p3-peer-" + id);
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p3-streams-" + id);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY); // pacing jitter is latency jitter
            return t;
        });
        this.streams = new Streams(new Streams.Mesh() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String cell() {
                CellId c = cell;
                return c == null ? "" : c.toString();
            }

            @Override
            public boolean send(Frame frame) {
                ft.sent(frame);
                return route(frame, "", false);
            }

            @Override
            public void sendControl(String peer, String peerCell, Control c) {
                routeControl(peer, peerCell, c);
            }
        }, timer);
        this.ft = new FaultTolerance(this, new FaultTolerance.Mesh() {
            @Override
            public int span() {
                return s.shape().span();
            }

            @Override
            public boolean forward(Frame f, boolean fromCell) {
                return routeOn(f, fromCell);
            }

            @Override
            public boolean sendTo(String neighbour, Frame f) {
                return Peer.this.sendTo(neighbour, f);
            }

            @Override
            public boolean sendCell(byte[] payload) {
                CellGroup g = group;
                if (g == null || mates.size() < 2) {
                    return false;
                }
                try {
                    g.send(payload);
                    return true;
                } catch (TransportException e) {
                    LOG.log(Level.DEBUG, "{0}: cannot send a replica to the cell: {1}", id, e.getMessage());
                    return false;
                }
            }

            @Override
            public List<String> mates() {
                return mates;
            }
        }, settings.ft());
    }

    // ---------------------------------------------------------------------------------------
    // Traffic services: each present class has its links, its sources and its sinks

    /** The classes this peer opens links for: mesh control, and every class with a service. */
    private List<TrafficClass> linkedClasses() {
        List<TrafficClass> out = new ArrayList<>();
        out.add(TrafficClass.MESH);
        out.addAll(streams.classes());
        return out;
    }

    void serviceAdded(TrafficService service) {
        TrafficClass cls = Streams.classOf(service);
        if (cls == null) {
            return;
        }
        streams.added(cls, service);
        onLoop(() -> {
            List<Binding> all = new ArrayList<>(bindings);
            all.addAll(prebound);
            for (Binding b : all) {
                connectClass(b, cls);
            }
        });
    }

    /** Opens a class's link to a parent, unless it has one or the binding is over. */
    private void connectClass(Binding b, TrafficClass cls) {
        if (b.links.get(cls) != null || b.closedByUs || streams.service(cls) == null) {
            return;
        }
        links.connect(b.parent.links(), id, cls, new ParentSide(b)).whenComplete((l, e) -> {
            if (l != null && !b.closedByUs) {
                b.links.set(l);
            } else if (l != null) {
                l.close();
            }
        });
    }

    void serviceRemoved(TrafficService service) {
        TrafficClass cls = Streams.classOf(service);
        if (cls == null || streams.service(cls) != service) {
            return;
        }
        streams.removed(cls);
        onLoop(() -> {
            List<Binding> all = new ArrayList<>(bindings);
            all.addAll(prebound);
            List<Link> closing = new ArrayList<>();
            for (Binding b : all) {
                closing.add(b.links.remove(cls));
            }
            for (Child c : children.values()) {
                closing.add(c.links.remove(cls));
            }
            for (Link l : closing) {
                if (l != null) {
                    l.close();
                }
            }
        });
    }

    @Override
    public void requestAll(String trafficClass, Qos qos) {
        TrafficClass cls = classNamed(trafficClass);
        if (cls == null || cls == TrafficClass.MESH) {
            throw new IllegalArgumentException("not a traffic class: " + trafficClass + " (audio, video or event)");
        }
        if (s.role() != PeerRole.CLIENT) {
            throw new IllegalStateException(id + " is a " + s.role() + ", not a client");
        }
        streams.ask(cls, qos);
        onLoop(() -> sendUp(Control.of(Control.Kind.TREE_QUERY, ids.incrementAndGet(), "")));
    }

    @Override
    public List<ClassStats> classStats() {
        return streams.stats();
    }

    @Override
    public void stopSources() {
        streams.stopAll();
    }

    /** Client: latency is measured from now on (after a warm-up); the counts go on. */
    public void restartLatency() {
        streams.restartLatency();
    }

    /** Client: frames sent and not received, by source, of a class. */
    public Map<String, Long> lostBySource(TrafficClass cls) {
        return streams.lostBySource(cls);
    }

    @Override
    public PeerCounters counters() {
        return new PeerCounters(payloadFrames.sum(), payloadBytes.sum(), controlFrames.sum(), controlBytes.sum(),
                unroutable.sum(), malformed.sum());
    }

    private void onTree(List<PeerRecord> records) {
        for (PeerRecord r : records) {
            if (r.role() != PeerRole.SENSOR || r.cell() == null) {
                continue;
            }
            for (Map.Entry<TrafficClass, Qos> e : streams.asked().entrySet()) {
                Qos q = e.getValue();
                routeControl(r.peer(), r.cell().toString(), Control.of(Control.Kind.SUBSCRIBE,
                        q.deadline().toMillis(), e.getKey().id() + ":" + q.faultTolerant()));
            }
        }
    }

    /** A control message routed through the mesh to another peer (Listing 4), not to a neighbour. */
    private void routeControl(String peer, String peerCell, Control c) {
        CellId mine = cell;
        route(new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, id, mine == null ? "" : mine.toString(), peer,
                peerCell, 0, System.nanoTime(), codec.encode(c)), "", false);
    }

    /** A routed control message that reached this peer. */
    private void onRoutedControl(Frame f) {
        Control c = decode(f.payload());
        if (c == null) {
            return;
        }
        switch (c.kind()) {
        case SUBSCRIBE -> {
            String[] words = c.text().split(":");
            TrafficClass cls = classNamed(words[0]);
            if (cls == null || words.length != 2) {
                malformed.increment();
                return;
            }
            streams.subscribe(f.sourcePeer(), f.sourceCell(), cls, Boolean.parseBoolean(words[1]));
        }
        case SOURCE_STATS -> {
            TrafficClass cls = classNamed(c.text());
            if (cls != null) {
                streams.sourceReport(f.sourcePeer(), cls, c.id());
            }
        }
        default -> malformed.increment();
        }
    }

    private static TrafficClass classNamed(String name) {
        for (TrafficClass c : TrafficClass.values()) {
            if (c.id().equals(name)) {
                return c;
            }
        }
        return null;
    }


    /** Opens the peer's sockets and starts joining; returns at once. */
    void start() throws TransportException {
        disco = discovery.open(new DiscoverySpec(s.discoveryBase(), s.shape().span(), s.multicast(), s.seeds(), 0));
        if (s.role() == PeerRole.SUPER) {
            server = links.listen(new InetSocketAddress(s.bindAddress(), 0), id, new ChildSide());
        }
        onLoop(this::join);
    }

    /** Where delivered frames go (the traffic services' sinks, or a test). */
    void onDeliver(Consumer<Frame> consumer) {
        this.sink = consumer;
    }


    // ---------------------------------------------------------------------------------------
    // Join (Listing 1) and discovery requests (Listing 2)

    private void join() {
        while (!stopping && state != PeerState.CRASHED && state != PeerState.LEFT) {
            state = PeerState.JOINING;
            CellId placed = requestCell();
            if (placed != null && bindToCell(placed)) {
                return;
            }
            pause(s.discoveryTimeoutMs());
        }
    }

    /** RequestCell: asks the root cell; a super-peer that hears nothing founds the root after its turn. */
    private CellId requestCell() {
        CellId silent = unanswered;
        Control request = Control.of(Control.Kind.REQUEST_CELL, 0,
                s.role().name() + ":" + id + (silent == null ? "" : ":" + silent));
        Control reply = ask(CellId.ROOT, request, 1);
        if (reply == null) {
            if (s.role() != PeerRole.SUPER) {
                LOG.log(Level.INFO, "{0}: no root cell answers; trying again", id);
                return null;
            }
            int rank = foundingRank();
            if (rank > 0) {
                pause((long) rank * s.foundingStaggerMs());
                reply = ask(CellId.ROOT, request, 1);
                if (reply != null) {
                    return cellOf(reply);
                }
            }
            LOG.log(Level.INFO, "{0}: no root cell answers; founding it", id);
            founding = true;
            return CellId.ROOT;
        }
        return cellOf(reply);
    }

    private CellId cellOf(Control reply) {
        if (reply.kind() != Control.Kind.CELL) {
            LOG.log(Level.WARNING, "{0}: the root refused a place: {1}", id, reply.text());
            return null;
        }
        return CellId.of(reply.text(), s.shape().span());
    }

    /** Peers that were deeper, or later in their cell, wait longer, so that one founds the root. */
    private int foundingRank() {
        CellId previous = cell;
        if (previous == null) {
            return 0;
        }
        int index = mates.isEmpty() ? lastIndexInCell : Math.max(0, mates.indexOf(id));
        return (int) Math.min(1000, TreeAddress.treePos(previous.toString(), s.shape().span()) * 4 + index);
    }

    /** BindToCell: the parent's endpoints, then the cell, then the services towards the parent. */
    private boolean bindToCell(CellId target) {
        List<PeerRecord> parents = List.of();
        if (s.role() == PeerRole.CLIENT || s.role() == PeerRole.SENSOR || !target.isRoot()) {
            CellId parentCell = s.role() == PeerRole.SUPER ? target.parent() : target;
            parents = requestParent(parentCell);
            if (parents.isEmpty()) {
                LOG.log(Level.INFO, "{0}: nobody in cell {1} answers; joining again", id, parentCell);
                unanswered = parentCell;
                return false;
            }
            unanswered = null;
        }
        if (s.role() == PeerRole.SUPER && !enterCell(target)) {
            return false;
        }
        cell = target;
        if (s.role() == PeerRole.SUPER && target.isRoot()) {
            epoch++;
            PeerRecord me = record(target, "");
            known.put(me);
            announce(Control.records(Control.Kind.CELL_RECORDS, 0, List.of(me)));
            state = PeerState.BOUND;
            LOG.log(Level.INFO, "{0}: in the root cell", id);
            return true;
        }
        candidates = parents;
        dropPrebound();
        if (bindToOneOf(ordered(parents))) {
            state = PeerState.BOUND;
            onLoop(this::prebind);
            return true;
        }
        return false;
    }

    /** RequestParent: the records of the super-peers of a cell, from discovery. */
    private List<PeerRecord> requestParent(CellId parentCell) {
        List<PeerRecord> found = new ArrayList<>();
        int expected = s.shape().superPeers(parentCell);
        try {
            List<DiscoveryReply> replies = disco.request(parentCell.toString(),
                    codec.encode(Control.of(Control.Kind.REQUEST_PARENT, 0, s.role().name())),
                    Duration.ofMillis(s.discoveryTimeoutMs()), expected).toCompletableFuture()
                    .get(s.discoveryTimeoutMs() + 1000L, TimeUnit.MILLISECONDS);
            for (DiscoveryReply r : replies) {
                Control c = decode(r.payload());
                if (c == null) {
                    continue;
                }
                if (c.kind() == Control.Kind.PARENT && !c.records().isEmpty()) {
                    found.add(c.records().get(0));
                } else if (c.kind() == Control.Kind.REFUSED) {
                    LOG.log(Level.INFO, "{0}: cell {1} refused: {2}", id, parentCell, c.text());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.DEBUG, "{0}: RequestParent({1}): {2}", id, parentCell, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found;
    }

    /** One discovery request with a single reply expected, or {@code null}. */
    private Control ask(CellId target, Control request, int replies) {
        try {
            List<DiscoveryReply> got = disco.request(target.toString(), codec.encode(request),
                    Duration.ofMillis(s.discoveryTimeoutMs()), replies).toCompletableFuture()
                    .get(s.discoveryTimeoutMs() + 1000L, TimeUnit.MILLISECONDS);
            return got.isEmpty() ? null : decode(got.get(0).payload());
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The chosen parent first (spread by PeerId, so that children share the cell's load), then the backups. */
    private List<PeerRecord> ordered(List<PeerRecord> parents) {
        List<PeerRecord> sorted = new ArrayList<>(parents);
        sorted.sort(Comparator.comparing(PeerRecord::peer));
        if (s.role() == PeerRole.CLIENT || sorted.isEmpty()) {
            return sorted;
        }
        int first = Math.floorMod(id.hashCode(), sorted.size());
        List<PeerRecord> out = new ArrayList<>(sorted.subList(first, sorted.size()));
        out.addAll(sorted.subList(0, first));
        return out;
    }

    /** Joins the cell's group and serves its discovery address, leaving the previous cell if any. */
    private boolean enterCell(CellId target) {
        if (target.equals(cell) && group != null) {
            return true;
        }
        leaveCell(true);
        try {
            if (founding) {
                // answer RequestCell while the group is still being founded, so that no other peer founds it too
                serving = disco.serve(target.toString(), this::onDiscoveryRequest);
            }
            CellGroup g = groups.join(new GroupSpec("p3." + s.mesh() + ".cell." + target, id,
                    TreeAddress.of(s.membershipBase(), target.toString(), s.shape().span())), new CellSide());
            group = g;
            mates = g.members();
            if (mates.indexOf(id) >= s.shape().superPeers(target)) {
                // placed in a cell that filled up meanwhile (placements racing a rebuild): go elsewhere
                LOG.log(Level.INFO, "{0}: cell {1} is full ({2}); joining again", id, target, mates);
                leaveCell(true);
                return false;
            }
            if (serving == null) {
                serving = disco.serve(target.toString(), this::onDiscoveryRequest);
            }
            return true;
        } catch (TransportException e) {
            LOG.log(Level.WARNING, "{0}: cannot enter cell {1}: {2}", id, target, e.getMessage());
            leaveCell(true);
            return false;
        } finally {
            founding = false;
        }
    }

    /** Leaves the cell group and its discovery address; the children are let go to rebind. */
    private void leaveCell(boolean gracefully) {
        if (!mates.isEmpty()) {
            lastIndexInCell = Math.max(0, mates.indexOf(id));
        }
        closeQuietly(serving);
        serving = null;
        CellGroup g = group;
        group = null;
        mates = List.of();
        if (g != null) {
            if (gracefully) {
                g.leave();
            } else {
                g.crash();
            }
        }
        for (Child c : children.values()) {
            c.links.closeAll(gracefully);
        }
        mateOfPeer.clear();
        mateOfCell.clear();
    }

    private PeerRecord record(CellId at, String parent) {
        InetSocketAddress where = server != null ? server.address() : new InetSocketAddress(s.bindAddress(), 0);
        return new PeerRecord(id, s.role(), at, parent, where, epoch);
    }

    // ---------------------------------------------------------------------------------------
    // Binding to a parent

    private boolean bindToOneOf(List<PeerRecord> parents) {
        if (s.role() == PeerRole.CLIENT) {
            List<Binding> made = new ArrayList<>();
            for (PeerRecord p : parents) {
                Binding b = bindTo(p);
                if (b != null) {
                    made.add(b);
                }
            }
            bindings = List.copyOf(made);
            return !made.isEmpty();
        }
        for (PeerRecord p : parents) {
            Binding b = bindTo(p);
            if (b != null) {
                bindings = List.of(b);
                return true;
            }
        }
        return false;
    }

    /** Opens one link per class to the parent, then BIND with this peer's subtree; null when refused. */
    private Binding bindTo(PeerRecord parent) {
        Binding b = open(parent);
        return b != null && bind(b) ? b : null;
    }

    /** Opens the links of a binding, without binding yet. @return null when they cannot be opened */
    private Binding open(PeerRecord parent) {
        Binding b = new Binding(parent);
        ParentSide handler = new ParentSide(b);
        try {
            List<CompletableFuture<Link>> opening = new ArrayList<>();
            for (TrafficClass cls : linkedClasses()) {
                opening.add(links.connect(parent.links(), id, cls, handler).toCompletableFuture());
            }
            for (CompletableFuture<Link> f : opening) {
                b.links.set(f.get(s.bindTimeoutMs(), TimeUnit.MILLISECONDS));
            }
            return b;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.INFO, "{0}: cannot open links to {1}: {2}", id, parent.peer(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        b.close(false);
        return null;
    }

    /** BIND over open links: the parent takes this peer and its subtree as its child. */
    private boolean bind(Binding b) {
        long bindId = ids.incrementAndGet();
        CompletableFuture<Control> reply = new CompletableFuture<>();
        pendingBinds.put(bindId, reply);
        try {
            epoch++;
            List<PeerRecord> subtree = new ArrayList<>();
            subtree.add(record(cell, b.parent.peer()));
            if (s.role() == PeerRole.SUPER) {
                for (PeerRecord r : known.subtree(cell)) {
                    if (!r.peer().equals(id)) {
                        subtree.add(r);
                    }
                }
            }
            known.put(subtree.get(0));
            if (!send(b.links.mesh(), Control.records(Control.Kind.BIND, bindId, subtree))) {
                b.close(false);
                return false;
            }
            Control answer = reply.get(s.bindTimeoutMs(), TimeUnit.MILLISECONDS);
            if (answer.kind() != Control.Kind.BOUND) {
                LOG.log(Level.INFO, "{0}: {1} refused to be its parent: {2}", id, b.parent.peer(), answer.text());
                b.close(true);
                return false;
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.INFO, "{0}: cannot bind to {1}: {2}", id, b.parent.peer(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pendingBinds.remove(bindId);
        }
        b.close(false);
        return false;
    }

    /**
     * Pre-binding (from the authors' later Stheno): links to the backup parent are opened before any
     * failure, so that a fast rebind is one BIND over links that are already up.
     */
    private void prebind() {
        if (!s.prebind() || s.role() == PeerRole.CLIENT || state != PeerState.BOUND) {
            return;
        }
        List<String> bound = parents();
        for (PeerRecord backup : ordered(candidates)) {
            if (bound.contains(backup.peer()) || prebound.stream().anyMatch(b -> b.parent.equals(backup))) {
                continue;
            }
            if (!prebound.isEmpty()) {
                return; // one backup is enough: a second failure before re-prebinding is a slow path
            }
            Binding b = open(backup);
            if (b != null) {
                prebound.add(b);
            }
        }
    }

    private void dropPrebound() {
        for (Binding b : prebound) {
            b.close(true);
        }
        prebound.clear();
    }

    /** Fast rebind: a pre-bound backup if one is up, else the backups that discovery gave. */
    private boolean rebindFast(String failed) {
        for (Binding b : new ArrayList<>(prebound)) {
            prebound.remove(b);
            if (!b.parent.peer().equals(failed) && b.links.meshOpen() && bind(b)) {
                bindings = List.of(b);
                return true;
            }
            b.close(false);
        }
        List<PeerRecord> backups = new ArrayList<>(candidates);
        backups.removeIf(r -> r.peer().equals(failed));
        return bindToOneOf(ordered(backups));
    }

    /** A link of the current parent closed without our asking: rebind, fast if the cell has another peer. */
    private void parentLost(Binding lost, CloseReason reason) {
        if (stopping || !bindings.contains(lost) || state == PeerState.CRASHED || state == PeerState.LEFT) {
            return;
        }
        long detected = System.nanoTime();
        String failed = lost.parent.peer();
        lost.close(false);
        List<Binding> rest = new ArrayList<>(bindings);
        rest.remove(lost);
        bindings = List.copyOf(rest);
        LOG.log(Level.INFO, "{0}: parent {1} lost ({2})", id, failed, reason);
        // the record is there from detection on, and says how the rebind went once it has
        int record = failures.size();
        failures.add(new FailureRecord(id, failed, "link", detected, null, 0));
        if (!rest.isEmpty()) {
            return; // a client still bound to another root super-peer needs no rebind
        }
        state = PeerState.REBINDING;
        RebindKind kind = rebind(failed);
        failures.set(record, new FailureRecord(id, failed, "link", detected, kind,
                state == PeerState.BOUND ? System.nanoTime() : 0));
        if (state == PeerState.BOUND) {
            ft.rebound();
            onLoop(this::prebind);
        }
    }

    /** Fast from what is held; else RejoinMesh (Listing 1): the parent cell asked again, then the whole join. */
    private RebindKind rebind(String failed) {
        if (rebindFast(failed)) {
            state = PeerState.BOUND;
            return RebindKind.FAST;
        }
        dropPrebound();
        if (s.role() == PeerRole.SUPER && !cell.isRoot()) {
            List<PeerRecord> parents = requestParent(cell.parent());
            if (!parents.isEmpty()) {
                candidates = parents;
                if (bindToOneOf(ordered(parents))) {
                    state = PeerState.BOUND;
                    return RebindKind.SLOW;
                }
            }
            leaveCell(true);
        }
        join();
        return RebindKind.SLOW;
    }

    // ---------------------------------------------------------------------------------------
    // Discovery handlers (Listing 2), on the discovery event loop

    private byte[] onDiscoveryRequest(String cellId, byte[] payload, InetSocketAddress from) {
        Control c = decode(payload);
        if (c == null || state == PeerState.CRASHED) {
            return null;
        }
        CellId mine = cell;
        PeerRole asker;
        String[] words = c.text().split(":", 2);
        try {
            asker = MeshSettings.role(words[0]);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            return null;
        }
        String[] who = words.length > 1 ? words[1].split(":", 2) : new String[] { "" };
        String askerId = who[0];
        switch (c.kind()) {
        case REQUEST_CELL -> {
            boolean coordinator = mine != null && mine.isRoot() && !mates.isEmpty() && mates.get(0).equals(id);
            if (!coordinator && !founding) {
                return null; // the root cell's coordinator answers, the others stay silent
            }
            if (who.length > 1 && coordinator) {
                checkSilentCell(who[1]);
            }
            return codec.encode(place(asker, askerId));
        }
        case REQUEST_PARENT -> {
            if (state != PeerState.BOUND || mine == null) {
                return null;
            }
            if (asker == PeerRole.SENSOR && mine.isRoot()) {
                return codec.encode(Control.of(Control.Kind.REFUSED, 0, "the root cell takes no sensors"));
            }
            return codec.encode(Control.records(Control.Kind.PARENT, 0, List.of(record(mine, parentId()))));
        }
        default -> {
            malformed.increment();
            return null;
        }
        }
    }

    /**
     * A joiner found nobody in a cell this root placed it under: the peers the root holds there may
     * have crashed unseen (while they were rebinding, with no parent or cell-mate to notice). The
     * root asks the cell itself, and forgets them when nobody answers, so that the next placement
     * goes elsewhere.
     */
    private void checkSilentCell(String cellName) {
        CellId silent;
        try {
            silent = CellId.of(cellName, s.shape().span());
        } catch (IllegalArgumentException e) {
            malformed.increment();
            return;
        }
        onLoop(() -> {
            List<PeerRecord> held = new ArrayList<>();
            synchronized (known) {
                for (PeerRecord r : known.all()) {
                    if (silent.equals(r.cell()) && r.role() != PeerRole.CLIENT) {
                        held.add(r);
                    }
                }
            }
            if (held.stream().noneMatch(r -> r.role() == PeerRole.SUPER) || !requestParent(silent).isEmpty()) {
                return;
            }
            LOG.log(Level.INFO, "{0}: nobody answers in cell {1}: forgetting {2}", id, silent, held);
            onLeave(held, true);
        });
    }

    /** GetCell, with reservations so that peers asking at the same time do not overfill a cell. */
    private Control place(PeerRole asker, String askerId) {
        long now = System.nanoTime();
        reservations.values().removeIf(r -> r.expiresNanos < now);
        CellId placed;
        synchronized (known) {
            reservations.remove(askerId); // asking again: its old place is free
            List<CellId> reserved = new ArrayList<>();
            for (Reservation r : reservations.values()) {
                if (r.role == asker) {
                    reserved.add(r.cell);
                }
            }
            placed = known.place(asker, s.shape(), TreeView.countByCell(reserved));
            if (placed != null && asker != PeerRole.CLIENT) {
                reservations.put(askerId.isEmpty() ? "r" + ids.incrementAndGet() : askerId, new Reservation(asker, placed,
                        now + TimeUnit.MILLISECONDS.toNanos(RESERVATION_MS + 5L * s.discoveryTimeoutMs() + s.bindTimeoutMs())));
            }
        }
        if (placed == null) {
            LOG.log(Level.WARNING, "{0}: refused a {1}: the tree is full", id, asker);
            return Control.of(Control.Kind.REFUSED, 0, "the tree has no room for another " + asker);
        }
        return Control.of(Control.Kind.CELL, 0, placed.toString());
    }

    // ---------------------------------------------------------------------------------------
    // Membership (Listing 3), on the loop

    /** A child's BIND or JOIN: tell the cell, then the parent; the root answers. */
    private void onJoin(String child, long requestId, List<PeerRecord> records) {
        synchronized (known) {
            for (PeerRecord r : records) {
                known.put(r);
                reservations.remove(r.peer());
            }
        }
        announce(Control.records(Control.Kind.CELL_RECORDS, 0, records));
        if (cell != null && cell.isRoot()) {
            Child c = children.get(child);
            if (c != null) {
                send(c.links.mesh(), Control.of(Control.Kind.JOINED, requestId, ""));
            }
            return;
        }
        long upId = ids.incrementAndGet();
        pendingJoins.put(upId, new PendingJoin(child, requestId));
        if (!sendUp(Control.records(Control.Kind.JOIN, upId, records))) {
            pendingJoins.remove(upId);
        }
    }

    private void onJoined(long upId) {
        PendingJoin p = pendingJoins.remove(upId);
        if (p == null) {
            return; // the reply to this peer's own BIND: nothing to pass on
        }
        Child c = children.get(p.child);
        if (c != null) {
            send(c.links.mesh(), Control.of(Control.Kind.JOINED, p.requestId, ""));
        }
    }

    /** Peers gone: forget them, tell the cell, and tell the parent. */
    private void onLeave(List<PeerRecord> gone, boolean tellCell) {
        boolean changed = false;
        synchronized (known) {
            for (PeerRecord r : gone) {
                changed |= known.remove(r.peer(), r.epoch());
            }
        }
        if (!changed) {
            return;
        }
        if (tellCell) {
            announce(Control.records(Control.Kind.CELL_LEAVE, 0, gone));
        }
        if (cell != null && !cell.isRoot()) {
            sendUp(Control.records(Control.Kind.LEAVE, 0, gone));
        }
    }

    private void announce(Control c) {
        CellGroup g = group;
        if (g == null || mates.size() < 2) {
            return;
        }
        try {
            g.send(codec.encode(c));
        } catch (TransportException e) {
            LOG.log(Level.DEBUG, "{0}: cannot announce {1} in the cell: {2}", id, c.kind(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------
    // Routing (Listing 4): any thread, never blocks

    /** Sends a frame from this peer into the mesh. @return whether it left this peer */
    boolean send(Frame frame) {
        return route(frame, "", false);
    }

    /**
     * A frame to deliver or pass on, from a neighbour ({@code from}, "" for this peer's own): an
     * acknowledgement clears the store on its way down, an FT message is held on its way up.
     */
    private boolean route(Frame f, String from, boolean fromCell) {
        if (f.targetPeer().equals(id)) {
            deliver(f, from);
            return true;
        }
        if (s.role() == PeerRole.SUPER) {
            if (f.type() == FrameType.ACK) {
                ft.onAck(f, fromCell);
                return true;
            }
            if (FaultTolerance.isFaultTolerant(f)) {
                ft.hold(f, from);
            }
        }
        return routeOn(f, fromCell);
    }

    /** Listing 4: a direct link, else up, else down through a child or a cell-mate. */
    private boolean routeOn(Frame f, boolean fromCell) {
        if (f.targetPeer().equals(id)) {
            deliver(f, "");
            return true;
        }
        Child direct = children.get(f.targetPeer());
        if (direct != null && forward(direct.links.get(f.trafficClass()), f)) {
            return true;
        }
        if (s.role() != PeerRole.SUPER) {
            return sendUp(f) || dropped();
        }
        CellId mine = cell;
        CellId target;
        try {
            target = CellId.of(f.targetCell(), s.shape().span());
        } catch (IllegalArgumentException e) {
            return dropped();
        }
        if (mine == null) {
            return dropped();
        }
        if (!mine.contains(target)) {
            return sendUp(f) || dropped();
        }
        String mate;
        if (target.equals(mine)) {
            mate = mateOfPeer.get(f.targetPeer());
        } else {
            CellId next = mine.childToward(target);
            for (Child c : children.values()) {
                if (c.record != null && next.equals(c.record.cell()) && forward(c.links.get(f.trafficClass()), f)) {
                    return true;
                }
            }
            mate = mateOfCell.get(next);
        }
        CellGroup g = group;
        if (mate == null || fromCell || g == null) {
            return dropped();
        }
        try {
            g.send(mate, codec.encode(Control.route(f)));
            return true;
        } catch (TransportException e) {
            return dropped();
        }
    }

    /** Hands work to the peer's loop; after a crash or leave there is no loop, and nothing to do. */
    private void onLoop(Runnable work) {
        try {
            loop.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }

    /** Sends on a link if there is one, and counts what left: payload apart from control. */
    private boolean forward(Link link, Frame f) {
        if (link == null || !link.send(f)) {
            return false;
        }
        if (f.type() == FrameType.DATA) {
            payloadFrames.increment();
            payloadBytes.add(f.payload().length);
        } else {
            controlFrames.increment();
            controlBytes.add(f.payload().length);
        }
        return true;
    }

    private boolean dropped() {
        unroutable.increment();
        return false;
    }

    private boolean sendUp(Frame f) {
        List<Binding> bs = bindings;
        for (Binding b : bs) {
            if (forward(b.links.get(f.trafficClass()), f)) {
                return true;
            }
        }
        return false;
    }

    private boolean sendUp(Control c) {
        List<Binding> bs = bindings;
        return !bs.isEmpty() && send(bs.get(0).links.mesh(), c);
    }

    /** To one neighbour: a child or a parent on its MESH link, else a cell-mate through the group. */
    private boolean sendTo(String neighbour, Frame f) {
        Child c = children.get(neighbour);
        if (c != null && forward(c.links.mesh(), f)) {
            return true;
        }
        for (Binding b : bindings) {
            if (b.parent.peer().equals(neighbour) && forward(b.links.mesh(), f)) {
                return true;
            }
        }
        CellGroup g = group;
        if (g == null || !mates.contains(neighbour) || neighbour.equals(id)) {
            return false;
        }
        try {
            g.send(neighbour, codec.encode(Control.route(f)));
            return true;
        } catch (TransportException e) {
            return false;
        }
    }

    private boolean send(Link link, Control c) {
        if (link == null) {
            return false;
        }
        boolean sent = forward(link, new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, id,
                cell == null ? "" : cell.toString(), "", "", 0, System.nanoTime(), codec.encode(c)));
        if (!sent) {
            refused.increment();
        }
        return sent;
    }

    private void deliver(Frame f, String from) {
        if (f.type() == FrameType.CONTROL) {
            onRoutedControl(f);
            return;
        }
        if (f.type() == FrameType.ACK) {
            ft.onAck(f, false);
            return;
        }
        if (s.role() == PeerRole.CLIENT && f.type() == FrameType.DATA) {
            Streams.Arrival arrival = streams.received(f);
            if (arrival != Streams.Arrival.DAMAGED && FaultTolerance.isFaultTolerant(f)) {
                ft.arrived(f, from); // again too: the first acknowledgement may have been lost
            }
            if (arrival != Streams.Arrival.NEW) {
                return; // a duplicate or a damaged frame: counted, not delivered
            }
        }
        try {
            sink.accept(f);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> id + ": a sink failed on " + f, e);
        }
    }

    private Control decode(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (ControlCodec.MalformedControlException e) {
            malformed.increment();
            LOG.log(Level.WARNING, "{0}: dropped a malformed control message: {1}", id, e.getMessage());
            return null;
        }
    }

    private String parentId() {
        List<Binding> bs = bindings;
        return bs.isEmpty() ? "" : bs.get(0).parent.peer();
    }

    // ---------------------------------------------------------------------------------------
    // The three sides a peer hears from: its children, its parents, its cell

    /** Whether a child in that place may bind here: a sensor of this cell, a client at the root, a child cell's super-peer. */
    private boolean servesCellOf(PeerRecord child) {
        CellId mine = cell;
        if (mine == null || child.cell() == null) {
            return false;
        }
        return switch (child.role()) {
        case SENSOR -> mine.equals(child.cell());
        case CLIENT -> mine.isRoot();
        case SUPER -> !child.cell().isRoot() && child.cell().parent().equals(mine);
        };
    }

    /**
     * A frame from a neighbour: data and routed control go on (Listing 4, HandlePeerMessage); control
     * for this link is decoded and returned.
     */
    private Control forThisLink(Link link, Frame frame) {
        if (frame.type() != FrameType.CONTROL || !frame.targetPeer().isEmpty()) {
            route(frame, link.remotePeer(), false);
            return null;
        }
        return decode(frame.payload());
    }

    /** Links accepted from children (super-peers of child cells, sensors, clients). */
    private final class ChildSide implements LinkHandler {
        @Override
        public void onOpen(Link link) {
            children.computeIfAbsent(link.remotePeer(), Child::new).links.set(link);
        }

        @Override
        public void onFrame(Link link, Frame frame) {
            Control c = forThisLink(link, frame);
            if (c == null) {
                return;
            }
            Child child = children.get(link.remotePeer());
            switch (c.kind()) {
            case BIND -> {
                // answered here, not on the loop, so that a rebinding child never waits for our own work
                if (c.records().isEmpty() || !c.records().get(0).peer().equals(link.remotePeer()) || child == null) {
                    send(link, Control.of(Control.Kind.REFUSED, c.id(), "BIND names another peer"));
                    return;
                }
                PeerRecord r = c.records().get(0);
                if (r.role() == PeerRole.SENSOR && cell != null && cell.isRoot()) {
                    send(link, Control.of(Control.Kind.REFUSED, c.id(), "the root cell takes no sensors"));
                    return;
                }
                if (state != PeerState.BOUND) {
                    send(link, Control.of(Control.Kind.REFUSED, c.id(), "not bound yet"));
                    return;
                }
                if (!servesCellOf(r)) {
                    // a child that still holds this peer's old place (it moved cells meanwhile)
                    send(link, Control.of(Control.Kind.REFUSED, c.id(), "serving cell " + cell + ", not " + r.cell()));
                    return;
                }
                child.record = r;
                send(link, Control.of(Control.Kind.BOUND, c.id(), ""));
                onLoop(() -> onJoin(r.peer(), c.id(), c.records()));
            }
            case JOIN -> onLoop(() -> onJoin(link.remotePeer(), c.id(), c.records()));
            case TREE_QUERY -> send(link, Control.records(Control.Kind.TREE, c.id(), known.all()));
            case FT_USE -> onLoop(() -> onFtOrder(c));
            case LEAVE -> {
                if (c.records().size() == 1 && c.records().get(0).peer().equals(link.remotePeer()) && child != null) {
                    child.leaving = true;
                }
                onLoop(() -> onLeave(c.records(), true));
            }
            default -> malformed.increment();
            }
        }

        @Override
        public void onClose(Link link, CloseReason reason) {
            Child child = children.get(link.remotePeer());
            if (child == null || !child.links.clear(link)) {
                return;
            }
            if (link.trafficClass() != TrafficClass.MESH) {
                return; // one class unloaded or reset: the child itself is still here
            }
            children.remove(link.remotePeer(), child);
            child.links.closeAll(false);
            if (state == PeerState.CRASHED || state == PeerState.LEFT) {
                return;
            }
            long detected = System.nanoTime();
            PeerRecord r = child.record;
            onLoop(() -> {
                if (!child.leaving && r != null) {
                    failures.add(new FailureRecord(id, link.remotePeer(), "link", detected, null, 0));
                }
                if (r != null) {
                    onLeave(List.of(r), true);
                    if (r.role() == PeerRole.SUPER && r.cell() != null && !child.leaving
                            && known.count(r.cell(), PeerRole.SUPER) == 0) {
                        ft.childCellLost(r.cell()); // the parent's part of Listing 8
                    }
                }
            });
        }
    }

    /** The links to a parent. */
    private final class ParentSide implements LinkHandler {
        private final Binding binding;

        ParentSide(Binding binding) {
            this.binding = binding;
        }

        @Override
        public void onFrame(Link link, Frame frame) {
            Control c = forThisLink(link, frame);
            if (c == null) {
                return;
            }
            switch (c.kind()) {
            case TREE -> onLoop(() -> onTree(c.records()));
            case BOUND, REFUSED -> {
                CompletableFuture<Control> waiting = pendingBinds.get(c.id());
                if (waiting != null) {
                    waiting.complete(c);
                }
            }
            case JOINED -> onLoop(() -> onJoined(c.id()));
            case FT_USE -> onLoop(() -> onFtOrder(c));
            default -> malformed.increment();
            }
        }

        @Override
        public void onClose(Link link, CloseReason reason) {
            if (binding.closedByUs) {
                return;
            }
            boolean current = binding.links.clear(link);
            if (!current) {
                return;
            }
            if (link.trafficClass() != TrafficClass.MESH) {
                // one class's link reset (an idle timeout under load, say) while the parent is still
                // there: open it again, or the class would stop flowing until the next rebind
                boolean ours = reason == CloseReason.CLOSED || reason == CloseReason.ABORTED
                        || reason == CloseReason.SHUTDOWN;
                if (!ours && binding.links.meshOpen()) {
                    onLoop(() -> connectClass(binding, link.trafficClass()));
                }
                return;
            }
            if (prebound.remove(binding)) {
                binding.close(false); // the backup went away: prebind another when bound
                onLoop(Peer.this::prebind);
                return;
            }
            onLoop(() -> parentLost(binding, reason));
        }
    }

    /** The cell group: views and announcements from cell-mates. */
    private final class CellSide implements CellGroupListener {
        @Override
        public void onView(CellView view) {
            long detected = System.nanoTime();
            onLoop(() -> onCellView(view, detected));
        }

        @Override
        public void onMessage(String from, byte[] payload) {
            if (FtCodec.isReplica(payload)) {
                ft.onReplica(from, payload);
                return;
            }
            Control c = decode(payload);
            if (c == null) {
                return;
            }
            if (c.kind() == Control.Kind.ROUTE && c.frame() != null) {
                route(c.frame(), from, true);
                return;
            }
            onLoop(() -> onCellMessage(from, c));
        }

        @Override
        public void onSuspect(String member) {
            onLoop(() -> ft.suspected(member));
        }
    }

    private void onCellView(CellView view, long detected) {
        if (group == null) {
            return;
        }
        mates = view.members();
        boolean coordinator = !view.members().isEmpty() && view.members().get(0).equals(id);
        List<PeerRecord> gone = new ArrayList<>();
        for (String m : view.left()) {
            mateOfPeer.values().removeIf(m::equals);
            mateOfCell.values().removeIf(m::equals);
            if (leaving.remove(m) == null) {
                failures.add(new FailureRecord(id, m, "view", detected, null, 0));
            }
            PeerRecord r = known.get(m);
            if (r != null) {
                gone.add(r);
            }
        }
        ft.viewChanged(view.members(), view.left(), view.joined());
        if (coordinator && !gone.isEmpty()) {
            onLeave(gone, true);
        } else if (!gone.isEmpty()) {
            synchronized (known) {
                for (PeerRecord r : gone) {
                    known.remove(r.peer(), r.epoch());
                }
            }
        }
        if (coordinator && !view.joined().isEmpty() && view.members().size() > 1) {
            // a newcomer learns what the cell knows
            List<PeerRecord> all;
            synchronized (known) {
                all = new ArrayList<>(known.all());
            }
            announce(Control.records(Control.Kind.CELL_RECORDS, 0, all));
        }
    }

    private void onCellMessage(String from, Control c) {
        switch (c.kind()) {
        case CELL_RECORDS -> {
            synchronized (known) {
                for (PeerRecord r : c.records()) {
                    if (!r.peer().equals(id)) {
                        known.put(r);
                        reservations.remove(r.peer());
                    }
                }
            }
            CellId mine = cell;
            for (PeerRecord r : c.records()) {
                if (!r.parent().equals(from) || mine == null) {
                    continue;
                }
                mateOfPeer.put(r.peer(), from);
                if (r.role() == PeerRole.SUPER && r.cell() != null && !r.cell().equals(mine)) {
                    mateOfCell.put(r.cell(), from);
                }
            }
        }
        case FT_USE -> onFtOrder(c);
        case CELL_LEAVE -> {
            synchronized (known) {
                for (PeerRecord r : c.records()) {
                    known.remove(r.peer(), r.epoch());
                    mateOfPeer.remove(r.peer(), from);
                    if (r.peer().equals(from)) {
                        leaving.put(from, Boolean.TRUE);
                    }
                }
            }
        }
        default -> malformed.increment();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Fault-tolerance strategies

    void strategyAdded(FtStrategy strategy) {
        ft.strategyAdded(strategy);
    }

    void strategyRemoved(FtStrategy strategy) {
        ft.strategyRemoved(strategy);
    }

    @Override
    public FtCounters ft() {
        return ft.counters();
    }

    @Override
    public void useFtStrategy(String name) {
        ft.use(name);
    }

    @Override
    public void useFtStrategyEverywhere(String name) {
        ft.use(name); // checks the name before anything travels
        long order = ThreadLocalRandom.current().nextLong();
        onLoop(() -> onFtOrder(Control.of(Control.Kind.FT_USE, order, name)));
    }

    /** An order to change strategy: obeyed, then passed to every neighbour and the cell, once. */
    private void onFtOrder(Control c) {
        if (!ft.firstTime(c.id())) {
            return;
        }
        try {
            ft.use(c.text());
        } catch (IllegalArgumentException e) {
            malformed.increment();
            LOG.log(Level.WARNING, "{0}: ignored an order to use FT strategy {1}: {2}", id, c.text(), e.getMessage());
            return;
        }
        announce(c);
        sendUp(c);
        for (Child child : children.values()) {
            send(child.links.mesh(), c);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Fault injection and shutdown

    @Override
    public void crash() {
        if (state == PeerState.CRASHED || state == PeerState.LEFT) {
            return;
        }
        state = PeerState.CRASHED;
        loop.shutdownNow();
        timer.shutdownNow();
        ft.stop();
        CellGroup g = group;
        if (g != null) {
            g.crash();
        }
        if (server != null) {
            server.abort();
        }
        for (Binding b : bindings) {
            b.abort();
        }
        for (Binding b : prebound) {
            b.abort();
        }
        for (Child c : children.values()) {
            c.links.closeAll(false);
        }
        closeQuietly(serving);
        disco.close();
        LOG.log(Level.INFO, "{0}: crashed", id);
    }

    @Override
    public void leave() {
        if (state == PeerState.CRASHED || state == PeerState.LEFT) {
            return;
        }
        stopping = true; // a parent that leaves meanwhile is not a reason to rebind any more
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            onLoop(() -> {
                try {
                    PeerRecord me = known.get(id);
                    if (me != null) {
                        announce(Control.records(Control.Kind.CELL_LEAVE, 0, List.of(me)));
                        sendUp(Control.records(Control.Kind.LEAVE, 0, List.of(me)));
                    }
                    state = PeerState.LEFT;
                    for (Binding b : bindings) {
                        b.close(true);
                    }
                    dropPrebound();
                    leaveCell(true);
                } finally {
                    done.complete(null);
                }
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "{0}: leave did not finish cleanly: {1}", id, e.toString());
        } finally {
            state = PeerState.LEFT;
            ft.stop();
            streams.stopAll();
            timer.shutdown(); // after the final reports queued above
            loop.shutdownNow();
            if (server != null) {
                server.close();
            }
            disco.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // MeshPeer

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerRole role() {
        return s.role();
    }

    @Override
    public PeerState state() {
        return state;
    }

    @Override
    public CellId cell() {
        return cell;
    }

    @Override
    public List<String> parents() {
        List<String> out = new ArrayList<>();
        for (Binding b : bindings) {
            out.add(b.parent.peer());
        }
        return out;
    }

    @Override
    public List<String> links() {
        List<String> out = new ArrayList<>();
        for (Binding b : bindings) {
            b.links.describe("up  ", b.parent.peer(), out);
        }
        for (Binding b : prebound) {
            b.links.describe("pre ", b.parent.peer(), out);
        }
        for (Child c : children.values()) {
            c.links.describe("down", c.peer, out);
        }
        return out;
    }

    @Override
    public List<FailureRecord> failures() {
        return List.copyOf(failures);
    }

    @Override
    public List<String> tree() {
        synchronized (known) {
            return known.lines();
        }
    }

    /** The records this peer holds, for tests that compare the root's tree with each peer's belief. */
    List<PeerRecord> knownRecords() {
        synchronized (known) {
            return new ArrayList<>(known.all());
        }
    }


    @Override
    public String toString() {
        return id + " (" + s.role().name().toLowerCase() + ", cell " + cell + ", " + state + ")";
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis); // the peer's own loop waits between attempts: nothing else is due
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = state == PeerState.CRASHED ? state : PeerState.LEFT;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close failed: {0}", e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------

    /** One link per class to one parent. */
    private static final class Binding {
        final PeerRecord parent;
        final LinkSet links = new LinkSet();
        volatile boolean closedByUs;

        Binding(PeerRecord parent) {
            this.parent = parent;
        }

        void close(boolean gracefully) {
            closedByUs = true;
            links.closeAll(gracefully);
        }

        void abort() {
            close(false);
        }
    }

    /** A child: its links by class and, once it said BIND, its record. */
    private static final class Child {
        final String peer;
        final LinkSet links = new LinkSet();
        volatile PeerRecord record;
        volatile boolean leaving;

        Child(String peer) {
            this.peer = peer;
        }
    }

    private record PendingJoin(String child, long requestId) {
    }

    private record Reservation(PeerRole role, CellId cell, long expiresNanos) {
    }
}
