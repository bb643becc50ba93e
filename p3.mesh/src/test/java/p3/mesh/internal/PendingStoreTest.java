package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

class PendingStoreTest {

    private static final String SELF = "sp-a";
    private static final String MATE = "sp-b";
    private static final PendingStore.Stream S1 = new PendingStore.Stream("sensor-1", "client");

    static Frame ft(TrafficClass cls, String origin, String target, long seq) {
        return new Frame(FrameType.DATA, cls, Frame.FLAG_FAULT_TOLERANT, origin, "011", target, "0", seq, 0,
                new byte[] { (byte) seq });
    }

    private static List<Long> sequences(List<PendingStore.Entry> entries) {
        return entries.stream().map(e -> e.frame.sequence()).sorted().toList();
    }

    @Test
    void aRangeIsRemovedFromItsStreamAndClassOnly() {
        PendingStore store = new PendingStore(100, Long.MAX_VALUE);
        for (long s = 1; s <= 10; s++) {
            store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", s), "child", SELF, SELF, 0);
            store.hold(ft(TrafficClass.AUDIO, "sensor-1", "client", s), "child", SELF, SELF, 0);
            store.hold(ft(TrafficClass.EVENT, "sensor-2", "client", s), "child", SELF, SELF, 0);
        }
        assertThat(store.size()).isEqualTo(30);

        List<PendingStore.Entry> gone = store.remove(S1, TrafficClass.EVENT, 3, 6);

        assertThat(sequences(gone)).containsExactly(3L, 4L, 5L, 6L);
        assertThat(gone).allSatisfy(e -> {
            assertThat(e.removed).isTrue();
            assertThat(e.frame.trafficClass()).isEqualTo(TrafficClass.EVENT);
            assertThat(e.frame.sourcePeer()).isEqualTo("sensor-1");
        });
        assertThat(store.size()).isEqualTo(26);
        assertThat(sequences(store.select(e -> e.frame.sourcePeer().equals("sensor-1")
                && e.frame.trafficClass() == TrafficClass.EVENT))).containsExactly(1L, 2L, 7L, 8L, 9L, 10L);
        assertThat(store.select(e -> e.frame.trafficClass() == TrafficClass.AUDIO)).hasSize(10);
        assertThat(store.select(e -> e.frame.sourcePeer().equals("sensor-2"))).hasSize(10);
    }

