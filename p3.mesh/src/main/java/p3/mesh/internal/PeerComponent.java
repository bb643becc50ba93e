package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import p3.mesh.CellId;
import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.Qos;
import p3.mesh.StrandStats;
import p3.mesh.spi.FtStrategy;
import p3.mesh.spi.TrafficService;
import p3.mesh.PeerState;
import p3.security.Keyring;
import p3.security.PeerCredentials;
import p3.security.Role;
import p3.transport.CellGroups;
import p3.transport.Discovery;
import p3.transport.Links;
import p3.transport.TransportException;

/**
 * A peer, one per factory configuration of {@value MeshPeer#FACTORY_PID}: one runtime hosts one
 * peer or a whole mesh. Deactivation leaves the mesh gracefully, waiting a bounded time for the
 * peer's strand to tell its cell and parent (never on a strand).
 */
@Component(service = MeshPeer.class, configurationPid = MeshPeer.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = PeerComponent.Config.class, factory = true)
public final class PeerComponent implements MeshPeer {

    private static final System.Logger LOG = System.getLogger(PeerComponent.class.getName());
    /** Where FileInstall says a configuration came from: the file's URL. */
    static final String FILE = "felix.fileinstall.filename";

    @ObjectClassDefinition(name = "P3 peer", description = "A peer of the mesh: super, sensor or client")
    public @interface Config {
        @AttributeDefinition(description = "Unique id of the peer (letters, digits, - _ .)")
        String peerId();

        @AttributeDefinition(description = "super, sensor or client")
        String role() default "super";

        @AttributeDefinition(description = "Name of the mesh; meshes of other names never mix")
        String mesh() default "default";

        @AttributeDefinition(description = "Children per cell (1..9)")
        int span() default 2;

        @AttributeDefinition(description = "Levels below the root")
        int depth() default 2;

        @AttributeDefinition(description = "Super-peers per cell, by depth from the root; the last holds below")
        String superPeersPerCell() default "2";

        @AttributeDefinition(description = "Sensors per non-root cell")
        int sensorsPerCell() default 2;

        @AttributeDefinition(description = "Address the peer listens on for links")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "Discovery base address")
        String discoveryAddress() default "228.1.2.3";

        @AttributeDefinition(description = "Discovery base port; a cell uses base + tree_pos")
        int discoveryPort() default 21000;

        @AttributeDefinition(description = "Membership (cell group) base address")
        String membershipAddress() default "228.1.2.2";

        @AttributeDefinition(description = "Membership base port; a cell uses base + tree_pos")
        int membershipPort() default 22000;

        @AttributeDefinition(description = "Use IP multicast for discovery")
        boolean multicast() default true;

        @AttributeDefinition(description = "Unicast discovery endpoints to ask too: host:port,host:port (the "
                + "discoveryUnicastPort of super-peers on other hosts)")
        String discoverySeeds() default "";

        @AttributeDefinition(description = "Port of this peer's discovery socket for unicast requests, 0 for any free "
                + "one: a super-peer that other hosts list in discoverySeeds needs a fixed one")
        int discoveryUnicastPort() default 0;

        @AttributeDefinition(description = "How long a discovery request waits, in ms")
        int discoveryTimeoutMs() default 300;

        @AttributeDefinition(description = "How long binding to one parent may take, in ms")
        int bindTimeoutMs() default 1000;

        @AttributeDefinition(description = "Stagger between super-peers founding a new root, in ms")
        int foundingStaggerMs() default 250;

        @AttributeDefinition(description = "Keep links open to a backup parent, so that a fast rebind is one BIND")
        boolean prebind() default true;

        @AttributeDefinition(description = "Fault-tolerance strategy a super-peer prefers: active, passive or hybrid; "
                + "another one that is there stands in while it is not")
        String ftStrategy() default "hybrid";

        @AttributeDefinition(description = "A sensor keeps its FT messages until acknowledged and sends them again "
                + "after a rebind (off: the report's sensors)")
        boolean sensorMemory() default true;

        @AttributeDefinition(description = "A held FT message not acknowledged after this many ms is sent again")
        int ftRetransmitMs() default 1000;

        @AttributeDefinition(description = "A client acknowledges FT messages in batches this many ms apart")
        int ftAckIntervalMs() default 25;

        @AttributeDefinition(description = "At most this many FT messages held by one peer")
        int ftStoreCapacity() default 65536;

        @AttributeDefinition(description = "At most this many bytes of FT messages held by one peer (at least 65536): "
                + "beyond, a super-peer refuses a message, which stays with the neighbour below; a sensor gives up its "
                + "oldest, counted as dropped at the source")
        long ftStoreBytes() default FtSettings.STORE_BYTES;

