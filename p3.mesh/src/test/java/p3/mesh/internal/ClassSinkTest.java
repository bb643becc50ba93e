package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/** A client's measurements of one class: new, duplicate, damaged and late frames, losses, latency. */
class ClassSinkTest {

    private static final long NOW = TimeUnit.SECONDS.toNanos(100);
    private static final long DEADLINE = TimeUnit.MILLISECONDS.toNanos(100);

    private final TestTraffic traffic = new TestTraffic("event", 100, 64, false);
    private final ClassSink sink = new ClassSink("event");

    /** A frame of {@code source} sent {@code agoMs} before {@link #NOW}, with a payload that checks. */
    private Frame frame(String source, long seq, long agoMs) {
        return new Frame(FrameType.DATA, TrafficClass.EVENT, 0, source, "011", "client", "0", seq,
                NOW - TimeUnit.MILLISECONDS.toNanos(agoMs), traffic.payload(seq, null));
    }

    private Frame damaged(String source, long seq) {
        byte[] payload = traffic.payload(seq, null);
        payload[3] ^= 0x10; // the sequence number it carries no longer matches
        return new Frame(FrameType.DATA, TrafficClass.EVENT, 0, source, "011", "client", "0", seq, NOW, payload);
    }

    private Streams.Arrival accept(Frame f) {
        return sink.accept(f, traffic, DEADLINE, NOW);
    }

    @Test
    void aFrameIsNewOnceThenADuplicate() {
        assertThat(accept(frame("s1", 1, 5))).isEqualTo(Streams.Arrival.NEW);
        assertThat(accept(frame("s1", 1, 5))).isEqualTo(Streams.Arrival.DUPLICATE);
        assertThat(accept(frame("s1", 1, 5))).isEqualTo(Streams.Arrival.DUPLICATE);
        assertThat(accept(frame("s2", 1, 5))).as("the same number from another source").isEqualTo(
                Streams.Arrival.NEW);
        assertThat(sink.received.sum()).isEqualTo(2);
        assertThat(sink.duplicates.sum()).isEqualTo(2);
    }

    @Test
    void aDamagedCopyIsCountedAndDoesNotMaskALaterGoodOne() {
        assertThat(accept(damaged("s1", 7))).isEqualTo(Streams.Arrival.DAMAGED);
        assertThat(accept(damaged("s1", 7))).isEqualTo(Streams.Arrival.DAMAGED);
        assertThat(accept(frame("s1", 7, 5))).isEqualTo(Streams.Arrival.NEW);
        assertThat(accept(damaged("s1", 7))).as("damaged after a good one: still damaged, not a duplicate")
                .isEqualTo(Streams.Arrival.DAMAGED);
        assertThat(sink.corrupt.sum()).isEqualTo(3);
        assertThat(sink.received.sum()).isEqualTo(1);
        assertThat(sink.duplicates.sum()).isZero();
    }

    @Test
    void aShortPayloadIsDamaged() {
        Frame f = new Frame(FrameType.DATA, TrafficClass.EVENT, 0, "s1", "011", "client", "0", 1, NOW, new byte[3]);
        assertThat(accept(f)).isEqualTo(Streams.Arrival.DAMAGED);
    }

    @Test
    void sequenceNumbersOutsideTheWindowAreDamaged() {
        for (long seq : new long[] { -1, Long.MIN_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE }) {
            assertThat(sink.accept(frame("s1", seq, 5), null, DEADLINE, NOW)).as("seq %d", seq)
                    .isEqualTo(Streams.Arrival.DAMAGED);
        }
        assertThat(sink.accept(frame("s1", Integer.MAX_VALUE, 5), traffic, DEADLINE, NOW))
                .isEqualTo(Streams.Arrival.NEW);
        assertThat(sink.corrupt.sum()).isEqualTo(4);
    }

    @Test
    void withoutAServiceNothingIsChecked() {
        assertThat(sink.accept(damaged("s1", 2), null, DEADLINE, NOW)).isEqualTo(Streams.Arrival.NEW);
    }

    @Test
    void framesPastTheDeadlineAreCountedLate() {
        assertThat(accept(frame("s1", 1, 100))).as("on the deadline").isEqualTo(Streams.Arrival.NEW);
        assertThat(accept(frame("s1", 2, 101))).as("late, but delivered").isEqualTo(Streams.Arrival.NEW);
        assertThat(accept(frame("s1", 3, 5000))).isEqualTo(Streams.Arrival.NEW);
        accept(frame("s1", 3, 5000)); // a late duplicate is a duplicate
        assertThat(sink.late.sum()).isEqualTo(2);
        assertThat(sink.received.sum()).isEqualTo(3);
    }

