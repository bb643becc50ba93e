package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.PeerRole;
import p3.mesh.Qos;

/**
 * Subscriptions are leased (issue 10): a client that is gone stops costing the mesh its streams
 * and the FT messages held for it, and a live client keeps its streams by renewing them.
 */
class LeaseTest {

    private static final int LEASE_MS = FtSettings.MIN_LEASE_MS;

    @Test
    void aLiveClientKeepsItsStreamsAndAGoneOneStopsThemAndEveryStoreDrains() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape().lease(LEASE_MS)) {
            mesh.addService(InProcessMesh.service("event", 25, 1024, true));
            mesh.addService(InProcessMesh.service("audio", 38, 418, false));
            mesh.form(14, 8);
            Peer client = mesh.peer("client");
            client.requestAll("event", new Qos(true, Duration.ofMillis(100)));
            client.requestAll("audio", new Qos(true, Duration.ofMillis(100)));
            List<Peer> sensors = mesh.live(PeerRole.SENSOR);
            await().atMost(InProcessMesh.BOUND).until(() -> sensors.stream().allMatch(s -> s.streaming() == 2));

            // the client renews three times a lease: no stream stops over two leases
            await().during(Duration.ofMillis(2L * LEASE_MS)).atMost(Duration.ofMillis(3L * LEASE_MS))
                    .until(() -> sensors.stream().allMatch(s -> s.streaming() == 2));
            assertThat(mesh.live(PeerRole.SUPER).stream().mapToLong(p -> p.ft().expired()).sum())
                    .as("nothing given up while the client acknowledges").isZero();

            client.crash();
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                for (Peer s : sensors) {
                    assertThat(s.streaming()).as("%s's streams to the crashed client", s.id()).isZero();
                }
            });
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                for (Peer p : mesh.all()) {
                    if (p != client) {
                        assertThat(p.ft().held()).as("FT messages %s still holds", p.id()).isZero();
                        assertThat(p.ft().heldBytes()).as("bytes %s still holds", p.id()).isZero();
                    }
                }
            });
            assertThat(mesh.all().stream().mapToLong(p -> p.ft().expired()).sum())
                    .as("what was held for the gone client, given up and counted").isPositive();
        }
    }
}
