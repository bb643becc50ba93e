package p3.ft.active.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerIds;
import p3.mesh.PeerRole;
import p3.mesh.Qos;
import p3.mesh.internal.InProcessMesh;
import p3.mesh.internal.Peer;
import p3.transport.DiscoverySettings;
import p3.transport.GroupSettings;
import p3.transport.LinkSettings;
import p3.transport.StandaloneTransport;
import p3.transport.TrafficClass;

/**
 * The report's recovery (Listing 8) with the active strategy, over a real in-process mesh and with
 * sensors that keep nothing (the report's sensors): when a super-peer holding FT messages fails,
 * the cell-mate nearest to its PeerId (Levenshtein) takes them over and sends them up again, and
 * the other does not; when a whole child cell dies, its parent takes over what it holds from there.
 *
 * <p>The tree: span 1, cells 0 (2 super-peers), 01 (3), 011 (2, with the 2 sensors). The three
 * super-peers of 01 are named at pairwise different distances, so whichever of them fails has one
 * nearest mate. Acknowledgements are batched every 2 s: every hop holds messages at any moment, and
 * the children's own resends after their rebind are not acknowledged (which would remove the
 * replicas at the mates) before the cell's new view makes the nearest mate take over.
 */
class TakeoverTest {

    private static final Qos FT = new Qos(true, Duration.ofMillis(500));
    private static final List<String> LEVEL_ONE = List.of("ft1", "ft12", "ft1234");

    private static InProcessMesh mesh() throws Exception {
        InProcessMesh mesh = new InProcessMesh(1, 2, List.of(2, 3, 2), 2, StandaloneTransport.open(
                LinkSettings.defaults(), GroupSettings.defaults().withFailureDetection(100, 600, 100),
                DiscoverySettings.defaults()));
        mesh.faultTolerance("active", false).ftTimers(8000, 2000);
        mesh.addService(InProcessMesh.service("event", 400, 256, false));
        mesh.addStrategy(new ActiveStrategy(ActiveStrategy.LINGER_MICROS));
        for (String id : List.of("root1", "root2", "ft1", "ft12", "ft1234", "leaf1", "leaf2")) {
            mesh.startBound(id, PeerRole.SUPER);
        }
        mesh.startBound("sensor1", PeerRole.SENSOR);
        mesh.startBound("sensor2", PeerRole.SENSOR);
        Peer client = mesh.startBound("client", PeerRole.CLIENT);
        assertThat(mesh.peer("ft1").cell()).isEqualTo(CellId.of("01", 1));
        assertThat(mesh.peer("leaf1").cell()).isEqualTo(CellId.of("011", 1));
        client.requestAll("event", FT);
        await().atMost(InProcessMesh.BOUND).until(() -> received(client) > 400);
        return mesh;
    }

    @Test
    void theCellMateNearestToAFailedSuperPeerTakesOverItsMessagesAndNothingIsLost() throws Exception {
        try (InProcessMesh mesh = mesh()) {
            Peer failing = mesh.peer(mesh.peer("leaf1").parents().get(0));
            List<String> mates = new ArrayList<>(LEVEL_ONE);
            mates.remove(failing.id());
            List<String> nearest = PeerIds.closest(failing.id(), mates);
            assertThat(nearest).as("one nearest mate of %s", failing.id()).hasSize(1);
            Peer taker = mesh.peer(nearest.get(0));
            mates.remove(taker.id());
            Peer other = mesh.peer(mates.get(0));
            // the mates keep replicas of what it holds: the last 2 s of its children's messages
            await().atMost(InProcessMesh.BOUND).until(() -> taker.ft().held() > 0 && failing.ft().held() > 0);

            failing.crash();

            await().atMost(InProcessMesh.BOUND).until(() -> taker.ft().takenOver() > 0);
            long before = received(mesh.peer("client"));
            await().atMost(InProcessMesh.BOUND).until(() -> received(mesh.peer("client")) > before + 400);
            assertThat(other.ft().takenOver()).as("%s is farther from %s than %s", other.id(), failing.id(),
                    taker.id()).isZero();

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            Peer client = mesh.peer("client");
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                Map<String, Long> lost = client.lostBySource(TrafficClass.EVENT);
                assertThat(lost).hasSize(2);
                assertThat(lost.values()).as("lost by sensor").allMatch(n -> n == 0);
            });
        }
    }

    @Test
    void theParentOfACellThatDiesWholeTakesOverWhatItHoldsFromThere() throws Exception {
        try (InProcessMesh mesh = mesh()) {
            Peer leaf1 = mesh.peer("leaf1");
            Peer leaf2 = mesh.peer("leaf2");
            await().atMost(InProcessMesh.BOUND).until(() -> LEVEL_ONE.stream().mapToInt(id -> mesh.peer(id).ft().held())
                    .sum() > 0);

            leaf1.crash();
            leaf2.crash();

            await().atMost(InProcessMesh.BOUND).until(() -> LEVEL_ONE.stream()
                    .mapToLong(id -> mesh.peer(id).ft().takenOver()).sum() > 0);
            // and the tree heals: the sensors find a cell again and stream
            Peer client = mesh.peer("client");
            long before = received(client);
            await().atMost(Duration.ofSeconds(30)).until(() -> received(client) > before + 400);
        }
    }

    private static long received(Peer client) {
        return client.classStats().isEmpty() ? 0 : client.classStats().get(0).received();
    }
}
