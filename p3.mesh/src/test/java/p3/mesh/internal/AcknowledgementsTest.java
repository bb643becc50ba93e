package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * The client's acknowledgements (Listing 6's FT_REPLY, sent by the client): batched per parent and
 * origin, as ranges per class, on the MESH link to the root super-peer the messages came through.
 * The client is bound to both root super-peers, sp-r1 and sp-r2.
 */
class AcknowledgementsTest {

    private static final String SELF = "client";
    private static final int INTERVAL_MS = 25;

    private final Strand strand = ManualScheduler.inlineStrand(SELF);
    private final ManualScheduler time = new ManualScheduler(strand);
    private final PeerMetrics metrics = new PeerMetrics();
    private final Binding r1 = Neighbours.binding("sp-r1", "0");
    private final Binding r2 = Neighbours.binding("sp-r2", "0");
    private final Routing routing = new Routing(SELF, PeerRole.CLIENT, 2, new ControlCodec(2), metrics, (f, from) -> {
    });
    private final Acknowledgements acks = new Acknowledgements(SELF, routing, time, INTERVAL_MS);

    AcknowledgementsTest() {
        routing.update(t -> t.withCell(CellId.ROOT).withUplinks(List.of(r1, r2)));
    }

    private static Frame ft(String origin, String cell, TrafficClass cls, long seq) {
        return new Frame(FrameType.DATA, cls, Frame.FLAG_FAULT_TOLERANT, origin, cell, SELF, "0", seq, 0, new byte[1]);
    }

    private static List<Frame> mesh(Binding b) {
        return Neighbours.link(b, TrafficClass.MESH).sent;
    }

    /** An acknowledgement's ranges, as "class lo-hi" lines. */
    private static List<String> ranges(Frame ack) {
        FtCodec.Ack a = FtCodec.ack(ack.payload());
        return a.ranges().entrySet().stream().flatMap(e -> FtCodecTest.text(e.getValue()).stream()
                .map(r -> e.getKey().id() + " " + r)).toList();
    }

    private static Map<String, Frame> byOrigin(List<Frame> acks) {
        return acks.stream().collect(Collectors.toMap(Frame::targetPeer, f -> f));
    }

    @Test
    void arrivalsBatchIntoOneAckPerParentAndOriginWithTheirRanges() {
        for (long s = 1; s <= 5; s++) {
            acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, s), "sp-r1");
        }
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 8), "sp-r1");
        acks.arrived(ft("sensor-1", "011", TrafficClass.AUDIO, 1), "sp-r1");
        acks.arrived(ft("sensor-1", "011", TrafficClass.AUDIO, 2), "sp-r1");
        acks.arrived(ft("sensor-2", "022", TrafficClass.VIDEO, 3), "sp-r1");
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 6), "sp-r2"); // came through the other root
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 7), "sp-r2");

        acks.flush();

        Map<String, Frame> toR1 = byOrigin(mesh(r1));
        assertThat(toR1).containsOnlyKeys("sensor-1", "sensor-2");
        assertThat(ranges(toR1.get("sensor-1"))).containsExactlyInAnyOrder("audio 1-2", "event 1-5", "event 8-8");
        assertThat(ranges(toR1.get("sensor-2"))).containsExactly("video 3-3");
        assertThat(mesh(r2)).singleElement().satisfies(a -> assertThat(ranges(a)).containsExactly("event 6-7"));

        Frame a = toR1.get("sensor-2");
        assertThat(a.type()).isEqualTo(FrameType.ACK);
        assertThat(a.trafficClass()).isEqualTo(TrafficClass.MESH);
        assertThat(a.sourcePeer()).isEqualTo(SELF);
        assertThat(a.sourceCell()).isEqualTo("0");
        assertThat(a.targetCell()).as("routed back to the origin's cell").isEqualTo("022");
        assertThat(a.sendNanos()).isEqualTo(time.nanoTime());
        for (TrafficClass cls : List.of(TrafficClass.AUDIO, TrafficClass.VIDEO, TrafficClass.EVENT)) {
            assertThat(Neighbours.link(r1, cls).sent).as("acks travel on MESH only").isEmpty();
        }
    }

    @Test
    void aFrameThatArrivesTwiceIsAcknowledgedOnce() {
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 4), "sp-r1");
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 4), "sp-r1");
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 5), "sp-r1");
        acks.flush();
        assertThat(mesh(r1)).singleElement().satisfies(a -> assertThat(ranges(a)).containsExactly("event 4-5"));
    }

    @Test
    void nothingIsSentWhenNothingArrived() {
        acks.flush();
        assertThat(Neighbours.sent(r1.links)).isEmpty();
        assertThat(Neighbours.sent(r2.links)).isEmpty();

        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 1), "sp-r1");
        acks.flush();
        acks.flush(); // a batch is sent once
        assertThat(mesh(r1)).hasSize(1);
    }

    @Test
    void theBatchGoesEveryInterval() {
        acks.start();
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 1), "sp-r1");
        time.advance(Duration.ofMillis(INTERVAL_MS - 1));
        assertThat(mesh(r1)).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(mesh(r1)).hasSize(1);

        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 2), "sp-r1");
        time.advance(Duration.ofMillis(INTERVAL_MS));
        assertThat(mesh(r1)).hasSize(2);
        assertThat(ranges(mesh(r1).get(1))).containsExactly("event 2-2");

        acks.stop();
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 3), "sp-r1");
        time.advance(Duration.ofMillis(10 * INTERVAL_MS));
        assertThat(mesh(r1)).as("stopped").hasSize(2);
    }

    @Test
    void whenTheParentsLinkRefusesTheAckGoesAnotherWay() {
        Neighbours.link(r1, TrafficClass.MESH).writable = false;
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 1), "sp-r1");

        acks.flush();

        assertThat(mesh(r2)).singleElement().satisfies(a -> {
            assertThat(a.targetPeer()).isEqualTo("sensor-1");
            assertThat(ranges(a)).containsExactly("event 1-1");
        });
    }

    @Test
    void whenTheParentIsGoneTheAckGoesAnotherWay() {
        acks.arrived(ft("sensor-1", "011", TrafficClass.EVENT, 1), "sp-r1");
        routing.update(t -> t.withUplinks(List.of(r2))); // sp-r1 crashed meanwhile

        acks.flush();

        assertThat(mesh(r1)).isEmpty();
        assertThat(mesh(r2)).hasSize(1);
    }
}
