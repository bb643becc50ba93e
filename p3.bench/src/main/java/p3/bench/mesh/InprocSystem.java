package p3.bench.mesh;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import p3.ft.active.internal.ActiveStrategy;
import p3.ft.hybrid.internal.HybridStrategy;
import p3.ft.passive.internal.PassiveStrategy;
import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.FtMode;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.internal.InProcessMesh;
import p3.mesh.internal.Peer;
import p3.mesh.spi.TrafficService;
import p3.mesh.spi.TrafficProfile;
import p3.service.base.SyntheticTraffic;
import p3.transport.DiscoverySettings;
import p3.transport.GroupSettings;
import p3.transport.LinkSettings;
import p3.transport.StandaloneTransport;

/**
 * The whole mesh in this JVM over real loopback sockets, multicast and JGroups, with the
 * runtime's default settings; a crash resets the peer's links and drops its group without a word.
 * The three strategies are the strategy bundles' own classes. With security, every peer has a
 * certificate of the mesh's CA and its links are TLS 1.3 (the JDK's, the runtime's default);
 * without, all is in the clear.
 */
final class InprocSystem implements MeshSystem {

    private final StandaloneTransport transport;
    private final InProcessMesh mesh;
    private final TreeShape shape;
    private final BenchSettings settings;
    private final PassiveStrategy passive = new PassiveStrategy(50, 64);
    private final HybridStrategy hybrid = new HybridStrategy(50, 64, 1000, 5000, "");
    private final boolean security;
    private final long cpuAtStart = processCpuNanos();

    InprocSystem(TreeShape shape, BenchSettings settings, String strategy, boolean sensorMemory, boolean security) {
        this(shape, settings, strategy, sensorMemory, security, InprocOptions.DEFAULTS);
    }

    InprocSystem(TreeShape shape, BenchSettings settings, String strategy, boolean sensorMemory, boolean security,
            InprocOptions options) {
        this.transport = StandaloneTransport.open(links(options.linkHeartbeat()), GroupSettings.defaults(),
                DiscoverySettings.defaults());
        this.mesh = new InProcessMesh(shape.span(), shape.depth(), shape.superPeersPerCell(), shape.sensorsPerCell(),
                transport);
        mesh.faultTolerance(strategy, sensorMemory);
        if (options.storeBytes() != null) {
            mesh.storeBytes(options.storeBytes());
        }
        mesh.security(security);
        this.security = security;
        for (Traffic t : settings.traffic()) {
            mesh.addService(synthetic(t, settings.deadline()));
        }
        mesh.addStrategy(new ActiveStrategy(ActiveStrategy.LINGER_MICROS));
        mesh.addStrategy(passive);
        mesh.addStrategy(hybrid);
        this.shape = shape;
        this.settings = settings;
    }

    /**
     * The runtime's link settings, with another heartbeat: the idle timeout keeps the runtime's ratio
     * (1000 ms for 200 ms), so that a link still misses four heartbeats before it is closed.
     */
    static LinkSettings links(Duration heartbeat) {
        LinkSettings d = LinkSettings.defaults();
        if (heartbeat == null) {
            return d;
        }
        int beat = Math.toIntExact(heartbeat.toMillis());
        int idle = beat * (d.idleTimeoutMs() / d.heartbeatMs());
        return new LinkSettings(d.ioThreads(), d.tcpNoDelay(), d.maxFrameLength(), d.lowWaterMark(), d.highWaterMark(),
                d.connectTimeoutMs(), beat, idle, d.ipTos(), d.tlsProvider());
    }

    /** Whether its peers run with credentials over TLS. */
    boolean security() {
        return security;
    }

    /** How many of its peers of that role are alive. */
    int live(PeerRole role) {
        return mesh.live(role).size();
    }

    /** The services' own synthetic frames (sequence, bytes derived from it, a CRC), at the class's rate and size. */
    static TrafficService synthetic(Traffic t, Duration deadline) {
        return new SyntheticTraffic(t.name(), new TrafficProfile(t.rate(), t.bytes(), t.random(), 1,
                new Qos(false, deadline))) {
        };
    }

    @Override
    public void form() throws Exception {
        int supers = 0;
        for (int level = 0; level <= shape.depth(); level++) {
            supers += shape.cells(level).size() * shape.superPeers(level);
        }
        try {
            mesh.form(supers, shape.sensors());
        } catch (AssertionError e) {
            throw new IllegalStateException(notFormed(supers, shape.sensors(), bound(PeerRole.SUPER),
                    bound(PeerRole.SENSOR)), e);
        }
    }

