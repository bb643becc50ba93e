package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/** Routing's split horizon: a frame never goes back to the neighbour it came from. */
class RoutingTest {

    private final PeerMetrics metrics = new PeerMetrics();
    private final Binding parent = Neighbours.binding("sp-root", "0");
    private final Child child = Neighbours.child("sp-x", PeerRole.SUPER, "011", "sp-a");
    private final Routing routing = new Routing("sp-a", PeerRole.SUPER, 2, new ControlCodec(2), metrics, (f, from) -> {
    });

    RoutingTest() {
        routing.update(t -> t.withCell(CellId.of("01", 2)).withUplinks(List.of(parent))
                .withChildren(Map.of(child.peer, child)));
    }

    private static Frame to(String peer, String cell) {
        return new Frame(FrameType.DATA, TrafficClass.EVENT, 0, "sensor-1", "011", peer, cell, 1, 0, new byte[] { 1 });
    }

    @Test
    void aFrameForAnotherBranchGoesUpUnlessItCameFromTheParent() {
        assertThat(routing.route(to("sensor-7", "021"), "sp-x", false)).isTrue();
        assertThat(Neighbours.sent(parent.links)).hasSize(1);

        assertThat(routing.route(to("sensor-7", "021"), "sp-root", false)).isFalse();

        assertThat(Neighbours.sent(parent.links)).hasSize(1);
        assertThat(metrics.unroutable.sum()).isEqualTo(1);
    }

    @Test
    void aFrameForTheChildsCellGoesDownUnlessItCameFromThatChild() {
        assertThat(routing.route(to("sensor-3", "011"), "sp-root", false)).isTrue();
        assertThat(Neighbours.sent(child.links)).hasSize(1);

        assertThat(routing.route(to("sensor-3", "011"), "sp-x", false)).isFalse();
        assertThat(routing.route(to("sp-x", "011"), "sp-x", false)).isFalse();

        assertThat(Neighbours.sent(child.links)).hasSize(1);
        assertThat(Neighbours.sent(parent.links)).isEmpty();
        assertThat(metrics.unroutable.sum()).isEqualTo(2);
    }
}
