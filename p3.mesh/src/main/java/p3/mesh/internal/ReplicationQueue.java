package p3.mesh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import p3.mesh.spi.FtCell;
import p3.transport.CellGroup;

/**
 * The replication queue behind {@link FtCell} (report, Listing 5's {@code cell.SendMessage} and
 * Listing 7's stored requests): the changes of this super-peer's pending store (messages held,
 * ranges acknowledged) wait here until the strategy says they go to the cell. State in the mesh,
 * policy in the strategy: what is queued survives a swap of strategies.
 *
 * <p>The data path queues from the transport's threads; a replica is built and offered to the cell
 * group on the strand, and the group's own threads send it, so nobody waits for flow control.
 */
final class ReplicationQueue implements FtCell {

    /** Replicas are cut into group messages of about this many bytes. */
    private static final int REPLICA_BATCH_BYTES = 256 * 1024;

    private final String self;
    private final Strand strand;
    private final Scheduler time;
    private final Supplier<RoutingTable> table;
    private Custody custody;
    /** Changes are queued only while a strategy is attached: without one nothing would send them. */
    private volatile boolean recording;
    private final ConcurrentLinkedQueue<PendingStore.Entry> newlyHeld = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FtCodec.Acked> newlyAcked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unreplicated = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    final LongAdder replicaMessages = new LongAdder();
    final LongAdder replicaBytes = new LongAdder();

    ReplicationQueue(String self, Strand strand, Scheduler time, Supplier<RoutingTable> table) {
        this.self = self;
        this.strand = strand;
        this.time = time;
        this.table = table;
    }

    /** The custody whose messages a takeover sends again; given once while the peer is built. */
    void custody(Custody c) {
        this.custody = c;
    }

    // ---------------------------------------------------------------------------------------
    // Changes, from any thread

    void held(PendingStore.Entry e) {
        if (recording) {
            newlyHeld.add(e);
            unreplicated.incrementAndGet();
        }
    }

    void acked(FtCodec.Acked a) {
        if (recording) {
            newlyAcked.add(a);
            unreplicated.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Strand: a strategy attaches or detaches; a newcomer joins the cell

    /** A strategy is attached: from now on changes are queued, starting with all this peer holds. */
    void startRecording() {
        if (!recording) {
            recording = true;
            snapshot();
        }
    }

    /** No strategy any more: nothing is queued, and what was is dropped. */
    void stopRecording() {
        recording = false;
        newlyHeld.clear();
        newlyAcked.clear();
        unreplicated.set(0);
    }

    /** A newcomer has none of what this peer holds: all of it is queued again. */
    void snapshot() {
        if (!recording) {
            return;
        }
        for (PendingStore.Entry e : custody.ownEntries()) {
            newlyHeld.add(e);
            unreplicated.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------
    // FtCell: what the strategy may do

    @Override
    public String peerId() {
        return self;
    }

    @Override
    public List<String> members() {
        return table.get().mates();
    }

    @Override
    public void replicate() {
        if (draining.compareAndSet(false, true)) {
            strand.execute(this::drain);
        }
    }

    @Override
    public void replicateWithin(long micros) {
        if (micros <= 0) {
            replicate();
        } else if (draining.compareAndSet(false, true)) {
            time.after(micros, TimeUnit.MICROSECONDS, this::drain);
        }
    }

    @Override
    public int unreplicated() {
        return unreplicated.get();
    }

    @Override
    public int takeOver(String failedMate) {
        return custody.takeOver(failedMate);
    }

    @Override
    public int resendFrom(String cell) {
        return custody.resendFrom(cell);
    }

    /** Strand: sends the changes queued so far; those queued meanwhile wait for the next call. */
    private void drain() {
        draining.set(false);
        List<PendingStore.Entry> held = new ArrayList<>();
        List<FtCodec.Acked> acked = new ArrayList<>();
        int bytes = 0;
        PendingStore.Entry e;
        while ((e = newlyHeld.poll()) != null) {
            unreplicated.decrementAndGet();
            if (!e.removed && self.equals(e.holder)) {
                held.add(e);
                bytes += e.frame.payloadLength() + 96;
                if (bytes >= REPLICA_BATCH_BYTES) {
                    send(held, List.of());
                    held = new ArrayList<>();
                    bytes = 0;
                }
            }
        }
        FtCodec.Acked a;
        while ((a = newlyAcked.poll()) != null) {
            unreplicated.decrementAndGet();
            acked.add(a);
        }
        if (!held.isEmpty() || !acked.isEmpty()) {
            send(held, acked);
        }
    }

    private void send(List<PendingStore.Entry> held, List<FtCodec.Acked> acked) {
        RoutingTable t = table.get();
        CellGroup g = t.group();
        if (g == null || t.mates().size() < 2) {
            return; // alone in the cell: nobody to keep a replica
        }
        List<FtCodec.Held> replica = new ArrayList<>(held.size());
        for (PendingStore.Entry e : held) {
            replica.add(new FtCodec.Held(e.frame, e.from));
        }
        byte[] bytes = FtCodec.replica(replica, acked);
        if (g.offer(bytes)) {
            replicaMessages.increment();
            replicaBytes.add(bytes.length);
        } else if (recording) {
            // refused (the group's queue is full): the changes wait for the next call instead of being lost
            newlyHeld.addAll(held);
            newlyAcked.addAll(acked);
            unreplicated.addAndGet(held.size() + acked.size());
        }
    }
}