    @Test
    void removingWhatIsNotHeldRemovesNothing() {
        PendingStore store = new PendingStore(100, Long.MAX_VALUE);
        store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 5), "child", SELF, SELF, 0);

        assertThat(store.remove(S1, TrafficClass.EVENT, 6, 9)).isEmpty();
        assertThat(store.remove(S1, TrafficClass.VIDEO, 1, 9)).as("another class").isEmpty();
        assertThat(store.remove(new PendingStore.Stream("sensor-9", "client"), TrafficClass.EVENT, 1, 9)).isEmpty();
        assertThat(store.remove(new PendingStore.Stream("sensor-1", "client-2"), TrafficClass.EVENT, 1, 9))
                .as("same origin, another target").isEmpty();
        assertThat(store.remove(S1, TrafficClass.EVENT, 9, 1)).as("an upside-down range").isEmpty();
        assertThat(store.size()).isEqualTo(1);

        assertThat(store.remove(S1, TrafficClass.EVENT, 5, 5)).hasSize(1);
        assertThat(store.remove(S1, TrafficClass.EVENT, 5, 5)).as("removed once only").isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void aMessageHeldAgainKeepsItsEntry() {
        PendingStore store = new PendingStore(100, Long.MAX_VALUE);
        Frame first = ft(TrafficClass.EVENT, "sensor-1", "client", 1);
        PendingStore.Entry e = store.hold(first, "child-x", SELF, SELF, 100);

        PendingStore.Entry again = store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 1), "child-y", SELF, SELF,
                999);

        assertThat(again).isSameAs(e);
        assertThat(again.frame).isSameAs(first);
        assertThat(again.from).as("the acknowledgement goes back the first way").isEqualTo("child-x");
        assertThat(again.storedNanos).isEqualTo(100);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aMateTakesTheHolderOnlyOfWhatThisPeerDoesNotHold() {
        PendingStore store = new PendingStore(100, Long.MAX_VALUE);
        PendingStore.Entry mine = store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 1), "child", SELF, SELF, 0);
        PendingStore.Entry replica = store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 2), "child", MATE, SELF,
                0);
        assertThat(replica.holder).isEqualTo(MATE);

        // the mate's replica of what this peer holds: this peer still sends it
        store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 1), "child", MATE, SELF, 0);
        assertThat(mine.holder).isEqualTo(SELF);

        // another mate's replica of the same message: it holds it now
        store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 2), "child", "sp-c", SELF, 0);
        assertThat(replica.holder).isEqualTo("sp-c");

        // it reaches this peer itself (its sender rebound here): this peer holds it
        store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 2), "child", SELF, SELF, 0);
        assertThat(replica.holder).isEqualTo(SELF);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void aFullStoreRefusesAndKeepsItsSize() {
        PendingStore store = new PendingStore(3, Long.MAX_VALUE);
        for (long s = 1; s <= 3; s++) {
            assertThat(store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", s), "c", SELF, SELF, 0)).isNotNull();
        }
        assertThat(store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 4), "c", SELF, SELF, 0)).isNull();
        assertThat(store.hold(ft(TrafficClass.VIDEO, "sensor-2", "client", 1), "c", MATE, SELF, 0)).isNull();
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.select(e -> true)).hasSize(3);

        // one held already is no new entry: it is found, even when full
        assertThat(store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 2), "c", SELF, SELF, 0)).isNotNull();
        assertThat(store.size()).isEqualTo(3);

        store.remove(S1, TrafficClass.EVENT, 1, 1);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 4), "c", SELF, SELF, 0))
                .as("room again").isNotNull();
        assertThat(store.size()).isEqualTo(3);
    }

    @Test
    void dropTakesOneEntryOnce() {
        PendingStore store = new PendingStore(10, Long.MAX_VALUE);
        PendingStore.Entry a = store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 1), "c", MATE, SELF, 0);
        PendingStore.Entry b = store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 2), "c", MATE, SELF, 0);

        assertThat(store.drop(a)).isTrue();
        assertThat(a.removed).isTrue();
        assertThat(store.drop(a)).isFalse();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.select(e -> true)).containsExactly(b);

        // an entry that was removed and held again is another entry: the old one drops nothing
        store.remove(S1, TrafficClass.EVENT, 2, 2);
        PendingStore.Entry b2 = store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", 2), "c", MATE, SELF, 0);
        assertThat(store.drop(b)).isFalse();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.select(e -> true)).containsExactly(b2);

        PendingStore.Entry never = new PendingStore.Entry(ft(TrafficClass.AUDIO, "sensor-7", "client", 1), "c", SELF,
                0);
        assertThat(store.drop(never)).as("of a stream the store never saw").isFalse();
    }

    @Test
    void selectFiltersAndIsASnapshot() {
        PendingStore store = new PendingStore(100, Long.MAX_VALUE);
        for (long s = 1; s <= 4; s++) {
            store.hold(ft(TrafficClass.EVENT, "sensor-1", "client", s), "c", s % 2 == 0 ? SELF : MATE, SELF, s);
        }
        List<PendingStore.Entry> mine = store.select(e -> SELF.equals(e.holder));
        assertThat(sequences(mine)).containsExactly(2L, 4L);
        assertThat(sequences(store.select(e -> true))).as("in sequence order")
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.select(e -> false)).isEmpty();

        store.remove(S1, TrafficClass.EVENT, 1, 4);
        assertThat(mine).as("a snapshot").hasSize(2).allSatisfy(e -> assertThat(e.removed).isTrue());
        assertThat(store.select(e -> true)).isEmpty();
    }

    @Test
    void selectWithinAStreamClassIsInSequenceOrder() {
        PendingStore store = new PendingStore(100, Long.MAX_VALUE);
        for (long s : new long[] { 9, 3, 7, 1 }) {
            store.hold(ft(TrafficClass.VIDEO, "sensor-1", "client", s), "c", SELF, SELF, 0);
        }
        assertThat(store.select(e -> true)).extracting(e -> e.frame.sequence()).containsExactly(1L, 3L, 7L, 9L);
    }

    /**
     * Several threads hold, remove, drop and hold again the same sequence numbers at once, close to
     * the capacity: whatever the interleaving, size() ends as what is really there, within the
     * capacity. (While a refused hold backs out, size() may read one above for an instant.)
     */
    @Test
    void concurrentHoldAndRemoveKeepSizeTrue() throws Exception {
        int threads = 4;
        int rounds = 20_000;
        int capacity = 64;
        PendingStore store = new PendingStore(capacity, Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        long seq = (i * 7L + me) % 80; // more numbers than room: refusals happen too
                        TrafficClass cls = i % 3 == 0 ? TrafficClass.AUDIO : TrafficClass.EVENT;
                        PendingStore.Entry e = store.hold(ft(cls, "sensor-1", "client", seq), "c",
                                me % 2 == 0 ? SELF : MATE, SELF, i);
                        switch (i % 4) {
                        case 0 -> store.remove(S1, cls, seq - 3, seq);
                        case 1 -> {
                            if (e != null) {
                                store.drop(e);
                            }
                        }
                        default -> {
                        }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<PendingStore.Entry> there = store.select(e -> true);
        assertThat(store.size()).isEqualTo(there.size());
        assertThat(there.size()).isLessThanOrEqualTo(capacity);
        assertThat(there).allSatisfy(e -> assertThat(e.removed).isFalse());
        store.remove(S1, TrafficClass.AUDIO, Long.MIN_VALUE, Long.MAX_VALUE);
        store.remove(S1, TrafficClass.EVENT, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(store.size()).isZero();
    }
}
