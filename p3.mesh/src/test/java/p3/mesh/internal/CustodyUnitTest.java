package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * Custody of FT messages on one super-peer (Listings 5 to 8), with a real {@link Routing} over
 * recording links and virtual time: what is held, where acknowledgements go, and what is sent
 * again when.
 *
 * <p>This super-peer, sp-a, is in cell 01 under sp-root; its children are sp-x and sp-x2 (cell
 * 011), sp-z (cell 012) and sensor-y (a sensor of cell 01); sp-b is its cell-mate.
 */
class CustodyUnitTest {

    static final String SELF = "sp-a";
    static final String MATE = "sp-b";
    static final int RETRANSMIT_MS = 100;
    static final FtSettings SETTINGS = new FtSettings("hybrid", true, RETRANSMIT_MS, 25, 1000, FtSettings.STORE_BYTES,
            30_000);

    final Strand strand = ManualScheduler.inlineStrand(SELF);
    final ManualScheduler time = new ManualScheduler(strand);
    final PeerMetrics metrics = new PeerMetrics();
    final List<Frame> delivered = new ArrayList<>();
    final Binding root = Neighbours.binding("sp-root", "0");
    final Child x = Neighbours.child("sp-x", PeerRole.SUPER, "011", SELF);
    final Child x2 = Neighbours.child("sp-x2", PeerRole.SUPER, "011", SELF);
    final Child z = Neighbours.child("sp-z", PeerRole.SUPER, "012", SELF);
    final Child sensorY = Neighbours.child("sensor-y", PeerRole.SENSOR, "01", SELF);

    Routing routing;
    PendingStore store;
    Custody custody;

    CustodyUnitTest() {
        build(PeerRole.SUPER, SETTINGS);
    }

    private void build(PeerRole role, FtSettings settings) {
        routing = new Routing(SELF, role, 2, new ControlCodec(2), metrics, (f, from) -> delivered.add(f));
        store = new PendingStore(settings.storeCapacity(), settings.storeBytes());
        ReplicationQueue replication = new ReplicationQueue(SELF, strand, time, routing::table);
        StrategySelection strategies = new StrategySelection(SELF, role, settings.strategy(), replication);
        custody = new Custody(SELF, 2, settings, store, routing, time, replication, strategies, metrics);
        replication.custody(custody);
        routing.custodian(custody);
        if (role == PeerRole.SUPER) {
            routing.update(t -> t.withCell(CellId.of("01", 2)).withUplinks(List.of(root))
                    .withChildren(Map.of(x.peer, x, x2.peer, x2, z.peer, z, sensorY.peer, sensorY)));
        } else {
            routing.update(t -> t.withCell(CellId.of("011", 2)).withUplinks(List.of(root)));
        }
    }

    static Frame ft(String origin, String originCell, TrafficClass cls, long seq) {
        return new Frame(FrameType.DATA, cls, Frame.FLAG_FAULT_TOLERANT, origin, originCell, "client", "0", seq, 0,
                new byte[] { (byte) seq });
    }

    static Frame ft(long seq) {
        return ft("sensor-1", "011", TrafficClass.EVENT, seq);
    }

    static Frame ack(String origin, String originCell, TrafficClass cls, long lo, long hi) {
        Map<TrafficClass, Ranges> m = new EnumMap<>(TrafficClass.class);
        m.put(cls, FtCodecTest.ranges(lo, hi));
        return new Frame(FrameType.ACK, TrafficClass.MESH, 0, "client", "0", origin, originCell, 0, 0, FtCodec.ack(m));
    }

    private List<Frame> up(TrafficClass cls) {
        return Neighbours.link(root, cls).sent;
    }

    private List<Frame> upEvents() {
        return up(TrafficClass.EVENT);
    }

    private static List<Long> sequences(List<Frame> frames) {
        return frames.stream().map(Frame::sequence).toList();
    }

