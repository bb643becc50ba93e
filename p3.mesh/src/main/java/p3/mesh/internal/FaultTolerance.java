package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import p3.mesh.CellId;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.spi.FtCell;
import p3.mesh.spi.FtPolicy;
import p3.mesh.spi.FtStrategy;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * A peer's fault tolerance (report, Listings 5 to 8), the part that belongs to the mesh: the
 * pending store, custody of FT messages until the acknowledgement comes back down, the client's
 * acknowledgements, sending held messages again after a rebind or a timeout, the replicas of the
 * cell-mates, and which strategy is in use. The strategy only decides when the store's changes go
 * to the cell and who takes over after a failure.
 *
 * <p>An FT message is held at every hop until the client has it: the client acknowledges to the
 * root super-peer it came through, and each hop passes the acknowledgement to the neighbour the
 * message came from (Listing 6), so it retraces the message's path. The client, not the root,
 * acknowledges, because a root super-peer that crashes loses what sat in its socket towards the
 * client.
 *
 * <p>Threads: {@link #hold}, {@link #sent}, {@link #arrived} and {@link #onAck} run on the
 * transport's event loops and never wait. Replicas are sent, and timers run, on the peer's FT
 * thread, because a group send may wait for flow-control credits.
 */
final class FaultTolerance implements FtCell {

    private static final System.Logger LOG = System.getLogger(FaultTolerance.class.getName());
    /** The order in which a missing strategy is stood in for: the safest first. */
    private static final List<String> FALLBACK = List.of("active", "hybrid", "passive");
    /** A replica nobody acknowledged for this many retransmission periods is dropped. */
    private static final int REPLICA_LIFETIMES = 10;
    /** At most this many messages sent again per scan, oldest first: no storm after a stall. */
    private static final int RETRANSMIT_BURST = 256;
    /** Replicas are cut into group messages of about this many bytes. */
    private static final int REPLICA_BATCH_BYTES = 256 * 1024;

    /** What fault tolerance needs of its peer beyond what the peer shows as a {@link MeshPeer}. */
    interface Mesh {
        int span();

        /** Sends a frame on from here (Listing 4), without holding it again. */
        boolean forward(Frame f, boolean fromCell);

        /** Sends a frame to one neighbour: a child or a parent over its link, a cell-mate through the group. */
        boolean sendTo(String neighbour, Frame f);

        /** Sends bytes to the cell; false when the peer is alone or in no cell. */
        boolean sendCell(byte[] payload);

        /** The cell's members, coordinator first. */
        List<String> mates();
    }

    private final MeshPeer peer;
    private final Mesh mesh;
    private final String self;
    private volatile FtSettings settings;
    private final PendingStore store;
    private final ScheduledExecutorService thread;

    private final Map<String, FtStrategy> strategies = new ConcurrentHashMap<>();
    private volatile FtStrategy strategy;
    private volatile FtPolicy policy;
    /** Crashed or left: no strategy attaches any more. */
    private volatile boolean stopped;

    /** Changes to send to the cell, while a strategy is in use. */
    private volatile boolean recording;
    private final ConcurrentLinkedQueue<PendingStore.Entry> newlyHeld = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FtCodec.Acked> newlyAcked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unreplicated = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** Client: acknowledgements not sent yet, by the parent they go to and the stream. */
    private final Map<AckRoute, Map<TrafficClass, Ranges>> acks = new HashMap<>();
    /** Orders to change strategy that travelled the tree, so that each is obeyed and passed on once. */
    private final Set<Long> orders = ConcurrentHashMap.newKeySet();

    private final LongAdder replicaMessages = new LongAdder();
    private final LongAdder replicaBytes = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder resent = new LongAdder();
    private final LongAdder takenOver = new LongAdder();
    private final LongAdder notHeld = new LongAdder();
    final LongAdder malformed = new LongAdder();

    private record AckRoute(String parent, String origin, String originCell) {
    }

    FaultTolerance(MeshPeer peer, Mesh mesh, FtSettings settings) {
        this.peer = peer;
        this.mesh = mesh;
        this.self = peer.id();
        this.settings = settings;
        this.store = new PendingStore(settings.storeCapacity());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p3-ft-" + self);
            t.setDaemon(true);
            return t;
        });
        long scan = Math.max(5, settings.retransmitMs() / 4);
        thread.scheduleWithFixedDelay(this::retransmit, scan, scan, TimeUnit.MILLISECONDS);
        if (peer.role() == PeerRole.CLIENT) {
            thread.scheduleWithFixedDelay(this::flushAcks, settings.ackIntervalMs(), settings.ackIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    static boolean isFaultTolerant(Frame f) {
        return f.type() == FrameType.DATA && (f.flags() & Frame.FLAG_FAULT_TOLERANT) != 0;
    }

    // ---------------------------------------------------------------------------------------
    // The path of an FT message: event loops, never waiting

    /** Super-peer: an FT message passes through; it is held until acknowledged (Listing 5). */
    void hold(Frame f, String from) {
        PendingStore.Entry e = store.hold(f, from, self, self);
        if (e == null) {
            full();
            return;
        }
        if (e.frame != f) {
            return; // held already: sent again from below, after a rebind or a timeout
        }
        FtPolicy p = policy;
        if (recording) {
            newlyHeld.add(e);
            unreplicated.incrementAndGet();
        }
        if (p != null) {
            try {
                p.held(f.trafficClass().id());
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + strategyName() + " failed on a held message", x);
            }
        }
    }

    /** Sensor: its own FT message, kept until acknowledged when sensor memory is on. */
    void sent(Frame f) {
        if (settings.sensorMemory() && isFaultTolerant(f) && store.hold(f, "", self, self) == null) {
            full();
        }
    }

    /** Client: an FT message arrived through a parent (new or again): acknowledge it, in the next batch. */
    void arrived(Frame f, String parent) {
        AckRoute route = new AckRoute(parent, f.sourcePeer(), f.sourceCell());
        synchronized (acks) {
            acks.computeIfAbsent(route, k -> new EnumMap<>(TrafficClass.class))
                    .computeIfAbsent(f.trafficClass(), k -> new Ranges()).add(f.sequence());
        }
    }

    /**
     * An acknowledgement passing through or arriving (Listing 6): what it covers leaves the store,
     * and it goes on to the neighbours those messages came from, else towards the origin.
     */
    void onAck(Frame ack, boolean fromCell) {
        FtCodec.Ack a;
        try {
            a = FtCodec.ack(ack.payload());
        } catch (ControlCodec.MalformedControlException e) {
            malformed.increment();
            LOG.log(Level.WARNING, "{0}: dropped a malformed acknowledgement from {1}: {2}", self, ack.sourcePeer(),
                    e.getMessage());
            return;
        }
        PendingStore.Stream stream = new PendingStore.Stream(ack.targetPeer(), ack.sourcePeer());
        Set<String> back = new LinkedHashSet<>(2);
        int removed = 0;
        for (Map.Entry<TrafficClass, Ranges> byClass : a.ranges().entrySet()) {
            Ranges r = byClass.getValue();
            for (int i = 0; i < r.count(); i++) {
                List<PendingStore.Entry> gone = store.remove(stream, byClass.getKey(), r.lo(i), r.hi(i));
                if (gone.isEmpty()) {
                    continue;
                }
                removed += gone.size();
                for (PendingStore.Entry e : gone) {
                    if (!e.from.isEmpty()) {
                        back.add(e.from);
                    }
                }
                if (recording) {
                    newlyAcked.add(new FtCodec.Acked(stream, byClass.getKey(), r.lo(i), r.hi(i)));
                    unreplicated.incrementAndGet();
                }
            }
        }
        acknowledged.add(removed);
        if (!ack.targetPeer().equals(self)) {
            boolean passed = false;
            for (String neighbour : back) {
                passed |= mesh.sendTo(neighbour, ack);
            }
            if (!passed) {
                mesh.forward(ack, fromCell);
            }
        }
        FtPolicy p = policy;
        if (removed > 0 && p != null) {
            try {
                p.acknowledged(removed);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + strategyName() + " failed on an acknowledgement", x);
            }
        }
    }

    /** A cell-mate's replica or checkpoint: keep its messages as held by it, drop what it says was acknowledged. */
    void onReplica(String mate, byte[] payload) {
        FtCodec.Replica r;
        try {
            r = FtCodec.replica(payload);
        } catch (ControlCodec.MalformedControlException e) {
            malformed.increment();
            LOG.log(Level.WARNING, "{0}: dropped a malformed replica from {1}: {2}", self, mate, e.getMessage());
            return;
        }
        for (FtCodec.Held h : r.held()) {
            if (store.hold(h.frame(), h.from(), mate, self) == null) {
                full();
            }
        }
        for (FtCodec.Acked a : r.acked()) {
            store.remove(a.stream(), a.cls(), a.lo(), a.hi());
        }
    }

    private void full() {
        notHeld.increment();
        long n = notHeld.sum();
        if (n == 1 || n % 10_000 == 0) {
            LOG.log(Level.WARNING, "{0}: the pending store is full ({1} messages): {2} FT messages forwarded unheld",
                    self, settings.storeCapacity(), n);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Sending again: after a rebind, after a timeout, after a takeover

    /** Bound to a new parent: what this peer holds goes up again, as the report's owner timer would. */
    void rebound() {
        run(() -> resend(store.select(e -> self.equals(e.holder))));
    }

    private int resend(List<PendingStore.Entry> entries) {
        long now = System.nanoTime();
        int n = 0;
        for (PendingStore.Entry e : entries) {
            if (!e.removed) {
                e.sentNanos = now;
                mesh.forward(e.frame, false);
                n++;
            }
        }
        resent.add(n);
        return n;
    }

    /**
     * Listing 5's timer: a held message not acknowledged in time goes up again, waiting twice as
     * long each time (up to 32 times), and at most {@link #RETRANSMIT_BURST} per scan, oldest
     * first, so that a path that stalled under load is not flooded when it recovers. Stale
     * replicas go.
     */
    private void retransmit() {
        long now = System.nanoTime();
        long due = TimeUnit.MILLISECONDS.toNanos(settings.retransmitMs());
        long stale = due * REPLICA_LIFETIMES;
        List<PendingStore.Entry> late = new ArrayList<>();
        for (PendingStore.Entry e : store.select(e -> true)) {
            if (self.equals(e.holder)) {
                if (now - e.sentNanos > due << Math.min(e.timeouts, 5)) {
                    late.add(e);
                }
            } else if (now - e.storedNanos > stale) {
                store.drop(e);
            }
        }
        if (late.isEmpty()) {
            return;
        }
        late.sort((a, b) -> Long.compare(a.storedNanos, b.storedNanos));
        List<PendingStore.Entry> burst = late.size() > RETRANSMIT_BURST ? late.subList(0, RETRANSMIT_BURST) : late;
        for (PendingStore.Entry e : burst) {
            e.timeouts++;
        }
        resend(burst);
    }

    @Override
    public int takeOver(String failedMate) {
        List<PendingStore.Entry> theirs = store.select(e -> failedMate.equals(e.holder));
        for (PendingStore.Entry e : theirs) {
            e.holder = self;
            if (recording) {
                newlyHeld.add(e); // the other mates learn who holds it now
                unreplicated.incrementAndGet();
            }
        }
        int n = resend(theirs);
        takenOver.add(n);
        if (n > 0) {
            LOG.log(Level.INFO, "{0}: took over {1} FT messages of {2}", self, n, failedMate);
        }
        return n;
    }

    @Override
    public int resendFrom(String cell) {
        CellId lost = CellId.of(cell, mesh.span());
        return resend(store.select(e -> self.equals(e.holder) && within(e.frame.sourceCell(), lost)));
    }

    private boolean within(String cell, CellId subtree) {
        try {
            return subtree.contains(CellId.of(cell, mesh.span()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------
    // The cell, for the strategy

    @Override
    public String peerId() {
        return self;
    }

    @Override
    public List<String> members() {
        return mesh.mates();
    }

    @Override
    public void replicate() {
        if (draining.compareAndSet(false, true)) {
            run(this::drain);
        }
    }

    @Override
    public void replicateWithin(long micros) {
        if (micros <= 0) {
            replicate();
        } else if (draining.compareAndSet(false, true)) {
            try {
                thread.schedule(this::drain, micros, TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException e) {
                // stopped
            }
        }
    }

    @Override
    public int unreplicated() {
        return unreplicated.get();
    }

    /** Sends the changes queued so far; those queued meanwhile wait for the next call. */
    private void drain() {
        draining.set(false);
        List<FtCodec.Held> held = new ArrayList<>();
        List<FtCodec.Acked> acked = new ArrayList<>();
        int bytes = 0;
        PendingStore.Entry e;
        while ((e = newlyHeld.poll()) != null) {
            unreplicated.decrementAndGet();
            if (!e.removed && self.equals(e.holder)) {
                held.add(new FtCodec.Held(e.frame, e.from));
                bytes += e.frame.payload().length + 96;
                if (bytes >= REPLICA_BATCH_BYTES) {
                    sendReplica(held, acked);
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
            sendReplica(held, acked);
        }
    }

    private void sendReplica(List<FtCodec.Held> held, List<FtCodec.Acked> acked) {
        byte[] bytes = FtCodec.replica(held, acked);
        if (mesh.sendCell(bytes)) {
            replicaMessages.increment();
            replicaBytes.add(bytes.length);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Events of the cell and the tree, on the peer's loop

    void viewChanged(List<String> members, List<String> gone, List<String> joined) {
        if (recording && !joined.isEmpty() && members.size() > 1) {
            queueSnapshot(); // a newcomer has none of what this peer holds
        }
        FtPolicy p = policy;
        if (p != null && (!gone.isEmpty() || !joined.isEmpty())) {
            try {
                p.viewChanged(members, gone);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + strategyName() + " failed on a view change", x);
            }
        }
    }

    void suspected(String mate) {
        FtPolicy p = policy;
        if (p != null) {
            try {
                p.suspected(mate);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + strategyName() + " failed on a suspicion", x);
            }
        }
    }

    void childCellLost(CellId cell) {
        FtPolicy p = policy;
        if (p != null) {
            try {
                p.childCellLost(cell.toString());
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + strategyName() + " failed on a lost cell", x);
            }
        }
    }

    private void queueSnapshot() {
        for (PendingStore.Entry e : store.select(x -> self.equals(x.holder))) {
            newlyHeld.add(e);
            unreplicated.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Client acknowledgements, on the FT thread

    private void flushAcks() {
        Map<AckRoute, Map<TrafficClass, Ranges>> due;
        synchronized (acks) {
            if (acks.isEmpty()) {
                return;
            }
            due = new HashMap<>(acks);
            acks.clear();
        }
        CellId mine = peer.cell();
        String cell = mine == null ? "" : mine.toString();
        for (Map.Entry<AckRoute, Map<TrafficClass, Ranges>> e : due.entrySet()) {
            AckRoute r = e.getKey();
            Frame ack = new Frame(FrameType.ACK, TrafficClass.MESH, 0, self, cell, r.origin(), r.originCell(), 0,
                    System.nanoTime(), FtCodec.ack(e.getValue()));
            if (!mesh.sendTo(r.parent(), ack)) {
                mesh.forward(ack, false); // that parent is gone: any other finds the way
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Strategies

    void strategyAdded(FtStrategy s) {
        strategies.put(s.name(), s);
        reselect();
    }

    void strategyRemoved(FtStrategy s) {
        strategies.remove(s.name(), s);
        reselect();
    }

    /** Prefers a strategy from now on. */
    void use(String name) {
        settings = settings.withStrategy(name);
        reselect();
    }

    /** An order that travelled the tree: obeyed once. @return whether it is new */
    boolean firstTime(long order) {
        return orders.add(order);
    }

    String strategyName() {
        FtStrategy s = strategy;
        return s == null ? "none" : s.name();
    }

    /** The preferred strategy if it is there, else the first there of {@link #FALLBACK}, else any. */
    private FtStrategy choose() {
        FtStrategy s = strategies.get(settings.strategy());
        if (s != null) {
            return s;
        }
        for (String name : FALLBACK) {
            s = strategies.get(name);
            if (s != null) {
                return s;
            }
        }
        Map<String, FtStrategy> sorted = new TreeMap<>(strategies);
        return sorted.isEmpty() ? null : sorted.values().iterator().next();
    }

    /**
     * Puts the chosen strategy in place. The new policy is in place before the old one detaches,
     * so that every held message is seen by one of them; the changes not sent yet stay queued in
     * the mesh for the new one.
     */
    private synchronized void reselect() {
        if (stopped || peer.role() != PeerRole.SUPER) {
            return;
        }
        FtStrategy next = choose();
        FtStrategy was = strategy;
        if (next == was) {
            return;
        }
        FtPolicy old = policy;
        FtPolicy attached = null;
        if (next != null) {
            if (!recording) {
                recording = true;
                queueSnapshot(); // the cell has nothing of what was held while no strategy ran
            }
            try {
                attached = next.attach(this);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + next.name() + " failed to attach", x);
            }
        }
        policy = attached;
        strategy = attached == null ? null : next;
        if (attached == null) {
            recording = false;
            newlyHeld.clear();
            newlyAcked.clear();
            unreplicated.set(0);
        }
        if (old != null) {
            try {
                old.detach();
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, () -> self + ": strategy " + (was == null ? "?" : was.name()) + " failed to detach", x);
            }
        }
        LOG.log(Level.INFO, "{0}: fault tolerance {1} -> {2}", self, was == null ? "none" : was.name(), strategyName());
    }

    FtCounters counters() {
        String name = switch (peer.role()) {
        case SUPER -> strategyName();
        case SENSOR -> settings.sensorMemory() ? "memory" : "no memory";
        case CLIENT -> "-";
        };
        return new FtCounters(name, store.size(), replicaMessages.sum(), replicaBytes.sum(), acknowledged.sum(),
                resent.sum(), takenOver.sum(), notHeld.sum());
    }

    /** Stops the FT thread: after a crash nothing more leaves, after a leave nothing more is due. */
    void stop() {
        FtPolicy p;
        synchronized (this) {
            stopped = true;
            p = policy;
        }
        policy = null;
        strategy = null;
        thread.shutdownNow();
        if (p != null) {
            try {
                p.detach();
            } catch (RuntimeException x) {
                LOG.log(Level.DEBUG, "{0}: detach on stop failed: {1}", self, x.toString());
            }
        }
    }

    private void run(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            // stopped
        }
    }
}
