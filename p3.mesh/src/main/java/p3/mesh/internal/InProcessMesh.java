package p3.mesh.internal;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import p3.mesh.PeerRole;
import p3.mesh.Qos;
import p3.mesh.spi.SyntheticTraffic;
import p3.mesh.spi.TrafficProfile;
import p3.mesh.spi.TrafficService;
import p3.mesh.PeerState;
import p3.transport.Frame;
import p3.transport.PortRuns;
import p3.transport.TrafficClass;
import p3.transport.internal.GroupSettings;
import p3.transport.internal.JGroupsCellGroups;
import p3.transport.internal.LinkSettings;
import p3.transport.internal.NettyLinks;
import p3.transport.internal.UdpDiscovery;

/**
 * A whole mesh in one JVM over real loopback sockets, multicast and JGroups, with ports picked
 * free and a mesh name of its own, so that meshes of parallel runs never meet.
 */
final class MeshHarness implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(20);

    final TreeShape shape;
    final NettyLinks links = new NettyLinks(LinkSettings.defaults());
    final JGroupsCellGroups groups = new JGroupsCellGroups(
            GroupSettings.defaults().withFailureDetection(100, 600, 100));
    final UdpDiscovery discovery = new UdpDiscovery(InetAddress.getLoopbackAddress(), 1);
    final String mesh = "t" + UUID.randomUUID().toString().substring(0, 8);
    final InetSocketAddress discoveryBase;
    final InetSocketAddress membershipBase;
    final Map<String, Peer> peers = new LinkedHashMap<>();
    final List<TrafficService> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether peers started from now on keep links open to a backup parent. */
    boolean prebind = true;
    /** Frames delivered, by receiving peer. */
    final Map<String, ConcurrentLinkedQueue<Frame>> delivered = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    MeshHarness(TreeShape shape) {
        this.shape = shape;
        int cells = shape.cells().size();
        this.discoveryBase = new InetSocketAddress("228.1.2.3", PortRuns.freeUdp(cells));
        this.membershipBase = new InetSocketAddress("228.1.2.2", PortRuns.freeUdp(cells));
    }

    /** The report's bench: span 2, 2 super-peers per cell, 3 levels, 2 sensors per cell. */
    static MeshHarness reportShape() {
        return new MeshHarness(new TreeShape(2, 2, List.of(2), 2));
    }

    Peer start(String id, PeerRole role) throws Exception {
        MeshSettings s = new MeshSettings(mesh, id, role, shape, InetAddress.getLoopbackAddress(), discoveryBase,
                membershipBase, true, List.of(), 250, 1000, 200, prebind);
        Peer p = new Peer(s, links, groups, discovery);
        ConcurrentLinkedQueue<Frame> inbox = new ConcurrentLinkedQueue<>();
        delivered.put(id, inbox);
        p.onDeliver(inbox::add);
        peers.put(id, p);
        p.start();
        services.forEach(p::serviceAdded);
        return p;
    }

    Peer startBound(String id, PeerRole role) throws Exception {
        Peer p = start(id, role);
        await().atMost(BOUND).until(() -> p.state() == PeerState.BOUND);
        return p;
    }

    /** Starts supers one by one (so that exactly one founds the root), then sensors, then one client. */
    List<Peer> form(int supers, int sensors) throws Exception {
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

    /** A traffic service of synthetic frames, as the service bundles register. */
    static TrafficService service(String cls, double rate, int bytes, boolean random) {
        return new SyntheticTraffic(cls, new TrafficProfile(rate, bytes, random, 1, new Qos(false, Duration.ofMillis(100)))) {
        };
    }

    /** Registers a service with every live peer, as DS does in a runtime. */
    void addService(TrafficService service) {
        services.add(service);
        for (Peer p : peers.values()) {
            p.serviceAdded(service);
        }
    }

    void removeService(TrafficService service) {
        services.remove(service);
        for (Peer p : peers.values()) {
            p.serviceRemoved(service);
        }
    }

    Peer peer(String id) {
        return peers.get(id);
    }

    List<Peer> live(PeerRole role) {
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
        return from.send(new Frame(p3.transport.FrameType.DATA, TrafficClass.MESH, 0, from.id(),
                String.valueOf(from.cell()), to.id(), String.valueOf(to.cell()), sequence.incrementAndGet(),
                System.nanoTime(), new byte[1024]));
    }

    /** Whether {@code to} has received a frame from {@code from} since the call counted {@code before}. */
    long received(Peer to, Peer from) {
        return delivered.get(to.id()).stream().filter(f -> f.sourcePeer().equals(from.id())).count();
    }

    /** Every sensor sends to the client and the client answers each: true when all arrived. */
    boolean everySensorReachesTheClient() {
        Peer client = peer("client");
        for (Peer sensor : live(PeerRole.SENSOR)) {
            long before = received(client, sensor);
            long back = received(sensor, client);
            sendProbe(sensor, client);
            sendProbe(client, sensor);
            try {
                await().atMost(Duration.ofSeconds(2)).until(() -> received(client, sensor) > before
                        && received(sensor, client) > back);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
        }
        return true;
    }

    /** Every peer's role, state, cell and parents: what a failed wait prints. */
    String describe() {
        StringBuilder out = new StringBuilder();
        for (Peer p : peers.values()) {
            out.append(p).append(" parents=").append(p.parents()).append('\n');
        }
        return out.toString();
    }

    /** Waits for a condition, and says where every peer stands when it does not come. */
    void awaitMesh(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(atMost).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(), e);
        }
    }

    @Override
    public void close() {
        for (Peer p : peers.values()) {
            if (p.state() != PeerState.CRASHED) {
                p.crash(); // quickest: nobody is left to tell
            }
        }
        discovery.close();
        links.close();
    }
}
