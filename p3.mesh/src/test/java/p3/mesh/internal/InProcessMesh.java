package p3.mesh.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import p3.mesh.Deliveries;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.spi.FtStrategy;
import p3.mesh.spi.TrafficService;
import p3.security.PeerCredentials;
import p3.security.Role;
import p3.security.ca.MeshCa;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.PortRuns;
import p3.transport.StandaloneTransport;
import p3.transport.TrafficClass;

/**
 * A whole mesh in one JVM over real loopback sockets, multicast and JGroups, with ports picked
 * free and a mesh name of its own, so that meshes of parallel runs never meet. Test support, for
 * the mesh's tests and the bench's {@code inproc} isolation (published as p3.mesh's test-jar, never
 * in the bundle); a crash here is {@link Peer#crash()}: links reset, group left without a word. The
 * peers share one {@link PeerThreads}, as the peers of a runtime do; the mesh closes it and the
 * transport.
 */
public final class InProcessMesh implements AutoCloseable {

    /** How long a peer may take to bind, in a test. */
    public static final Duration BOUND = Duration.ofSeconds(20);

    final TreeShape shape;
    private final StandaloneTransport transport;
    final PeerThreads threads;
    final String mesh = "t" + UUID.randomUUID().toString().substring(0, 8);
    final InetSocketAddress discoveryBase;
    final InetSocketAddress membershipBase;
    final Map<String, Peer> peers = new LinkedHashMap<>();
    final List<TrafficService> services = new CopyOnWriteArrayList<>();
    final List<FtStrategy> strategies = new CopyOnWriteArrayList<>();
    /** Whether peers started from now on keep links open to a backup parent. */
    boolean prebind = true;
    /** The mesh's CA: every peer gets a certificate of it, as the peers of a runtime do by default. */
    private final MeshCa ca;
    /** Whether peers started from now on have credentials (TLS links); off: everything in the clear. */
    private boolean secure = true;
    private FtSettings ft = FtSettings.DEFAULTS;
    /** Frames delivered, by receiving peer. */
    final Map<String, ConcurrentLinkedQueue<Frame>> delivered = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    InProcessMesh(TreeShape shape, StandaloneTransport transport) {
        this.shape = shape;
        this.transport = transport;
        this.threads = PeerThreads.defaults();
        try {
            this.ca = MeshCa.create(mesh, Duration.ofDays(1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the mesh's CA", e);
        }
        int cells = shape.cells().size();
        this.discoveryBase = new InetSocketAddress("228.1.2.3", PortRuns.freeUdp(cells));
        this.membershipBase = new InetSocketAddress("228.1.2.2", PortRuns.freeUdp(cells));
    }

    /**
     * A mesh of this shape over that transport, which it closes.
     *
     * @param superPeersPerCell by depth from the root; the last holds below
     */
    public InProcessMesh(int span, int depth, List<Integer> superPeersPerCell, int sensorsPerCell,
            StandaloneTransport transport) {
        this(new TreeShape(span, depth, superPeersPerCell, sensorsPerCell), transport);
    }

    /**
     * Peers started from now on acknowledge and retransmit on these timers: a wider acknowledgement
     * batch keeps more FT messages held at every hop at any moment, which a takeover test wants.
     */
    public InProcessMesh ftTimers(int retransmitMs, int ackIntervalMs) {
        ft = ft.withTimers(retransmitMs, ackIntervalMs);
        return this;
    }

    /** Peers started from now on run with credentials (the default) or in the clear, to measure what security costs. */
    public InProcessMesh security(boolean on) {
        secure = on;
        return this;
    }

    /** The mesh's CA, which issues every peer's certificate (and an impostor's, in a test). */
    public MeshCa ca() {
        return ca;
    }

    /** Peers started from now on hold at most this many bytes of FT messages each. */
    public InProcessMesh storeBytes(long bytes) {
        ft = ft.withStore(ft.storeCapacity(), bytes);
        return this;
    }

    /** Peers started from now on lease subscriptions, and hold FT messages, for this long. */
    public InProcessMesh lease(int ms) {
        ft = ft.withLease(ms);
        return this;
    }

    /** Peers started from now on prefer this FT strategy and keep (or not) sensor memory. */
    public InProcessMesh faultTolerance(String strategy, boolean sensorMemory) {
        ft = ft.withStrategy(strategy).withSensorMemory(sensorMemory);
        return this;
    }

    public Peer start(String id, PeerRole role) throws Exception {
        MeshSettings s = new MeshSettings(mesh, id, role, shape, InetAddress.getLoopbackAddress(), discoveryBase,
                membershipBase, true, List.of(), 0, 250, 1000, 200, prebind, ft);
        PeerCredentials credentials = secure ? ca.issue(id, Role.parse(role.name()), Duration.ofDays(1)) : null;
        Peer p = new Peer(s, credentials, transport.links(), transport.groups(), transport.discovery(), threads);
        ConcurrentLinkedQueue<Frame> inbox = new ConcurrentLinkedQueue<>();
        delivered.put(id, inbox);
        p.onDeliver(f -> inbox.add(f.copy())); // kept beyond the call
        peers.put(id, p);
        p.start();
        services.forEach(p::serviceAdded);
        strategies.forEach(p::strategyAdded);
        return p;
    }

    public Peer startBound(String id, PeerRole role) throws Exception {
        Peer p = start(id, role);
        awaitMesh(BOUND, () -> p.state() == PeerState.BOUND);
        return p;
    }

    /** Starts supers one by one (so that exactly one founds the root), then sensors, then one client. */
    public List<Peer> form(int supers, int sensors) throws Exception {
        List<Peer> started = new ArrayList<>();
        for (int i = 1; i <= supers; i++) {
            started.add(startBound(String.format("sp%02d", i), PeerRole.SUPER));
        }
        for (int i = 1; i <= sensors; i++) {
            started.add(startBound(String.format("sensor%d", i), PeerRole.SENSOR));
        }
        started.add(startBound("client", PeerRole.CLIENT));
        return started;
    }

    /** A traffic service whose frames carry their sequence number, for the mesh's own tests. */
    public static TrafficService service(String cls, double rate, int bytes, boolean random) {
        return new TestTraffic(cls, rate, bytes, random);
    }

    /** Registers a service with every live peer, as DS does in a runtime. */
    public void addService(TrafficService service) {
        services.add(service);
        for (Peer p : peers.values()) {
            p.serviceAdded(service);
        }
    }

    public void removeService(TrafficService service) {
        services.remove(service);
        for (Peer p : peers.values()) {
            p.serviceRemoved(service);
        }
    }

    /** Registers an FT strategy with every peer, as DS does when its bundle starts. */
    public void addStrategy(FtStrategy strategy) {
        strategies.add(strategy);
        for (Peer p : peers.values()) {
            p.strategyAdded(strategy);
        }
    }

    /** As when the strategy's bundle stops: its peers stand another one in. */
    public void removeStrategy(FtStrategy strategy) {
        strategies.remove(strategy);
        for (Peer p : peers.values()) {
            p.strategyRemoved(strategy);
        }
    }

    public Peer peer(String id) {
        return peers.get(id);
    }

    public List<Peer> all() {
        return new ArrayList<>(peers.values());
    }

    public List<Peer> live(PeerRole role) {
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.role() == role && p.state() != PeerState.CRASHED && p.state() != PeerState.LEFT) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Sends one probe from a peer to another, through the mesh; true if it left the sender. It
     * travels on the mesh's own connections, which are there whatever traffic services are loaded.
     */
    boolean sendProbe(Peer from, Peer to) {
        return from.send(new Frame(FrameType.DATA, TrafficClass.MESH, 0, from.id(), String.valueOf(from.cell()),
                to.id(), String.valueOf(to.cell()), sequence.incrementAndGet(), System.nanoTime(), new byte[1024]));
    }

    /** How many frames {@code to} has received from {@code from}. */
    long received(Peer to, Peer from) {
        return delivered.get(to.id()).stream().filter(f -> f.sourcePeer().equals(from.id())).count();
    }

    long received(Peer to, Peer from, String trafficClass) {
        return delivered.get(to.id()).stream()
                .filter(f -> f.sourcePeer().equals(from.id()) && f.trafficClass().id().equals(trafficClass)).count();
    }

    /** Every sensor sends to the client and the client answers each: true when all arrived. */
    boolean everySensorReachesTheClient() {
        Peer client = peer("client");
        for (Peer sensor : live(PeerRole.SENSOR)) {
            long before = received(client, sensor);
            long back = received(sensor, client);
            sendProbe(sensor, client);
            sendProbe(client, sensor);
            if (!until(Duration.ofSeconds(2), () -> received(client, sensor) > before && received(sensor, client) > back)) {
                return false;
            }
        }
        return true;
    }

    /** Every peer's role, state, cell and parents: what a failed wait prints. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Peer p : peers.values()) {
            out.append(p).append(" parents=").append(p.parents()).append(' ').append(p.counters())
                    .append(' ').append(p.strand()).append('\n');
            if (p.role() == PeerRole.SENSOR) {
                p.sources().forEach(line -> out.append("    source ").append(line).append('\n'));
            }
            if (p.state() != PeerState.CRASHED) {
                p.links().forEach(line -> out.append("    ").append(line).append('\n'));
            }
            if (p.role() == PeerRole.CLIENT) {
                for (Deliveries d : p.deliveries()) {
                    out.append("    delivered ").append(d.trafficClass()).append(':');
                    d.streams().forEach(st -> out.append(' ').append(st.source()).append(" sent ").append(st.sent())
                            .append(" got ").append(st.distinct()).append(','));
                    out.append('\n');
                }
            }
        }
        out.append("refused by the links: ").append(transport.links().stats().rejections()).append(", by the cells: ")
                .append(transport.groups().stats().rejections()).append(", by discovery: ")
                .append(transport.discoveryStats().rejections()).append('\n');
        for (Peer p : live(PeerRole.SUPER)) {
            if (p.cell() != null && p.cell().isRoot()) {
                out.append("the tree as ").append(p.id()).append(" knows it:\n");
                p.tree().forEach(line -> out.append("  ").append(line).append('\n'));
                break;
            }
        }
        return out.toString();
    }

    /**
     * Waits for a condition, and says where every peer stands when it does not come.
     *
     * @throws AssertionError when it did not come in time
     */
    public void awaitMesh(Duration atMost, BooleanSupplier condition) {
        if (!until(atMost, condition)) {
            throw new AssertionError("not within " + atMost + "\n" + describe());
        }
    }

    /** Polls a condition every few milliseconds, up to a bound. @return whether it came */
    public static boolean until(Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5); // polling state that has no event of its own, with a bound
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (Peer p : peers.values()) {
            if (p.state() != PeerState.CRASHED) {
                p.crash(); // quickest: nobody is left to tell
            }
        }
        transport.close();
        threads.close();
    }
}
