package p3.bench.mesh;

import java.util.List;
import java.util.Map;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.FtMode;

/**
 * A mesh of the report's shape under the bench's hands, whatever isolates its peers: all in this
 * JVM ({@code inproc}) or one process each ({@code process}). Times are {@link System#nanoTime()},
 * which the processes of one host share.
 */
interface MeshSystem extends AutoCloseable {

    /** Starts the super-peers one by one, then the sensors, then the client; returns once all are bound. */
    void form() throws Exception;

    /** The client asks every sensor for every class, fault-tolerant as the mode says. */
    void request(FtMode mode) throws Exception;

    /**
     * The super-peers of each cell as the mesh formed, by cell: the busiest first (most children
     * bound to it), then by id, so that a fault can be put on a path that carries traffic.
     */
    Map<String, List<String>> superPeersByCell() throws Exception;

    /** Crashes a peer without a goodbye. @return when */
    long crash(String peer) throws Exception;

    /** Every super-peer uses this strategy from now on. */
    void useStrategy(String name) throws Exception;

    /** The client measures latency from now on. */
    void restartLatency() throws Exception;

    /** Every sensor stops its sources and reports its final counts. */
    void stopSources() throws Exception;

    List<ClassStats> clientStats() throws Exception;

    /** The failures every live peer saw. */
    List<FailureRecord> failures() throws Exception;

    /** What every peer sent, and the CPU and heap they use. */
    Totals totals() throws Exception;

    /**
     * The live threads of the mesh's JVM by who made them, and the cell channels open; null where the
     * bench cannot see the peers' threads (one process per peer).
     */
    default RunResult.Threads threads() throws Exception {
        return null;
    }

    /**
     * Heap in use after a full GC, in MB, of the JVM that hosts the peers; null where the bench cannot
     * collect the peers' heap (one process per peer).
     */
    default Double heapAfterGcMb() throws Exception {
        return null;
    }

    /** Each live peer's resident memory in MB, by peer; null where the peers share the bench's JVM. */
    default Map<String, Double> residentMb() throws Exception {
        return null;
    }

    /** Sums over the peers, at one moment. */
    record Totals(long controlBytes, long controlMessages, long payloadBytes, long payloadMessages,
            long replicaBytes, long replicaMessages, double cpuSeconds, double heapMb) {
    }
}