    /** {@code the mesh did not form: ...; bound: 170 of 170 super-peers, 255 of 500 sensors}. */
    static String notFormed(int supers, int sensors, long boundSupers, long boundSensors) {
        return "the mesh did not form: a peer was not bound within " + InProcessMesh.BOUND.toSeconds() + " s; bound: "
                + boundSupers + " of " + supers + " super-peers, " + boundSensors + " of " + sensors + " sensors";
    }

    private long bound(PeerRole role) {
        return mesh.all().stream().filter(p -> p.role() == role && p.state() == PeerState.BOUND).count();
    }

    @Override
    public void request(FtMode mode) {
        Peer client = mesh.peer("client");
        for (Traffic t : settings.traffic()) {
            client.requestAll(t.name(), new Qos(mode.faultTolerant(t.name()), settings.deadline()));
        }
    }

    @Override
    public Map<String, List<String>> superPeersByCell() {
        Map<String, Integer> children = new HashMap<>();
        for (Peer p : mesh.all()) {
            for (String parent : p.parents()) {
                children.merge(parent, 1, Integer::sum);
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (Peer p : mesh.live(PeerRole.SUPER)) {
            out.computeIfAbsent(p.cell().toString(), c -> new ArrayList<>()).add(p.id());
        }
        Comparator<String> busiestFirst = Comparator.<String>comparingInt(id -> -children.getOrDefault(id, 0))
                .thenComparing(Comparator.naturalOrder());
        out.values().forEach(l -> l.sort(busiestFirst));
        return out;
    }

    @Override
    public long crash(String peer) {
        long at = System.nanoTime();
        mesh.peer(peer).crash();
        return at;
    }

    @Override
    public void useStrategy(String name) {
        for (Peer p : mesh.live(PeerRole.SUPER)) {
            p.useFtStrategy(name);
        }
    }

    @Override
    public void restartLatency() {
        mesh.peer("client").restartLatency();
    }

    @Override
    public void stopSources() {
        mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
    }

    @Override
    public List<ClassStats> clientStats() {
        return mesh.peer("client").classStats();
    }

    @Override
    public List<FailureRecord> failures() {
        List<FailureRecord> out = new ArrayList<>();
        for (Peer p : mesh.all()) {
            if (p.state() != PeerState.CRASHED) {
                out.addAll(p.failures());
            }
        }
        return out;
    }

    @Override
    public Totals totals() {
        long cb = 0;
        long cm = 0;
        long pb = 0;
        long pm = 0;
        long rb = 0;
        long rm = 0;
        for (Peer p : mesh.all()) {
            PeerCounters k = p.counters();
            FtCounters f = p.ft();
            cb += k.controlBytes();
            cm += k.controlFrames();
            pb += k.payloadBytes();
            pm += k.payloadFrames();
            rb += f.replicaBytes();
            rm += f.replicaMessages();
        }
        Runtime rt = Runtime.getRuntime();
        return new Totals(cb, cm, pb, pm, rb, rm, (processCpuNanos() - cpuAtStart) / 1e9,
                (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0));
    }

    /** A super-peer in a cell holds one JGroups channel, its cell's. */
    @Override
    public RunResult.Threads threads() {
        int channels = 0;
        for (Peer p : mesh.live(PeerRole.SUPER)) {
            if (p.cell() != null) {
                channels++;
            }
        }
        return LiveThreads.now(channels);
    }

    @Override
    public Double heapAfterGcMb() {
        return heapAfterGc();
    }

    /** This JVM's heap in use after a full GC, in MB. */
    static double heapAfterGc() {
        System.gc(); // a full collection with G1 and the defaults: what is left is what the peers hold
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * The cell groups first, every one leaving at once with a goodbye (within 3 s, the rest crashed);
     * then the peers crash and the mesh closes the transport. Crashing the peers first, one by one,
     * took minutes with 170 super-peers: each crash left its cell-mate suspecting it and asking it
     * again for the cell's key, and JGroups' pools grew to 10,000 threads.
     */
    @Override
    public void close() {
        try {
            transport.leaveGroups(); // the mesh's peers find their groups closed, and crash without them
        } finally {
            mesh.close();
        }
        passive.deactivate();
        hybrid.deactivate();
    }
}
