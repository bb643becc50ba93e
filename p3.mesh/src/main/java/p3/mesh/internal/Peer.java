package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import p3.mesh.CellId;
import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.StrandStats;
import p3.mesh.spi.FtStrategy;
import p3.mesh.spi.TrafficService;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.transport.CellGroups;
import p3.transport.Discovery;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoverySpec;
import p3.transport.Frame;
import p3.transport.LinkServer;
import p3.transport.Links;
import p3.transport.TrafficClass;
import p3.transport.TransportException;

/**
 * One peer of the mesh, put together from one part per concept of the report: {@link Join}
 * (Listing 1 and the asking side of 2), {@link Placement} (Listing 2's responders),
 * {@link Membership} (Listing 3), {@link Routing} (Listing 4), {@link Uplink} and {@link Downlinks}
 * (bind and rebind), {@link Cell} (the cell group), {@link Subscriptions}, and fault tolerance:
 * {@link Custody} (Listings 5 to 7 and the sending again of 8), {@link Acknowledgements},
 * {@link ReplicationQueue} and {@link StrategySelection}. {@link PeerEvents} passes events between them.
 *
 * <p>Threads: the peer's state belongs to its {@link Strand}; everything else hands it tasks. The
 * data path (frame in, route, frame out, custody) runs on the transport's threads from what the
 * strand publishes ({@link RoutingTable}) and from structures built for it. A crash may come from
 * any thread: it closes the strand and aborts what the peer holds.
 */
public final class Peer implements MeshPeer {

    private static final System.Logger LOG = System.getLogger(Peer.class.getName());
    /** How long a leave waits for the strand to tell the cell and the parent, then for the group to let it go. */
    private static final long ASK_MS = 5000;
    static final long HOUSEKEEPING_MS = 1000;

    private final MeshSettings s;
    private final String id;
    private final Links links;
    private final Discovery discovery;
    private final PeerThreads threads;
    private final Strand strand;
    private final Scheduler time;
    private final PeerMetrics metrics = new PeerMetrics();
    private final PeerStatus status = new PeerStatus();
    private final FailureLog failures;
    final Routing routing;
    private final ReplicationQueue replication;
    private final StrategySelection strategies;
    private final Custody custody;
    private final Acknowledgements acks;
    private final Subscriptions subscriptions;
    private final Streams streams;
    private final Cell cell;
    private final Membership membership;
    private final Uplink uplink;
    private final Downlinks downlinks;
    private final Join join;
    private final Placement placement;
    private final PeerEvents events;
    private volatile LinkServer server;
    private volatile DiscoveryEndpoint disco;
    private volatile Consumer<Frame> sink = f -> { };

    Peer(MeshSettings settings, Links links, CellGroups groups, Discovery discovery, PeerThreads threads) {
        this(settings, links, groups, discovery, threads, null);
    }

    /** @param time the clock and timers, or null for real time on the runtime's timer */
    Peer(MeshSettings settings, Links links, CellGroups groups, Discovery discovery, PeerThreads threads,
            Scheduler time) {
        this(settings, links, groups, discovery, threads, threads.strand(settings.peer()), time);
    }

    /**
     * For tests: the peer's strand is given, so that virtual time can run its timers on it (a
     * scheduler's tasks must run on the peer's strand, which a test could not reach otherwise).
     *
     * @param strand the strand that owns the peer's state (for instance one that runs on the test's thread)
     * @param time   the clock and timers, whose tasks run on {@code strand}; null for real time
     */
    Peer(MeshSettings settings, Links links, CellGroups groups, Discovery discovery, PeerThreads threads,
            Strand strand, Scheduler time) {
        this(settings, null, links, groups, discovery, threads, strand, time);
    }

    /** A peer with credentials: its links are TLS with its certificate. */
    Peer(MeshSettings settings, PeerCredentials credentials, Links links, CellGroups groups, Discovery discovery,
            PeerThreads threads) {
        this(settings, credentials, links, groups, discovery, threads, threads.strand(settings.peer()), null);
    }

