package p3.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.report.testing.FakePeer;

/** /health: up only while every peer of the runtime is bound. */
class HealthTest {

    @Test
    void upWhenEveryPeerIsBound() {
        Health h = Health.of(List.of(new FakePeer("a", PeerRole.SUPER, "0"), new FakePeer("b", PeerRole.CLIENT, "0")));

        assertThat(h.up()).isTrue();
        assertThat(h.body().get("status").asText()).isEqualTo("up");
        assertThat(h.body().get("not_bound")).isEmpty();
    }

    @Test
    void downWhileAPeerRebindsJoinsOrCrashed() {
        for (PeerState s : List.of(PeerState.REBINDING, PeerState.JOINING, PeerState.CRASHED, PeerState.LEFT)) {
            FakePeer b = new FakePeer("b", PeerRole.SENSOR, "01");
            b.state = s;
            Health h = Health.of(List.of(new FakePeer("a", PeerRole.SUPER, "0"), b));

            assertThat(h.up()).as(s.name()).isFalse();
            assertThat(h.body().get("peers").get("b").asText()).isEqualTo(s.name());
            assertThat(h.body().get("not_bound").get(0).asText()).isEqualTo("b");
        }
    }

    @Test
    void downWithoutPeers() {
        Health h = Health.of(List.of());

        assertThat(h.up()).isFalse();
        assertThat(h.body().get("reason").asText()).contains("no peer");
    }
}