    /** A mate's replica of what it holds, as the cell group hands it over. */
    private void replicaFrom(String mate, Frame... frames) {
        List<FtCodec.Held> held = new ArrayList<>();
        for (Frame f : frames) {
            held.add(new FtCodec.Held(f, "sp-x"));
        }
        custody.onReplica(mate, FtCodec.replica(held, List.of()));
    }

    // ---------------------------------------------------------------------------------------
    // The path up, and acknowledgements down (Listings 5 and 6)

    @Test
    void anFtFrameFromAChildIsHeldAndForwardedUp() {
        Frame f = ft(1);
        assertThat(routing.route(f, x.peer, false)).isTrue();

        assertThat(upEvents()).containsExactly(f);
        List<PendingStore.Entry> held = store.select(e -> true);
        assertThat(held).hasSize(1);
        assertThat(held.get(0).frame).isSameAs(f);
        assertThat(held.get(0).from).isEqualTo(x.peer);
        assertThat(held.get(0).holder).isEqualTo(SELF);

        Frame plain = Frame.data(TrafficClass.EVENT, "sensor-1", "011", "client", "0", 2, new byte[1]);
        routing.route(plain, x.peer, false);
        assertThat(upEvents()).containsExactly(f, plain);
        assertThat(store.size()).as("a frame that asked for no fault tolerance is not held").isEqualTo(1);
    }

    @Test
    void theSameMessageSentAgainFromBelowIsHeldOnceAndForwardedAgain() {
        routing.route(ft(1), x.peer, false);
        routing.route(ft(1), x.peer, false); // the child's own retransmission
        assertThat(store.size()).isEqualTo(1);
        assertThat(upEvents()).hasSize(2);
    }

    @Test
    void anAckRemovesWhatItCoversAndGoesBackDownToTheChildItCameFromOnly() {
        for (long s = 1; s <= 3; s++) {
            routing.route(ft(s), x.peer, false);
        }
        routing.route(ft(4), x.peer, false);
        Frame a = ack("sensor-1", "011", TrafficClass.EVENT, 1, 3);

        assertThat(routing.route(a, "sp-root", false)).isTrue();

        assertThat(Neighbours.link(x, TrafficClass.MESH).sent).containsExactly(a);
        assertThat(Neighbours.sent(x2.links)).isEmpty();
        assertThat(Neighbours.sent(z.links)).isEmpty();
        assertThat(Neighbours.sent(sensorY.links)).isEmpty();
        assertThat(up(TrafficClass.MESH)).isEmpty();
        assertThat(sequences(store.select(e -> true).stream().map(e -> e.frame).toList())).containsExactly(4L);
        assertThat(custody.acknowledged.sum()).isEqualTo(3);
        assertThat(delivered).isEmpty();
    }

