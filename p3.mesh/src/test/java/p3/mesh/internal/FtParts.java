package p3.mesh.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * The fault-tolerance parts of one super-peer, wired as {@link Peer} wires them, for unit tests:
 * sp-a in cell 01 under sp-root, with the child sp-x (cell 011) and a recording cell group. Its
 * strand runs on a pool that the test turns by hand ({@link #turn()}), so that a test sees what
 * waits for the strand and what does not; its time is virtual.
 */
final class FtParts {

    static final String SELF = "sp-a";
    static final int RETRANSMIT_MS = 100;

    private final Queue<Runnable> pool = new ArrayDeque<>();
    final Strand strand = new Strand(SELF, pool::add, 1 << 16);
    final ManualScheduler time = new ManualScheduler(strand);
    final PeerMetrics metrics = new PeerMetrics();
    final Binding parent = Neighbours.binding("sp-root", "0");
    final Child child = Neighbours.child("sp-x", PeerRole.SUPER, "011", SELF);
    final RecordingCellGroup group;
    final Routing routing;
    final PendingStore store;
    final ReplicationQueue replication;
    final StrategySelection strategies;
    final Custody custody;

    FtParts(PeerRole role, String preferred, List<String> members) {
        FtSettings settings = new FtSettings(preferred, true, RETRANSMIT_MS, 25, 1000, FtSettings.STORE_BYTES, 30_000);
        group = new RecordingCellGroup(SELF, members);
        routing = new Routing(SELF, role, 2, new ControlCodec(2), metrics, (f, from) -> {
        });
        store = new PendingStore(settings.storeCapacity(), settings.storeBytes());
        replication = new ReplicationQueue(SELF, strand, time, routing::table);
        strategies = new StrategySelection(SELF, role, settings.strategy(), replication);
        custody = new Custody(SELF, 2, settings, store, routing, time, replication, strategies, metrics);
        replication.custody(custody);
        routing.custodian(custody);
        routing.update(t -> t.withCell(CellId.of("01", 2)).withUplinks(List.of(parent))
                .withChildren(Map.of(child.peer, child)).withCellGroup(group, members));
    }

    FtParts(String preferred) {
        this(PeerRole.SUPER, preferred, List.of(SELF, "sp-b"));
    }

    /** Runs what waits for the strand, and what that gives it, until nothing does. @return tasks run */
    int turn() {
        int n = 0;
        Runnable r;
        while ((r = pool.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    static Frame ft(long seq) {
        return new Frame(FrameType.DATA, TrafficClass.EVENT, Frame.FLAG_FAULT_TOLERANT, "sensor-1", "011", "client",
                "0", seq, 0, new byte[] { (byte) seq });
    }

    /** An FT frame from the child, as the data path gives it. */
    void fromChild(long seq) {
        routing.route(ft(seq), child.peer, false);
    }

    /** The client's acknowledgement of {@code [lo, hi]}, arriving from the parent. */
    void ackFromParent(long lo, long hi) {
        Map<TrafficClass, Ranges> m = new java.util.EnumMap<>(TrafficClass.class);
        m.put(TrafficClass.EVENT, FtCodecTest.ranges(lo, hi));
        routing.route(new Frame(FrameType.ACK, TrafficClass.MESH, 0, "client", "0", "sensor-1", "011", 0, 0,
                FtCodec.ack(m)), parent.peer(), false);
    }

    /** The replicas offered to the cell, decoded. */
    List<FtCodec.Replica> replicas() {
        return group.toAll().stream().map(FtCodec::replica).toList();
    }
}
