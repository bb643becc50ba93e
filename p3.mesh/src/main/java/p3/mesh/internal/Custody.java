package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import p3.mesh.CellId;
import p3.mesh.FtCounters;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * Custody of FT messages (report, Listings 5 to 7, and the sending again of Listing 8): every
 * super-peer on the path holds an FT message in its {@link PendingStore} until the acknowledgement
 * comes back down the same path, each hop passing it to the neighbour the message came from
 * (Listing 6's {@code request.GetPeer()}). What a hop holds goes up again after it rebinds, after a
 * timeout (Listing 5's owner timer), or after it took over a failed cell-mate's messages.
 *
 * <p>The client, not the root, acknowledges ({@link Acknowledgements}), because a root super-peer
 * that crashes loses what sat in its socket towards the client.
 *
 * <p>Threads: {@link #hold}, {@link #sent}, {@link #onAck} and {@link #onReplica} are on the data
 * path (the transport's threads) and never wait; the retransmission scan, resends after a rebind
 * and takeovers run on the strand. They share only the concurrent store.
 */
final class Custody implements Routing.Custodian {

    private static final System.Logger LOG = System.getLogger(Custody.class.getName());
    /** A replica nobody acknowledged for this many retransmission periods is dropped. */
    private static final int REPLICA_LIFETIMES = 10;
    /** At most this many messages sent again per scan, oldest first: no storm after a stall. */
    static final int RETRANSMIT_BURST = 256;
    /**
     * A message sent again waits twice as long each time, up to 2^this retransmission periods (8 s
     * with the runtime's 1 s). At 32 times, a message that timed out five times while a rebuild went
     * on waited half a minute on a path that worked again: too late for a real-time stream, and for
     * a client counting its losses. The burst bound, not the backoff, keeps a recovered path from a
     * flood.
     */
    static final int MAX_DOUBLINGS = 3;
    /**
     * Acknowledgement intervals a message skipped by an acknowledgement waits since it was last sent
     * before it goes again (doubling with each time): less and it may still be on its way, reordered
     * by a rebind.
     */
    static final int SKIPPED_GRACE_ACKS = 4;

    private final String self;
    private final int span;
    private final FtSettings settings;
    private final PendingStore store;
    private final Routing routing;
    private final Scheduler time;
    private final ReplicationQueue replication;
    private final StrategySelection strategies;
    private final PeerMetrics metrics;
    private final RateLimitedLog badAcks = new RateLimitedLog(LOG, 5000);
    private final RateLimitedLog fullStore = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog givenUp = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog expiredLog = new RateLimitedLog(LOG, 10_000);
    private final RoundTrip roundTrip;
    private Scheduler.Timer scan = Scheduler.Timer.NONE;

    final LongAdder acknowledged = new LongAdder();
    final LongAdder resent = new LongAdder();
    final LongAdder takenOver = new LongAdder();
    final LongAdder notHeld = new LongAdder();
    /** Held longer than a lease without an acknowledgement: its client is gone, or cut off that long. */
    final LongAdder expired = new LongAdder();
    /** A sensor's own messages given up, oldest first, to hold newer ones: lost at the source. */
    final LongAdder droppedAtSource = new LongAdder();

    Custody(String self, int span, FtSettings settings, PendingStore store, Routing routing, Scheduler time,
            ReplicationQueue replication, StrategySelection strategies, PeerMetrics metrics) {
        this.self = self;
        this.span = span;
        this.settings = settings;
        this.store = store;
        this.routing = routing;
        this.time = time;
        this.replication = replication;
        this.strategies = strategies;
        this.metrics = metrics;
        this.roundTrip = new RoundTrip(TimeUnit.MILLISECONDS.toNanos(settings.retransmitMs()), MAX_DOUBLINGS);
    }

    static boolean isFaultTolerant(Frame f) {
        return f.type() == FrameType.DATA && (f.flags() & Frame.FLAG_FAULT_TOLERANT) != 0;
    }

    /** Strand: starts Listing 5's timer, which scans a few times per retransmission period. */
    void start() {
        long period = Math.max(5, settings.retransmitMs() / 4);
        scan = time.every(period, TimeUnit.MILLISECONDS, this::retransmit);
    }

    void stop() {
        scan.cancel();
    }

    // ---------------------------------------------------------------------------------------
    // The path of an FT message: the transport's threads, never waiting

    /**
     * Super-peer: an FT message passes through; it is held until acknowledged (Listing 5). A full
     * store refuses it, and so it does not go on: the neighbour it came from holds it and sends it
     * again after its timeout, which slows the stream to what this peer can keep. Passed on unheld,
     * it would be lost by the next failure with nobody the wiser.
     *
     * @return whether it is held (now or already), and may go on
     */
    @Override
    public boolean hold(Frame f, String from) {
        // a frame read from a link lives in the transport's memory only while it is handled: the store
        // keeps an array of its own, exact in size, which no acknowledgement racing a replica can free
        Frame kept = f.copy();
        PendingStore.Entry e = store.hold(kept, from, self, self, time.nanoTime());
        if (e == null) {
            full(from);
            return false;
        }
        if (e.frame != kept) {
            return true; // held already: sent again from below, after a rebind or a timeout
        }
        replication.held(e);
        strategies.held(f.trafficClass());
        return true;
    }

    /**
     * Sensor: its own FT message, kept until acknowledged when sensor memory is on. A full memory
     * gives up its oldest message for the new one: a real-time stream values the newest, and the
     * client counts what never came as lost, from the sensor's counts.
     */
    void sent(Frame f) {
        if (!settings.sensorMemory() || !isFaultTolerant(f)) {
            return;
        }
        long now = time.nanoTime();
        while (store.hold(f, "", self, self, now) == null) {
            PendingStore.Entry oldest = store.oldest();
            if (oldest == null) {
                full("");
                return;
            }
            if (store.drop(oldest)) {
                droppedAtSource.increment();
                givenUp.log(Level.WARNING, () -> self + ": its memory of FT messages is full (" + store.bytes()
                        + " B held, at most " + settings.storeBytes() + "): gave up its oldest, " + droppedAtSource.sum()
                        + " so far; the path above holds no more");
            }
        }
    }

    /**
     * An acknowledgement passing through or arriving (Listing 6): what it covers leaves the store,
     * and it goes on to the neighbours those messages came from, else towards the origin.
     */
    @Override
    public void onAck(Frame ack, boolean fromCell) {
        FtCodec.Ack a;
        try {
            a = FtCodec.ack(ack.payload());
        } catch (ControlCodec.MalformedControlException e) {
            metrics.malformed.increment();
            badAcks.log(Level.WARNING, () -> self + ": dropped a malformed acknowledgement from " + ack.sourcePeer()
                    + ": " + e.getMessage() + " (" + metrics.malformed.sum() + " malformed so far)");
            return;
        }
        PendingStore.Stream stream = new PendingStore.Stream(ack.targetPeer(), ack.sourcePeer());
        Set<String> back = new LinkedHashSet<>(2);
        int removed = 0;
        long now = time.nanoTime();
        long measured = -1;
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
                    if (e.timeouts == 0 && self.equals(e.holder)) {
                        measured = Math.max(measured, now - e.sentNanos); // the oldest: it waited for the batch
                    }
                }
                replication.acked(new FtCodec.Acked(stream, byClass.getKey(), r.lo(i), r.hi(i)));
            }
            if (ack.targetPeer().equals(self) && r.count() > 0) {
                resendSkipped(stream, byClass.getKey(), r.hi(r.count() - 1));
            }
        }
        acknowledged.add(removed);
        if (measured >= 0) {
            roundTrip.sample(measured);
        }
        if (!ack.targetPeer().equals(self)) {
            boolean passed = false;
            for (String neighbour : back) {
                passed |= routing.sendTo(neighbour, ack);
            }
            if (!passed) {
                routing.routeOn(ack, fromCell);
            }
        }
        if (removed > 0) {
            strategies.acknowledged(removed);
        }
    }

    /**
     * At the origin: an acknowledgement of later messages skipped these, so the path works again and
     * they were lost on it; they go up at once rather than when their timer says. Seen in Test II
     * with active FT: a sensor that stayed bound while the super-peers above it rebuilt their cells
     * saw its messages time out again and again, its timer grew to 16 s, and the last ones it held
     * were still waiting when the run ended. Each such resend doubles the wait before the next, as
     * the timer does, so that a gap that stays is not sent again on every acknowledgement.
     */
    private void resendSkipped(PendingStore.Stream stream, TrafficClass cls, long highestAcked) {
        long now = time.nanoTime();
        long grace = TimeUnit.MILLISECONDS.toNanos(SKIPPED_GRACE_ACKS * (long) settings.ackIntervalMs());
        List<PendingStore.Entry> skipped = new ArrayList<>();
        for (PendingStore.Entry e : store.below(stream, cls, highestAcked)) {
            if (self.equals(e.holder) && e.from.isEmpty() && !e.removed
                    && now - e.sentNanos > grace << Math.min(e.timeouts, MAX_DOUBLINGS)) {
                e.timeouts++;
                skipped.add(e);
            }
        }
        if (!skipped.isEmpty()) {
            resend(skipped);
        }
    }

    /** A cell-mate's replica or checkpoint (Listing 7): keep its messages as held by it, drop what it says was acknowledged. */
    void onReplica(String mate, byte[] payload) {
        FtCodec.Replica r;
        try {
            r = FtCodec.replica(payload);
        } catch (ControlCodec.MalformedControlException e) {
            metrics.malformed.increment();
            badAcks.log(Level.WARNING, () -> self + ": dropped a malformed replica from " + mate + ": " + e.getMessage());
            return;
        }
        long now = time.nanoTime();
        for (FtCodec.Held h : r.held()) {
            if (store.hold(h.frame(), h.from(), mate, self, now) == null) {
                full(mate);
            }
        }
        for (FtCodec.Acked a : r.acked()) {
            store.remove(a.stream(), a.cls(), a.lo(), a.hi());
        }
    }

    private void full(String from) {
        notHeld.increment();
        fullStore.log(Level.WARNING, () -> self + ": the pending store is full (" + store.size() + " messages of at most "
                + settings.storeCapacity() + ", " + store.bytes() + " B of at most " + settings.storeBytes()
                + "): refused an FT message " + (from.isEmpty() ? "of its own" : "from " + from) + ", " + notHeld.sum()
                + " so far; what came from below is sent again from there");
    }

    // ---------------------------------------------------------------------------------------
    // Sending again, on the strand: after a rebind, after a timeout, after a takeover

    /** Bound to a new parent: what this peer holds goes up again, as the report's owner timer would. */
    void rebound() {
        resendOnNewPath(store.select(e -> self.equals(e.holder)));
    }

    /**
     * Sends again what goes up a path that changed (a new parent, a mate's or a lost cell's messages
     * taken over), with the retransmission timer started afresh: the timeouts counted so far measured
     * the path that failed. Kept, they doubled the wait on the new one too: a sensor that stayed
     * unbound for 20 s while its cell was rebuilt held messages with 16 and 32 s to wait, and when
     * the one resend after its rebind did not get through they came after the client had given up.
     */
    private int resendOnNewPath(List<PendingStore.Entry> entries) {
        for (PendingStore.Entry e : entries) {
            e.timeouts = 0;
        }
        return resend(entries);
    }

    private int resend(List<PendingStore.Entry> entries) {
        long now = time.nanoTime();
        int n = 0;
        for (PendingStore.Entry e : entries) {
            if (!e.removed) {
                e.sentNanos = now;
                routing.routeOn(e.frame, false);
                n++;
            }
        }
        resent.add(n);
        return n;
    }

    /**
     * Listing 5's timer: a held message not acknowledged in time (the {@link RoundTrip} learned
     * from acknowledgements, at least the configured period) goes up again, waiting twice as long
     * each time (up to 2^{@link #MAX_DOUBLINGS} times), and at most
     * {@link #RETRANSMIT_BURST} per scan, oldest first, so that a path that stalled under load is
     * not flooded when it recovers. Stale replicas go.
     */
    void retransmit() {
        long now = time.nanoTime();
        long stale = TimeUnit.MILLISECONDS.toNanos(settings.retransmitMs()) * REPLICA_LIFETIMES;
        long lease = TimeUnit.MILLISECONDS.toNanos(settings.leaseMs());
        List<PendingStore.Entry> late = new ArrayList<>();
        int gone = 0;
        for (PendingStore.Entry e : store.select(e -> true)) {
            if (now - e.storedNanos > lease) {
                gone += store.drop(e) ? 1 : 0;
            } else if (self.equals(e.holder)) {
                if (now - e.sentNanos > roundTrip.timeoutNanos(e.timeouts, e.sentNanos)) {
                    late.add(e);
                }
            } else if (now - e.storedNanos > stale) {
                store.drop(e);
            }
        }
        if (gone > 0) {
            expired.add(gone);
            expiredLog.log(Level.INFO, () -> self + ": gave up FT messages not acknowledged within the lease of "
                    + settings.leaseMs() + " ms, " + expired.sum() + " so far: their client is gone, or cut off");
        }
        if (late.isEmpty()) {
            return;
        }
        roundTrip.timedOut(now);
        late.sort((a, b) -> Long.compare(a.storedNanos, b.storedNanos));
        List<PendingStore.Entry> burst = late.size() > RETRANSMIT_BURST ? late.subList(0, RETRANSMIT_BURST) : late;
        for (PendingStore.Entry e : burst) {
            e.timeouts++;
        }
        resend(burst);
    }

    /** Listing 8, a cell-mate's part: this peer holds the failed mate's messages now and sends them up. */
    int takeOver(String failedMate) {
        List<PendingStore.Entry> theirs = store.select(e -> failedMate.equals(e.holder));
        for (PendingStore.Entry e : theirs) {
            e.holder = self;
            replication.held(e); // the other mates learn who holds it now
        }
        int n = resendOnNewPath(theirs);
        takenOver.add(n);
        if (n > 0) {
            LOG.log(Level.INFO, "{0}: took over {1} FT messages of {2}", self, n, failedMate);
        }
        return n;
    }

    /**
     * Listing 8, the parent's part: it takes over what it holds from a lost child cell's subtree, and
     * sends it up again.
     */
    int resendFrom(String cell) {
        CellId lost = CellId.of(cell, span);
        int n = resendOnNewPath(store.select(e -> self.equals(e.holder) && within(e.frame.sourceCell(), lost)));
        takenOver.add(n);
        if (n > 0) {
            LOG.log(Level.INFO, "{0}: took over {1} FT messages of lost cell {2}", self, n, cell);
        }
        return n;
    }

    private boolean within(String cell, CellId subtree) {
        try {
            return subtree.contains(CellId.of(cell, span));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What this peer holds itself, for a newcomer to the cell or a strategy starting. */
    List<PendingStore.Entry> ownEntries() {
        return store.select(e -> self.equals(e.holder));
    }

    /** This peer's figures, with the strategy's name and what the replication queue sent. */
    FtCounters counters(String strategy, ReplicationQueue replication) {
        return new FtCounters(strategy, store.size(), store.bytes(), replication.replicaMessages.sum(),
                replication.replicaBytes.sum(), acknowledged.sum(), resent.sum(), takenOver.sum(), notHeld.sum(),
                expired.sum(), droppedAtSource.sum(),
                TimeUnit.NANOSECONDS.toMillis(roundTrip.timeoutNanos(0, time.nanoTime())));
    }
}
