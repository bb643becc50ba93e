package p3.mesh.shell.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import p3.mesh.ClassStats;
import p3.mesh.FtMode;
import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.spi.TrafficService;
import p3.transport.PortRuns;

/**
 * The live local mesh of {@code ./p3 run}: when the framework property {@value #MESH_PROPERTY} is
 * {@code report}, it creates the report's bench topology (span 2, 2 super-peers per cell, 3 levels,
 * 8 sensors, 1 client) as factory configurations in this runtime, asks every sensor for every
 * class that is loaded, and prints one line per second. {@code small} does the same with 7 peers
 * (span 2, 2 levels: 2 super-peers at the root, 1 in each of cells 01 and 02, 1 sensor each, 1
 * client), for a small machine or a quick look at the console. With {@value #DURATION_PROPERTY} (for
 * example {@code 30s}) it prints the final statistics after that long and stops the framework.
 * {@value #FT_PROPERTY} says which classes the client asks to be fault-tolerant (an {@link FtMode},
 * {@code all} when absent).
 *
 * <p>A runtime of one peer (a host of a real deployment, or the bench's process isolation) runs no
 * local mesh: its peer comes from a configuration file (README, "Peers from configuration files").
 */
@Component(immediate = true)
public final class LocalMesh {

    static final String MESH_PROPERTY = "p3.local.mesh";
    static final String DURATION_PROPERTY = "p3.local.duration";
    static final String FT_PROPERTY = "p3.local.ft";
    private static final String MARK = "p3.local";
    private static final System.Logger LOG = System.getLogger(LocalMesh.class.getName());
    private static final Duration PEER_BOUND = Duration.ofSeconds(30);

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Thread thread;

    @Activate
    public LocalMesh(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
        String shape = context.getProperty(MESH_PROPERTY);
        if (shape == null || shape.isBlank() || shape.equals("off")) {
            thread = null;
            return;
        }
        if (!shape.equals("report") && !shape.equals("small")) {
            throw new IllegalArgumentException(MESH_PROPERTY + " must be report, small or off (a single peer "
                    + "comes from a configuration file): " + shape);
        }
        boolean small = shape.equals("small");
        Duration duration = parseDuration(context.getProperty(DURATION_PROPERTY));
        String ft = context.getProperty(FT_PROPERTY);
        FtMode mode = ft == null || ft.isBlank() ? FtMode.ALL : FtMode.of(ft);
        thread = new Thread(() -> run(small, duration, mode), "p3-local-mesh");
        thread.setDaemon(true);
        thread.start();
    }

    static Duration parseDuration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DURATION_PROPERTY + " must be like 30s, 500ms or 2m: " + value);
        }
    }

    @Deactivate
    void deactivate() {
        if (thread != null) {
            thread.interrupt();
            removeOurs();
        }
        // A single peer's configuration stays: deleting it here disposes the peer on Config Admin's
        // thread while the framework stops, after the transport's event loops are gone (an ERROR
        // "event executor terminated" at every stop). The peer stops with this bundle all the same,
        // and the next activation removes the configuration before it creates one.
    }

    private void run(boolean small, Duration duration, FtMode mode) {
        try {
            removeOurs();
            int discovery = PortRuns.freeUdp(7);
            int membership = PortRuns.freeUdp(7);
            Hashtable<String, Object> shape = new Hashtable<>();
            if (small) {
                shape.put("depth", 1);
                shape.put("superPeersPerCell", "2,1");
                shape.put("sensorsPerCell", 1);
            }
            int supers = small ? 4 : 14;
            int sensors = small ? 2 : 8;
            long start = System.nanoTime();
            for (int i = 1; i <= supers; i++) {
                peer(String.format("sp%02d", i), "super", discovery, membership, shape);
            }
            for (int i = 1; i <= sensors; i++) {
                peer("sensor" + i, "sensor", discovery, membership, shape);
            }
            MeshPeer client = peer("client", "client", discovery, membership, shape);
            System.out.printf(Locale.ROOT,
                    "p3: local mesh of %d peers formed in %d ms, FT for %s (p3:tree, p3:stats, p3:ft, p3:crash)%n",
                    supers + sensors + 1, (System.nanoTime() - start) / 1_000_000, mode.label());
            for (ServiceReference<TrafficService> ref : context.getServiceReferences(TrafficService.class, null)) {
                TrafficService s = context.getService(ref);
                try {
                    client.requestAll(s.trafficClass(), new Qos(mode.faultTolerant(s.trafficClass()),
                            s.profile().qos().deadline()));
                } finally {
                    context.ungetService(ref);
                }
            }
            report(client, duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "p3: the local mesh failed", e);
            System.out.println("p3: the local mesh failed: " + e);
        }
    }

    /** One line a second; after {@code duration}, the final table and a stopped framework. */
    private void report(MeshPeer client, Duration duration)
            throws InterruptedException, BundleException, InvalidSyntaxException {
        long start = System.nanoTime();
        List<ClassStats> before = client.classStats();
        long last = start;
        while (duration == null || System.nanoTime() - start < duration.toNanos()) {
            Thread.sleep(1000); // the display's own pace, nothing to await
            long now = System.nanoTime();
            List<ClassStats> stats = client.classStats();
            System.out.printf(Locale.ROOT, "%4ds %s%n", (now - start) / 1_000_000_000L,
                    StatsReport.line(stats, before, (now - last) / 1e9));
            before = stats;
            last = now;
        }
        System.out.print(new StatsReport(peers()).table());
        context.getBundle(0).stop();
    }

    private List<MeshPeer> peers() throws InvalidSyntaxException {
        List<MeshPeer> out = new ArrayList<>();
        for (ServiceReference<MeshPeer> ref : context.getServiceReferences(MeshPeer.class, null)) {
            out.add(context.getService(ref));
        }
        return out;
    }

    private MeshPeer peer(String id, String role, int discovery, int membership, Hashtable<String, Object> shape)
            throws IOException, InterruptedException, InvalidSyntaxException {
        Hashtable<String, Object> p = new Hashtable<>(shape);
        p.put("peerId", id);
        p.put("role", role);
        p.put("mesh", "local" + ProcessHandle.current().pid());
        p.put("discoveryPort", discovery);
        p.put("membershipPort", membership);
        configure(p);
        // one at a time, so that exactly one super-peer founds the root
        long deadline = System.nanoTime() + PEER_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Collection<ServiceReference<MeshPeer>> refs = context.getServiceReferences(MeshPeer.class,
                    "(peerId=" + id + ")");
            for (ServiceReference<MeshPeer> ref : refs) {
                MeshPeer peer = context.getService(ref);
                if (peer != null && peer.state() == PeerState.BOUND) {
                    return peer;
                }
            }
            Thread.sleep(10); // polling the registry with a bound: the peer reports no event of its own
        }
        throw new IllegalStateException(id + " did not join within " + PEER_BOUND.toSeconds() + " s");
    }

    /** A factory configuration of {@value MeshPeer#FACTORY_PID}, marked as ours. */
    private void configure(Hashtable<String, Object> properties) throws IOException {
        Configuration c = configAdmin.createFactoryConfiguration(MeshPeer.FACTORY_PID, "?");
        properties.put(MARK, Boolean.TRUE);
        c.update(properties);
    }

    private void removeOurs() {
        try {
            Configuration[] mine = configAdmin.listConfigurations("(" + MARK + "=true)");
            if (mine != null) {
                for (Configuration c : mine) {
                    c.delete();
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.log(Level.WARNING, "p3: cannot remove the local mesh's configurations: {0}", e.toString());
        }
    }
}