    /**
     * @param credentials the peer's key and certificate, or null when security is off: links, cells
     *                    and discovery then run in the clear
     */
    Peer(MeshSettings settings, PeerCredentials credentials, Links links, CellGroups groups, Discovery discovery,
            PeerThreads threads, Strand strand, Scheduler time) {
        if (credentials != null && !credentials.identity().equals(
                new PeerIdentity(settings.peer(), Role.parse(settings.role().name())))) {
            throw new IllegalArgumentException("peer " + settings.peer() + " (" + settings.role() + ") was given the "
                    + "credentials of " + credentials.identity());
        }
        links = SecureTransport.links(links, credentials);
        discovery = SecureTransport.discovery(discovery, credentials);
        groups = SecureTransport.groups(groups, credentials);
        this.s = settings;
        this.id = settings.peer();
        this.links = links;
        this.discovery = discovery;
        this.threads = threads;
        this.strand = strand;
        this.time = time != null ? time : threads.scheduler(strand);
        PeerRole role = settings.role();
        int span = settings.shape().span();
        ControlCodec codec = new ControlCodec(span);
        FtSettings ft = settings.ft();
        this.failures = new FailureLog(id);
        this.routing = new Routing(id, role, span, codec, metrics, this::deliver);
        this.replication = new ReplicationQueue(id, strand, this.time, routing::table);
        this.strategies = new StrategySelection(id, role, ft.strategy(), replication);
        this.custody = new Custody(id, span, ft, new PendingStore(ft.storeCapacity(), ft.storeBytes()), routing,
                this.time, replication, strategies, metrics);
        replication.custody(custody);
        routing.custodian(custody);
        this.acks = new Acknowledgements(id, routing, this.time, ft.ackIntervalMs());
        PeerContext c = new PeerContext(id, settings, strand, this.time, codec, status, routing, metrics);
        this.subscriptions = new Subscriptions(c, custody, acks, threads.sources());
        this.streams = subscriptions.streams();
        this.cell = new Cell(c, groups);
        this.membership = new Membership(c, cell, () -> {
            LinkServer l = server;
            return l != null ? l.address() : new InetSocketAddress(settings.bindAddress(), 0);
        });
        this.uplink = new Uplink(c, links, membership, this::linkedClasses);
        this.downlinks = new Downlinks(c);
        CellRequests requests = new CellRequests(c);
        this.placement = new Placement(c, membership, cell, requests);
        this.join = new Join(c, requests, () -> {
            placement.bound();
            downlinks.bound();
        }, cell, membership, uplink, custody, failures);
        this.events = new PeerEvents(c, cell, membership, join, downlinks, subscriptions, strategies, failures);
        uplink.events(events);
        downlinks.events(events);
    }

    /** The classes this peer opens links for: mesh control, and every class with a service. */
    private List<TrafficClass> linkedClasses() {
        List<TrafficClass> out = new ArrayList<>();
        out.add(TrafficClass.MESH);
        out.addAll(streams.classes());
        return out;
    }

    /** Opens the peer's sockets and starts joining; returns at once. */
    void start() throws TransportException {
        DiscoveryEndpoint d = discovery.open(new DiscoverySpec(s.discoveryBase(), s.shape().span(), s.multicast(),
                s.seeds(), s.unicastPort()));
        disco = d;
        cell.wire(events, custody, d, placement);
        if (s.role() == PeerRole.SUPER) {
            server = links.listen(new InetSocketAddress(s.bindAddress(), 0), id, downlinks);
        }
        strand.execute(() -> {
            custody.start();
            if (s.role() == PeerRole.CLIENT) {
                acks.start();
            }
            time.every(HOUSEKEEPING_MS, TimeUnit.MILLISECONDS, this::housekeeping);
            join.start(d);
        });
    }

    /** Where delivered frames go (a test); a frame is valid during the call (see LinkHandler.onFrame). */
    void onDeliver(Consumer<Frame> consumer) {
        this.sink = consumer;
    }

    /** Re-derives what a lost event would have told: links that closed without a word reaching the strand. */
    private void housekeeping() {
        uplink.check();
        downlinks.check();
        membership.expire();
        if (s.role() == PeerRole.CLIENT) {
            subscriptions.renew();
        }
        join.upkeep();
    }

    /** Data path: a frame for this peer. */
    private void deliver(Frame f, String from) {
        switch (f.type()) {
        case CONTROL -> events.routedControl(f);
        case ACK -> custody.onAck(f, false);
        case DATA -> {
            if (s.role() != PeerRole.CLIENT || subscriptions.received(f, from)) {
                sink.accept(f);
            }
        }
        default -> metrics.malformed.increment();
        }
    }

    /** Sends a frame from this peer into the mesh. @return whether it left this peer */
    boolean send(Frame frame) {
        return routing.route(frame, "", false);
    }

    // ---------------------------------------------------------------------------------------
    // Services and strategies as DS brings and takes them

    void serviceAdded(TrafficService service) {
        TrafficClass cls = Streams.classOf(service);
        if (cls != null) {
            streams.added(cls, service);
            strand.execute(() -> uplink.connectClass(cls));
        }
    }

    void serviceRemoved(TrafficService service) {
        TrafficClass cls = Streams.classOf(service);
        if (cls != null && streams.service(cls) == service) {
            streams.removed(cls);
            strand.execute(() -> {
                uplink.dropClass(cls);
                downlinks.dropClass(cls);
            });
        }
    }

    void strategyAdded(FtStrategy strategy) {
        strand.execute(() -> strategies.added(strategy));
    }

    void strategyRemoved(FtStrategy strategy) {
        strand.execute(() -> strategies.removed(strategy));
    }

    // ---------------------------------------------------------------------------------------
    // MeshPeer