    @Test
    void anAckForMessagesFromTwoChildrenGoesToBoth() {
        routing.route(ft(1), x.peer, false);
        routing.route(ft(2), x.peer, false);
        routing.route(ft(3), x2.peer, false); // sensor-1 rebound to the other super-peer of 011
        Frame a = ack("sensor-1", "011", TrafficClass.EVENT, 1, 3);

        routing.route(a, "sp-root", false);

        assertThat(Neighbours.link(x, TrafficClass.MESH).sent).containsExactly(a);
        assertThat(Neighbours.link(x2, TrafficClass.MESH).sent).containsExactly(a);
        assertThat(Neighbours.sent(z.links)).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void anAckNobodyHereHoldsIsRoutedOnTowardsItsTarget() {
        routing.route(ft(1), x.peer, false);

        Frame down = ack("sensor-9", "012", TrafficClass.EVENT, 1, 5);
        routing.route(down, "sp-root", false);
        assertThat(Neighbours.link(z, TrafficClass.MESH).sent).containsExactly(down);
        assertThat(Neighbours.sent(x.links)).isEmpty();

        Frame elsewhere = ack("sensor-7", "021", TrafficClass.EVENT, 1, 5);
        routing.route(elsewhere, "sp-z", false);
        assertThat(up(TrafficClass.MESH)).containsExactly(elsewhere);

        assertThat(store.size()).as("another stream's ack removes nothing").isEqualTo(1);
        assertThat(custody.acknowledged.sum()).isZero();
    }

    @Test
    void anAckWhoseChildIsGoneIsRoutedOnAnotherWay() {
        routing.route(ft(1), x.peer, false);
        Neighbours.link(x, TrafficClass.MESH).writable = false;
        Frame a = ack("sensor-1", "011", TrafficClass.EVENT, 1, 1);

        routing.route(a, "sp-root", false);

        assertThat(Neighbours.link(x2, TrafficClass.MESH).sent).as("the other way down to cell 011")
                .containsExactly(a);
        assertThat(store.size()).isZero();
    }

    @Test
    void anAckForThisPeerIsNotPassedOn() {
        build(PeerRole.SENSOR, SETTINGS);
        Frame own = new Frame(FrameType.DATA, TrafficClass.EVENT, Frame.FLAG_FAULT_TOLERANT, SELF, "011", "client",
                "0", 1, 0, new byte[1]);
        custody.sent(own);
        Frame a = ack(SELF, "011", TrafficClass.EVENT, 1, 1);

        custody.onAck(a, false);

        assertThat(store.size()).isZero();
        assertThat(Neighbours.sent(root.links)).isEmpty();
    }

    @Test
    void aMalformedAckIsCountedAndDropped() {
        routing.route(ft(1), x.peer, false);
        Frame bad = new Frame(FrameType.ACK, TrafficClass.MESH, 0, "client", "0", "sensor-1", "011", 0, 0,
                new byte[] { 1, 1, 3, 0x7F });

        assertThatCode(() -> routing.route(bad, "sp-root", false)).doesNotThrowAnyException();
        assertThatCode(() -> custody.onAck(new Frame(FrameType.ACK, TrafficClass.MESH, 0, "client", "0", "sensor-1",
                "011", 0, 0, new byte[0]), false)).doesNotThrowAnyException();

        assertThat(metrics.malformed.sum()).isEqualTo(2);
        assertThat(store.size()).isEqualTo(1);
        assertThat(Neighbours.sent(x.links)).isEmpty();
        assertThat(up(TrafficClass.MESH)).isEmpty();
    }

    @Test
    void aMalformedReplicaIsCountedAndDropped() {
        assertThatCode(() -> custody.onReplica(MATE, new byte[] { FtCodec.REPLICA_TAG, 1, 0, 0, 0, 9 }))
                .doesNotThrowAnyException();
        assertThat(metrics.malformed.sum()).isEqualTo(1);
        assertThat(store.size()).isZero();
    }

    @Test
    void aFullStoreRefusesWhatItCannotHoldAndDoesNotPassItOn() {
        build(PeerRole.SUPER, SETTINGS.withStore(2, FtSettings.STORE_BYTES));
        for (long s = 1; s <= 5; s++) {
            routing.route(ft(s), x.peer, false);
        }
        assertThat(store.size()).isEqualTo(2);
        assertThat(custody.notHeld.sum()).isEqualTo(3);
        assertThat(sequences(upEvents())).as("passed on unheld, a message would be lost by the next failure")
                .containsExactly(1L, 2L);

        replicaFrom(MATE, ft("sensor-2", "012", TrafficClass.EVENT, 1));
        assertThat(custody.notHeld.sum()).as("a mate's replica that finds no room").isEqualTo(4);

        custody.onAck(ack("sensor-1", "011", TrafficClass.EVENT, 1, 2), false);
        routing.route(ft(3), x.peer, false); // the child's retransmission, once there is room
        assertThat(sequences(upEvents())).containsExactly(1L, 2L, 3L);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void theStoreIsBoundedInBytesSoLargeFramesFillItSooner() {
        build(PeerRole.SUPER, SETTINGS.withStore(1000, FtSettings.MIN_STORE_BYTES));
        for (long s = 1; s <= 8; s++) {
            routing.route(video(s), x.peer, false);
        }
        // 64 KiB holds six frames of 10,000 B and their overhead, not the seventh
        assertThat(store.size()).isEqualTo(6);
        assertThat(store.bytes()).isEqualTo(6 * (10_000L + PendingStore.ENTRY_OVERHEAD));
        assertThat(custody.notHeld.sum()).isEqualTo(2);
        assertThat(up(TrafficClass.VIDEO)).hasSize(6);

        custody.onAck(ack("sensor-1", "011", TrafficClass.VIDEO, 1, 6), false);
        assertThat(store.bytes()).as("an acknowledgement frees its bytes").isZero();
        routing.route(video(7), x.peer, false);
        assertThat(sequences(up(TrafficClass.VIDEO))).endsWith(7L);
    }

    private static Frame video(long seq) {
        return new Frame(FrameType.DATA, TrafficClass.VIDEO, Frame.FLAG_FAULT_TOLERANT, "sensor-1", "011", "client", "0",
                seq, 0, new byte[10_000]);
    }

    @Test
    void aMessageNotAcknowledgedWithinTheLeaseIsGivenUpAndTheStoreDrains() {
        custody.start();
        routing.route(ft(1), x.peer, false);
        replicaFrom(MATE, ft("sensor-2", "012", TrafficClass.EVENT, 1));
        time.advance(Duration.ofMillis(15_000));
        routing.route(ft(2), x.peer, false);
        assertThat(store.size()).as("the mate's replica went as stale, after ten periods").isEqualTo(2);

        time.advance(Duration.ofMillis(15_000 + RETRANSMIT_MS));
        assertThat(store.select(e -> true)).as("the one held for less than a lease stays").extracting(e -> e.frame.sequence())
                .containsExactly(2L);
        assertThat(custody.expired.sum()).as("the first, given up").isEqualTo(1);

        time.advance(Duration.ofMillis(15_000));
        assertThat(store.size()).isZero();
        assertThat(store.bytes()).isZero();
        assertThat(custody.expired.sum()).isEqualTo(2);
    }

    // ---------------------------------------------------------------------------------------
    // Sensor memory (beyond the report)

    @Test
    void aSensorWithMemoryKeepsItsFtMessagesAndSendsThemAgainAfterARebind() {
        build(PeerRole.SENSOR, SETTINGS);
        Frame own = new Frame(FrameType.DATA, TrafficClass.EVENT, Frame.FLAG_FAULT_TOLERANT, SELF, "011", "client",
                "0", 1, 0, new byte[1]);
        custody.sent(own);
        custody.sent(Frame.data(TrafficClass.EVENT, SELF, "011", "client", "0", 2, new byte[1]));

        assertThat(store.select(e -> true)).singleElement().satisfies(e -> {
            assertThat(e.frame).isSameAs(own);
            assertThat(e.from).as("began here").isEmpty();
            assertThat(e.holder).isEqualTo(SELF);
        });

        custody.rebound();
        assertThat(upEvents()).containsExactly(own);
    }

    @Test
    void aSensorSendsAgainAtOnceWhatAnAcknowledgementOfLaterMessagesSkipped() {
        build(PeerRole.SENSOR, SETTINGS);
        Frame lost = ownEvent(1);
        custody.sent(lost);
        custody.sent(ownEvent(2));
        PendingStore.Entry e = store.select(held -> held.frame == lost).get(0);
        e.timeouts = 4; // its timer would wait 16 periods

        custody.onAck(ack(SELF, "011", TrafficClass.EVENT, 2, 2), false);
        assertThat(upEvents()).as("sent just now: it may still be on its way").isEmpty();

        time.advance(Duration.ofMillis((Custody.SKIPPED_GRACE_ACKS * 25L << 4) + 1));
        custody.onAck(ack(SELF, "011", TrafficClass.EVENT, 2, 2), false);
        assertThat(upEvents()).containsExactly(lost);
        custody.onAck(ack(SELF, "011", TrafficClass.EVENT, 2, 2), false);
        assertThat(upEvents()).as("not again on the next acknowledgement").containsExactly(lost);

        custody.onAck(ack(SELF, "011", TrafficClass.EVENT, 1, 1), false);
        assertThat(store.size()).isZero();
    }

    private static Frame ownEvent(long seq) {
        return new Frame(FrameType.DATA, TrafficClass.EVENT, Frame.FLAG_FAULT_TOLERANT, SELF, "011", "client", "0", seq,
                0, new byte[1]);
    }

    @Test
    void aSensorWhoseMemoryIsFullGivesUpItsOldestMessageAndCountsIt() {
        build(PeerRole.SENSOR, SETTINGS.withStore(1000, FtSettings.MIN_STORE_BYTES));
        for (long s = 1; s <= 10; s++) {
            custody.sent(new Frame(FrameType.DATA, s % 2 == 0 ? TrafficClass.VIDEO : TrafficClass.AUDIO,
                    Frame.FLAG_FAULT_TOLERANT, SELF, "011", "client", "0", s, 0, new byte[10_000]));
            time.advance(Duration.ofMillis(1));
        }
        assertThat(store.select(e -> true)).as("the newest six, of both classes").extracting(e -> e.frame.sequence())
                .containsExactlyInAnyOrder(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(custody.droppedAtSource.sum()).isEqualTo(4);
        assertThat(custody.notHeld.sum()).isZero();
    }

    @Test
    void aSensorWithoutMemoryKeepsNothing() {
        build(PeerRole.SENSOR, SETTINGS.withSensorMemory(false));
        custody.sent(new Frame(FrameType.DATA, TrafficClass.EVENT, Frame.FLAG_FAULT_TOLERANT, SELF, "011", "client",
                "0", 1, 0, new byte[1]));
        assertThat(store.size()).isZero();
        custody.rebound();
        assertThat(upEvents()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------
    // Sending again: Listing 5's timer, a rebind, a takeover, a lost child cell

    @Test
    void aMessageNotAcknowledgedGoesUpAgainAfterTheRetransmissionTimeThenAfterDoublingWaits() {
        custody.start();
        routing.route(ft(1), x.peer, false);
        assertThat(upEvents()).hasSize(1);

        time.advance(Duration.ofMillis(RETRANSMIT_MS)); // not yet: it must be overdue
        assertThat(upEvents()).hasSize(1);
        time.advance(Duration.ofMillis(RETRANSMIT_MS / 4)); // the next scan
        assertThat(upEvents()).hasSize(2);
        long first = time.nanoTime();

        // then it waits twice as long: 200 ms
        time.advance(Duration.ofMillis(2 * RETRANSMIT_MS));
        assertThat(upEvents()).hasSize(2);
        time.advance(Duration.ofMillis(RETRANSMIT_MS / 4));
        assertThat(upEvents()).hasSize(3);
        assertThat(time.nanoTime() - first).isGreaterThan(Duration.ofMillis(2 * RETRANSMIT_MS).toNanos());

        // then 400 ms
        time.advance(Duration.ofMillis(4 * RETRANSMIT_MS));
        assertThat(upEvents()).hasSize(3);
        time.advance(Duration.ofMillis(RETRANSMIT_MS / 4));
        assertThat(upEvents()).hasSize(4);
        assertThat(custody.resent.sum()).isEqualTo(3);

        // an acknowledgement ends it
        routing.route(ack("sensor-1", "011", TrafficClass.EVENT, 1, 1), "sp-root", false);
        time.advance(Duration.ofMillis(50 * RETRANSMIT_MS));
        assertThat(upEvents()).hasSize(4);
    }

    @Test
    void aPathSlowerThanTheRetransmissionTimeIsLearnedNotFloodedWithResends() {
        custody.start();
        // every acknowledgement comes 1.5 periods after its message: the path is slow, not broken
        for (long seq = 1; seq <= 10; seq++) {
            routing.route(ft(seq), x.peer, false);
            time.advance(Duration.ofMillis(RETRANSMIT_MS * 3 / 2));
            routing.route(ack("sensor-1", "011", TrafficClass.EVENT, seq, seq), "sp-root", false);
        }
        // the first went again before its acknowledgement could come; that timeout doubled the wait of
        // the next, whose acknowledgement measured the round trip; then none went again. With a fixed
        // period, each of the ten went twice.
        assertThat(custody.resent.sum()).isEqualTo(1);
        assertThat(upEvents()).hasSize(11);
        assertThat(store.size()).isZero();

        // and a message that is really lost still goes again, after the learned time
        routing.route(ft(11), x.peer, false);
        time.advance(Duration.ofMillis(RETRANSMIT_MS * 3 / 2));
        assertThat(custody.resent.sum()).as("not yet: the round trip is 1.5 periods").isEqualTo(1);
        time.advance(Duration.ofMillis(RETRANSMIT_MS * 2));
        assertThat(custody.resent.sum()).isEqualTo(2);
    }

    @Test
    void theWaitStopsDoublingAt32RetransmissionTimes() {
        routing.route(ft(1), x.peer, false);
        PendingStore.Entry e = store.select(any -> true).get(0);
        e.timeouts = 9;
        time.advance(Duration.ofMillis(32 * RETRANSMIT_MS + 1));
        custody.retransmit();
        assertThat(upEvents()).as("sent once, then again after 32 periods, not 512").hasSize(2);
    }

    @Test
    void aRebindStartsTheRetransmissionTimerAfresh() {
        routing.route(ft(1), x.peer, false);
        PendingStore.Entry e = store.select(any -> true).get(0);
        e.timeouts = 4; // the old path stalled: the next wait would be 16 periods
        custody.rebound();
        assertThat(upEvents()).as("sent, and sent again on the new path").hasSize(2);

        time.advance(Duration.ofMillis(RETRANSMIT_MS + 1));
        custody.retransmit();
        assertThat(upEvents()).as("one period later, not sixteen").hasSize(3);
    }

    @Test
    void aStoppedCustodyScansNoMore() {
        custody.start();
        routing.route(ft(1), x.peer, false);
        custody.stop();
        time.advance(Duration.ofMillis(10 * RETRANSMIT_MS));
        assertThat(upEvents()).hasSize(1);
        assertThat(time.pending()).isZero();
    }

    @Test
    void atMostABurstIsSentAgainPerScanOldestFirst() {
        int n = Custody.RETRANSMIT_BURST + 44;
        // held newest sequence first, so that age and sequence order differ
        for (int s = n; s >= 1; s--) {
            routing.route(ft(s), x.peer, false);
            time.advance(Duration.ofNanos(1000));
        }
        upEvents().clear();
        time.advance(Duration.ofMillis(RETRANSMIT_MS + 1));

        custody.retransmit();

        assertThat(upEvents()).hasSize(Custody.RETRANSMIT_BURST);
        List<Long> expected = new ArrayList<>();
        for (long s = n; s > n - Custody.RETRANSMIT_BURST; s--) {
            expected.add(s);
        }
        assertThat(sequences(upEvents())).containsExactlyElementsOf(expected);

        upEvents().clear();
        custody.retransmit();
        assertThat(sequences(upEvents())).as("the rest on the next scan, the burst not again")
                .hasSize(44).allSatisfy(s -> assertThat(s).isBetween(1L, 44L));
    }

    @Test
    void aRebindResendsWhatThisPeerHoldsAndNotTheMatesReplicas() {
        routing.route(ft(1), x.peer, false);
        routing.route(ft(2), x.peer, false);
        replicaFrom(MATE, ft(3), ft("sensor-2", "012", TrafficClass.AUDIO, 1));
        assertThat(store.size()).isEqualTo(4);
        upEvents().clear();

        custody.rebound();

        assertThat(sequences(upEvents())).containsExactlyInAnyOrder(1L, 2L);
        assertThat(up(TrafficClass.AUDIO)).isEmpty();
        assertThat(custody.resent.sum()).isEqualTo(2);
    }

    @Test
    void aTakeoverMakesThisPeerTheHolderAndResendsExactlyTheMatesMessages() {
        routing.route(ft(1), x.peer, false);
        replicaFrom(MATE, ft(2), ft("sensor-2", "012", TrafficClass.AUDIO, 7));
        replicaFrom("sp-c", ft(3));
        upEvents().clear();

        assertThat(custody.takeOver(MATE)).isEqualTo(2);

        assertThat(sequences(upEvents())).containsExactly(2L);
        assertThat(sequences(up(TrafficClass.AUDIO))).containsExactly(7L);
        assertThat(store.select(e -> SELF.equals(e.holder))).hasSize(3);
        assertThat(store.select(e -> MATE.equals(e.holder))).isEmpty();
        assertThat(store.select(e -> "sp-c".equals(e.holder))).hasSize(1);
        assertThat(custody.takenOver.sum()).isEqualTo(2);

        // this peer holds them now: a rebind sends them again, and so does the timer
        upEvents().clear();
        custody.rebound();
        assertThat(sequences(upEvents())).containsExactlyInAnyOrder(1L, 2L);
        assertThat(custody.takeOver(MATE)).as("nothing left of that mate").isZero();
    }

    @Test
    void resendFromACellResendsOnlyWhatCameFromItsSubtree() {
        routing.route(ft("s-011", "011", TrafficClass.EVENT, 1), x.peer, false);
        routing.route(ft("s-0112", "0112", TrafficClass.EVENT, 1), x.peer, false);
        routing.route(ft("s-012", "012", TrafficClass.EVENT, 1), z.peer, false);
        routing.route(ft("s-01", "01", TrafficClass.EVENT, 1), sensorY.peer, false);
        routing.route(ft("s-odd", "not-a-cell", TrafficClass.EVENT, 1), x.peer, false);
        replicaFrom(MATE, ft("s-mate", "011", TrafficClass.EVENT, 1));
        upEvents().clear();

        assertThat(custody.resendFrom("011")).isEqualTo(2);

        assertThat(upEvents()).extracting(Frame::sourcePeer).containsExactlyInAnyOrder("s-011", "s-0112");
    }

    @Test
    void staleReplicasAreDroppedAfterTenRetransmissionPeriods() {
        routing.route(ft(1), x.peer, false);
        replicaFrom(MATE, ft(2), ft(3));
        assertThat(store.size()).isEqualTo(3);

        time.advance(Duration.ofMillis(10 * RETRANSMIT_MS));
        custody.retransmit();
        assertThat(store.select(e -> MATE.equals(e.holder))).as("not yet").hasSize(2);

        time.advance(Duration.ofMillis(1));
        custody.retransmit();
        assertThat(store.select(e -> MATE.equals(e.holder))).isEmpty();
        assertThat(store.select(e -> SELF.equals(e.holder))).as("what this peer holds stays until acknowledged")
                .hasSize(1);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aReplicaRemovesWhatTheMateSaysWasAcknowledged() {
        replicaFrom(MATE, ft(1), ft(2), ft(3));
        custody.onReplica(MATE, FtCodec.replica(List.of(), List.of(new FtCodec.Acked(
                new PendingStore.Stream("sensor-1", "client"), TrafficClass.EVENT, 1, 2))));
        assertThat(store.select(e -> true)).extracting(e -> e.frame.sequence()).containsExactly(3L);
    }
}
