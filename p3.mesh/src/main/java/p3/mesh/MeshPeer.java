package p3.mesh;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A running peer of the mesh, as the other bundles and the shell see it. */
@ProviderType
public interface MeshPeer {

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

    /** Client: what arrived of each class so far. Empty on other peers. */
    List<ClassStats> classStats();

    PeerCounters counters();

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