    @Override
    public void requestAll(String trafficClass, Qos qos) {
        TrafficClass cls = Subscriptions.classNamed(trafficClass);
        if (cls == null) {
            throw new IllegalArgumentException("not a traffic class: " + trafficClass + " (audio, video or event)");
        }
        if (s.role() != PeerRole.CLIENT) {
            throw new IllegalStateException(id + " is a " + s.role() + ", not a client");
        }
        strand.execute(() -> subscriptions.requestAll(cls, qos));
    }

    @Override
    public void useFtStrategy(String name) {
        String checked = FtSettings.DEFAULTS.withStrategy(name).strategy();
        strand.execute(() -> strategies.use(checked));
    }

    @Override
    public void useFtStrategyEverywhere(String name) {
        String checked = FtSettings.DEFAULTS.withStrategy(name).strategy(); // before anything travels
        long order = ThreadLocalRandom.current().nextLong();
        strand.execute(() -> events.ftOrder(Control.of(Control.Kind.FT_USE, order, checked)));
    }

    @Override
    public void stopSources() {
        streams.stopAll();
    }

    @Override
    public void restartLatency() {
        streams.restartLatency();
    }

    /** Sensor: the streams it runs now, for clients whose lease holds. */
    int streaming() {
        return streams.running();
    }

    /** Client: frames sent and not received, by source, of a class. */
    public Map<String, Long> lostBySource(TrafficClass cls) {
        return streams.lostBySource(cls);
    }

    @Override
    public List<ClassStats> classStats() {
        return streams.stats();
    }

    @Override
    public List<Deliveries> deliveries() {
        return streams.deliveries();
    }

    /** Where this super-peer listens for links (null before it started, and for leaves). */
    InetSocketAddress linkAddress() {
        LinkServer l = server;
        return l == null ? null : l.address();
    }

    @Override
    public PeerCounters counters() {
        return metrics.counters();
    }

    @Override
    public FtCounters ft() {
        return custody.counters(switch (s.role()) {
        case SUPER -> strategies.name();
        case SENSOR -> s.ft().sensorMemory() ? "memory" : "no memory";
        case CLIENT -> "-";
        }, replication);
    }

    @Override
    public StrandStats strand() {
        return strand.stats();
    }

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
        return status.state();
    }

    @Override
    public CellId cell() {
        return routing.table().cell();
    }

    @Override
    public List<String> parents() {
        return uplink.parents();
    }

    @Override
    public List<String> links() {
        List<String> out = new ArrayList<>();
        uplink.describe(out);
        downlinks.describe(out);
        return out;
    }

    /** A sensor's streams, for a test's account of where the mesh stood. */
    List<String> sources() {
        return streams.describeSources();
    }

    @Override
    public List<FailureRecord> failures() {
        return failures.all();
    }

    @Override
    public List<String> tree() {
        return membership.known().lines();
    }

    /** The records this peer holds, for tests that compare the root's tree with each peer's belief. */
    List<PeerRecord> knownRecords() {
        return membership.known().snapshot();
    }

    // ---------------------------------------------------------------------------------------
    // Fault injection and shutdown

    @Override
    public void crash() {
        if (status.over()) {
            return;
        }
        status.crashed();
        strand.close();
        // a killed process's sockets all reset at once; the links go before the JGroups channel because
        // shutting it down takes 6 to 25 ms on this machine, which would delay every link's reset. The
        // listening socket goes first: a child that sees its link reset must not find it still accepting
        LinkServer l = server;
        if (l != null) {
            l.abort();
        }
        uplink.closeAll(false);
        downlinks.closeAll(false);
        cell.crash();
        threads.release(strand);
        join.stop();
        streams.halt();
        strategies.stop();
        closeDiscovery();
        LOG.log(Level.INFO, "{0}: crashed", id);
    }

    @Override
    public void leave() {
        if (status.over()) {
            return;
        }
        status.stopping();
        CompletionStage<Void> left = strand.ask(() -> {
            membership.leave();
            join.stop();
            uplink.closeAll(true);
            custody.stop();
            acks.stop();
            return cell.leave(true);
        }, null, ASK_MS);
        try {
            if (left == null) {
                LOG.log(Level.WARNING, "{0}: left without telling its cell and parent", id);
            } else {
                left.toCompletableFuture().get(ASK_MS, TimeUnit.MILLISECONDS); // bounded, and never on a strand
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "{0}: its cell group did not see it leave: {1}", id, e.toString());
        }
        status.left();
        strand.close();
        threads.release(strand);
        strategies.stop();
        streams.leave();
        LinkServer l = server;
        if (l != null) {
            l.close();
        }
        downlinks.closeAll(true);
        closeDiscovery();
    }

    private void closeDiscovery() {
        DiscoveryEndpoint d = disco;
        if (d != null) {
            d.close();
        }
    }

    @Override
    public String toString() {
        return id + " (" + s.role().name().toLowerCase() + ", cell " + cell() + ", " + state() + ")";
    }
}