        @AttributeDefinition(description = "A client's subscription lasts this many ms unless renewed (the client "
                + "renews it three times as often): a sensor stops streaming to a client gone longer, and a held FT "
                + "message waits at most this long for its acknowledgement (at least 3000)")
        int subscriptionLeaseMs() default 30000;
    }

    private final Peer peer;

    /**
     * @throws GeneralSecurityException when the keyring has no credentials that fit this peer: the
     *                                  message names the file and the reason, and the peer does not start
     */
    @Activate
    public PeerComponent(@Reference Links links, @Reference CellGroups groups, @Reference Discovery discovery,
            @Reference PeerThreads threads, @Reference Keyring keyring, Config c, Map<String, Object> properties)
            throws TransportException, GeneralSecurityException {
        MeshSettings s = settings(c, properties);
        PeerCredentials credentials = keyring.secure()
                ? keyring.credentials(s.peer(), Role.parse(s.role().name()))
                : null;
        this.peer = new Peer(s, credentials, links, groups, discovery, threads);
        peer.start();
    }

    /**
     * The settings, or an error that names where they came from (the file, when FileInstall read
     * them from one, else the configuration's PID) and the property: the peer does not start, and
     * the runtime and its other peers go on.
     */
    static MeshSettings settings(Config c, Map<String, ?> properties) {
        try {
            checkTypes(properties);
            return settings(c);
        } catch (RuntimeException e) {
            Object file = properties.get(FILE);
            String where = file != null ? file.toString() : "configuration " + properties.get("service.pid");
            IllegalArgumentException named = new IllegalArgumentException(where + ": " + e.getMessage(), e);
            LOG.log(Level.ERROR, "{0}: {1}; the peer does not start", MeshPeer.FACTORY_PID, named.getMessage());
            throw named;
        }
    }

    /**
     * A value from a file is text: SCR turns text that is not a number into an exception that names
     * neither the property nor the file, and text that is not {@code true} into {@code false}.
     */
    private static void checkTypes(Map<String, ?> properties) {
        for (Method m : Config.class.getDeclaredMethods()) {
            if (!(properties.get(m.getName()) instanceof String text)) {
                continue;
            }
            Class<?> type = m.getReturnType();
            try {
                if (type == int.class) {
                    Integer.parseInt(text.trim());
                } else if (type == long.class) {
                    Long.parseLong(text.trim());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(m.getName() + " must be a whole number: " + text);
            }
            String word = text.trim();
            if (type == boolean.class && !word.equalsIgnoreCase("true") && !word.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(m.getName() + " must be true or false: " + text);
            }
        }
    }

    static MeshSettings settings(Config c) {
        return new MeshSettings(c.mesh(), c.peerId(), MeshSettings.role(c.role()),
                new TreeShape(c.span(), c.depth(), MeshSettings.counts("superPeersPerCell", c.superPeersPerCell()),
                        c.sensorsPerCell()),
                MeshSettings.address("bindAddress", c.bindAddress()),
                MeshSettings.endpoint("discoveryAddress", c.discoveryAddress(), c.discoveryPort()),
                MeshSettings.endpoint("membershipAddress", c.membershipAddress(), c.membershipPort()),
                c.multicast(), MeshSettings.endpoints("discoverySeeds", c.discoverySeeds()),
                MeshSettings.port("discoveryUnicastPort", c.discoveryUnicastPort()), c.discoveryTimeoutMs(),
                c.bindTimeoutMs(), c.foundingStaggerMs(), c.prebind(),
                new FtSettings(c.ftStrategy(), c.sensorMemory(), c.ftRetransmitMs(), c.ftAckIntervalMs(),
                        c.ftStoreCapacity(), c.ftStoreBytes(), c.subscriptionLeaseMs()));
    }

    @Deactivate
    void deactivate() {
        peer.leave();
    }

    /** Every traffic service, as it comes and goes: its class's links, sources and sinks follow it. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTraffic(TrafficService service) {
        peer.serviceAdded(service);
    }

    void removeTraffic(TrafficService service) {
        peer.serviceRemoved(service);
    }

    /** Every FT strategy, as its bundle comes and goes: the peer uses its preferred one, or stands another in. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStrategy(FtStrategy strategy) {
        peer.strategyAdded(strategy);
    }

    void removeStrategy(FtStrategy strategy) {
        peer.strategyRemoved(strategy);
    }

    @Override
    public FtCounters ft() {
        return peer.ft();
    }

    @Override
    public void useFtStrategy(String name) {
        peer.useFtStrategy(name);
    }

    @Override
    public void useFtStrategyEverywhere(String name) {
        peer.useFtStrategyEverywhere(name);
    }

    @Override
    public void requestAll(String trafficClass, Qos qos) {
        peer.requestAll(trafficClass, qos);
    }

    @Override
    public void stopSources() {
        peer.stopSources();
    }

    @Override
    public void restartLatency() {
        peer.restartLatency();
    }

    @Override
    public StrandStats strand() {
        return peer.strand();
    }

    @Override
    public List<ClassStats> classStats() {
        return peer.classStats();
    }

    @Override
    public List<Deliveries> deliveries() {
        return peer.deliveries();
    }

    @Override
    public PeerCounters counters() {
        return peer.counters();
    }

    @Override
    public String id() {
        return peer.id();
    }

    @Override
    public PeerRole role() {
        return peer.role();
    }

    @Override
    public PeerState state() {
        return peer.state();
    }

    @Override
    public CellId cell() {
        return peer.cell();
    }

    @Override
    public List<String> parents() {
        return peer.parents();
    }

    @Override
    public List<String> links() {
        return peer.links();
    }

    @Override
    public List<FailureRecord> failures() {
        return peer.failures();
    }

    @Override
    public List<String> tree() {
        return peer.tree();
    }

    @Override
    public void crash() {
        peer.crash();
    }

    @Override
    public void leave() {
        peer.leave();
    }
}