    @Test
    void lostBySourceIsWhatEachSourceSentAndDidNotArrive() {
        for (long s = 1; s <= 7; s++) {
            accept(frame("s1", s, 5));
        }
        accept(frame("s1", 3, 5)); // duplicates do not make up for losses
        accept(damaged("s1", 8)); // nor does a damaged frame
        accept(frame("s2", 1, 5));
        sink.sourceReport("s1", 10);
        sink.sourceReport("s1", 9); // an older report arriving late
        sink.sourceReport("s2", 1);
        sink.sourceReport("s3", 4); // nothing of it arrived

        assertThat(sink.lostBySource()).isEqualTo(Map.of("s1", 3L, "s2", 0L, "s3", 4L));

        sink.sourceReport("s2", 0); // never below what arrived
        assertThat(sink.lostBySource().get("s2")).isZero();
    }

    @Test
    void statsCountEverythingAndMeasureLatency() {
        accept(frame("s1", 1, 10));
        accept(frame("s1", 2, 20));
        accept(frame("s1", 3, 30));
        accept(frame("s1", 3, 30));
        accept(frame("s1", 4, 300));
        accept(damaged("s1", 5));
        sink.sourceReport("s1", 6);

        ClassStats s = sink.stats();
        assertThat(s.trafficClass()).isEqualTo("event");
        assertThat(s.sent()).isEqualTo(6);
        assertThat(s.received()).isEqualTo(4);
        assertThat(s.lost()).isEqualTo(2);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(s.late()).isEqualTo(1);
        assertThat(s.corrupt()).isEqualTo(1);
        assertThat(s.mean()).isCloseTo(90.0, within(0.5)); // (10 + 20 + 30 + 300) / 4 ms
        assertThat(s.p50()).isCloseTo(20.0, within(0.1));
        assertThat(s.max()).isCloseTo(300.0, within(0.5));

        assertThat(sink.stats().received()).as("stats() twice counts nothing twice").isEqualTo(4);
        assertThat(sink.stats().mean()).isCloseTo(90.0, within(0.5));
    }

    @Test
    void restartingLatencyForgetsLatenciesNotCounts() {
        accept(frame("s1", 1, 500));
        sink.stats();
        sink.restartLatency();
        accept(frame("s1", 2, 10));

        ClassStats s = sink.stats();
        assertThat(s.received()).isEqualTo(2);
        assertThat(s.late()).isEqualTo(1);
        assertThat(s.max()).isCloseTo(10.0, within(0.1));
    }

    @Test
    void noFramesNoLatency() {
        sink.sourceReport("s1", 3);
        ClassStats s = sink.stats();
        assertThat(s.received()).isZero();
        assertThat(s.lost()).isEqualTo(3);
        assertThat(s.mean()).isZero();
        assertThat(s.max()).isZero();
    }

    @Test
    void theDeliveriesShowHolesFilledOrNotOutOfOrderFramesAndTheLongestDelayOfEachSlot() {
        accept(frame("s1", 1, 5));
        accept(frame("s1", 2, 5));
        accept(frame("s1", 5, 3)); // 3 and 4 missing, shown by 5
        accept(frame("s1", 3, 40)); // sent again: out of order, and it waited
        accept(frame("s1", 8, 2)); // 6 and 7 missing, never sent again
        accept(frame("s1", 3, 40)); // a duplicate is not a delivery
        sink.sourceReport("s1", 10); // 9 and 10: the tail, lost
        sink.sourceReport("s2", 4); // a source of which nothing arrived

        Deliveries d = sink.deliveries();
        Deliveries.Stream s1 = d.streams().get(0);
        assertThat(s1.source()).isEqualTo("s1");
        assertThat(s1.sent()).isEqualTo(10);
        assertThat(s1.distinct()).isEqualTo(5);
        assertThat(s1.deliveries()).isEqualTo(5);
        assertThat(s1.deliveredTwice()).isZero();
        assertThat(s1.outOfOrder()).isEqualTo(1);
        assertThat(s1.lost()).isEqualTo(5);
        long sentOf8 = NOW - TimeUnit.MILLISECONDS.toNanos(2);
        assertThat(s1.holes()).containsExactly(new Deliveries.Hole(3, 4, 1, NOW - TimeUnit.MILLISECONDS.toNanos(3)),
                new Deliveries.Hole(6, 7, 2, sentOf8), new Deliveries.Hole(9, 10, 2, -1));
        assertThat(d.streams().get(1)).isEqualTo(new Deliveries.Stream("s2", 4, 0, 0, 0,
                List.of(new Deliveries.Hole(1, 4, 4, -1)), 0));

        // 40 ms ago and 2 to 5 ms ago fall in one or two slots of 100 ms: their longest delay is 40 ms
        assertThat(d.slots()).extracting(Deliveries.Slot::frames).containsAnyOf(5L, 4L, 1L);
        assertThat(d.slots().stream().mapToLong(Deliveries.Slot::frames).sum()).isEqualTo(5);
        assertThat(d.slots().stream().mapToLong(Deliveries.Slot::maxDelayMicros).max().orElse(0)).isEqualTo(40_000);
        assertThat(d.slots().stream().mapToLong(Deliveries.Slot::outOfOrder).sum()).isEqualTo(1);

        sink.restartLatency();
        assertThat(sink.deliveries().slots()).as("a warm-up's slots are forgotten").isEmpty();
        assertThat(sink.deliveries().streams().get(0).distinct()).as("its deliveries are not").isEqualTo(5);
    }
}
