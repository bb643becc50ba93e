package p3.mesh;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A running peer of the mesh, as the other bundles and the shell see it. */
@ProviderType
public interface MeshPeer {

    /** The factory PID of a peer's configuration: one configuration, one peer. @since 1.2 */
    String FACTORY_PID = "p3.mesh.peer";

    String id();

    PeerRole role();

    PeerState state();

    /** Its cell, or {@code null} while it has none. */
    CellId cell();

    /** The peers it is bound to upwards (one parent; every root super-peer for a client). */
    List<String> parents();

    /** Its links, one line each: direction, peer, class, address. */
    List<String> links();

    /** The failures it saw, oldest first. */
    List<FailureRecord> failures();

    /**
     * The tree as this peer knows it: the whole tree on a root super-peer, its subtree elsewhere.
     * One line per peer: cell, peer, role, parent.
     */
    List<String> tree();

    /**
     * Client: asks every sensor of the mesh for a class of data ({@code audio}, {@code video} or
     * {@code event}) with that QoS.
     */
    void requestAll(String trafficClass, Qos qos);

    /** Sensor: stops its sources and reports their final counts to the clients. Others: nothing. */
    void stopSources();

    /** Client: latency is measured from now on (after a warm-up); the counts go on. Others: nothing. @since 1.2 */
    void restartLatency();

    /** Client: what arrived of each class so far. Empty on other peers. */
    List<ClassStats> classStats();

    /** Client: what it delivered of each class, for a checker (lost, twice, out of order, delays). Empty on other peers. @since 1.5 */
    List<Deliveries> deliveries();

    PeerCounters counters();

    /** Its strand, the serial executor that owns its state: queue depth, tasks run and failed, stalls. @since 1.2 */
    StrandStats strand();

    /** Its fault tolerance: strategy in use, pending store, replication. */
    FtCounters ft();

    /**
     * A super-peer: prefer this fault-tolerance strategy from now on (it is used as soon as its
     * bundle's service is there). Other peers ignore it.
     *
     * @throws IllegalArgumentException when the name is not a strategy's name
     */
    void useFtStrategy(String name);

    /** Like {@link #useFtStrategy}, on every peer of the mesh: the order travels the tree. */
    void useFtStrategyEverywhere(String name);

    /** Stops without a goodbye on any link or group: a crash, as the others see it. */
    void crash();

    /** Leaves with a goodbye: the cell and the parent are told. */
    void leave();
}
