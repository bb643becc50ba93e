package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import p3.mesh.ClassStats;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.transport.TrafficClass;

/**
 * FT messages in the mesh alone, with no strategy bundle: each hop holds them until the client's
 * acknowledgement comes back down, and sends them again after a rebind. The strategies' cell
 * replication and takeovers are tested with the strategies (p3.bench).
 */
class CustodyMeshTest {

    private static final Qos FT = new Qos(true, Duration.ofMillis(100));

    @Test
    void withSensorMemoryNoFtMessageIsLostWhateverLevelCrashes() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.addService(InProcessMesh.service("event", 200, 256, false));
            mesh.form(14, 8);
            Peer client = mesh.peer("client");
            client.requestAll("event", FT);
            awaitFlowing(client, 8 * 200);

            Peer sensor1 = mesh.peer("sensor1");
            Peer level2 = mesh.peer(sensor1.parents().get(0));
            level2.crash();
            MeshFailureTest.awaitRebind(sensor1, level2);
            awaitFlowing(client, received(client) + 8 * 100);

            Peer sensor8 = mesh.peer("sensor8");
            awaitAllBound(mesh); // a path is read from the parents, which a rebinding peer has none of
            Peer level1 = MeshFailureTest.pathAt(mesh, sensor8, 1);
            level1.crash();
            awaitFlowing(client, received(client) + 8 * 100);

            awaitAllBound(mesh);
            Peer root = mesh.peer(MeshFailureTest.pathAt(mesh, mesh.peer("sensor4"), 0).id());
            root.crash();
            mesh.awaitMesh(InProcessMesh.BOUND, () -> client.parents().size() == 1);
            awaitFlowing(client, received(client) + 8 * 100);

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            Map<String, Long> lost = new HashMap<>();
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                lost.clear();
                lost.putAll(client.lostBySource(TrafficClass.EVENT));
                assertThat(lost).hasSize(8);
                assertThat(lost.values()).allMatch(n -> n == 0);
            });
            ClassStats events = client.classStats().get(0);
            assertThat(events.received()).isEqualTo(events.sent());
            // every acknowledgement came back down: nothing is held any more, anywhere
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                for (Peer p : mesh.all()) {
                    if (p.state() == PeerState.BOUND) {
                        assertThat(p.ft().held()).as(p.id()).isZero();
                    }
                }
            });
            assertThat(sensor1.ft().resent()).as("sensor1 sent its unacknowledged messages again").isPositive();
        }
    }

    @Test
    void withoutSensorMemoryALevelTwoCrashCostsOnlyItsSensorsRebindWindow() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.faultTolerance("active", false);
            mesh.addService(InProcessMesh.service("event", 200, 256, false));
            mesh.form(14, 8);
            Peer client = mesh.peer("client");
            client.requestAll("event", FT);
            awaitFlowing(client, 8 * 200);
            Peer sensor1 = mesh.peer("sensor1");
            Peer level2 = mesh.peer(sensor1.parents().get(0));
            Peer level1 = mesh.peer(level2.parents().get(0));
            Set<String> itsSensors = new HashSet<>();
            for (Peer sensor : mesh.live(PeerRole.SENSOR)) {
                if (sensor.parents().contains(level2.id())) {
                    itsSensors.add(sensor.id());
                }
            }
            level2.crash();
            MeshFailureTest.awaitRebind(sensor1, level2);
            awaitFlowing(client, received(client) + 8 * 100);
            // and a crash above level 2 costs nothing: the hops below hold what it had not passed on
            level1.crash();
            awaitFlowing(client, received(client) + 8 * 100);

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            Map<String, Long> lost = new HashMap<>();
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                lost.clear();
                lost.putAll(client.lostBySource(TrafficClass.EVENT));
                assertThat(lost).hasSize(8);
                for (Map.Entry<String, Long> e : lost.entrySet()) {
                    if (!itsSensors.contains(e.getKey())) {
                        assertThat(e.getValue()).as(e.getKey()).isZero();
                    }
                }
            });
            assertThat(sensor1.ft().strategy()).isEqualTo("no memory");
        }
    }

    static void awaitAllBound(InProcessMesh mesh) {
        mesh.awaitMesh(InProcessMesh.BOUND, () -> mesh.all().stream()
                .allMatch(p -> p.state() == PeerState.BOUND || p.state() == PeerState.CRASHED));
    }

    private static void awaitFlowing(Peer client, long atLeast) {
        await().atMost(InProcessMesh.BOUND).until(() -> received(client) >= atLeast);
    }

    private static long received(Peer client) {
        return client.classStats().isEmpty() ? 0 : client.classStats().get(0).received();
    }
}
