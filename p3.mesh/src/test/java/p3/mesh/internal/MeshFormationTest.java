package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;

/** The report's bench topology forms over real sockets, and the root knows what every peer believes. */
class MeshFormationTest {

    @Test
    void reportTopologyFormsAndEverySensorReachesTheClient() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.form(14, 8);

            Map<CellId, Integer> supers = new HashMap<>();
            Map<CellId, Integer> sensors = new HashMap<>();
            for (Peer p : mesh.peers.values()) {
                if (p.role() == PeerRole.SUPER) {
                    supers.merge(p.cell(), 1, Integer::sum);
                } else if (p.role() == PeerRole.SENSOR) {
                    sensors.merge(p.cell(), 1, Integer::sum);
                }
            }
            assertThat(supers).hasSize(7).allSatisfy((cell, n) -> assertThat(n).as("supers in " + cell).isEqualTo(2));
            assertThat(sensors.keySet()).extracting(CellId::toString).containsExactlyInAnyOrder("011", "012", "021",
                    "022");
            assertThat(sensors.values()).containsOnly(2);
            assertThat(mesh.peer("client").cell()).isEqualTo(CellId.ROOT);
            assertThat(mesh.peer("client").parents()).hasSize(2);

            assertThat(mesh.everySensorReachesTheClient()).isTrue();
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> assertThat(disagreements(mesh)).isEmpty());
        }
    }

    /**
     * A client binds to every root super-peer, those that come after it too: one that joined while the
     * root cell had a single super-peer kept that one alone, and had no parent at all once it failed.
     */
    @Test
    void aClientBindsToARootSuperPeerThatCameAfterIt() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.startBound("sp01", PeerRole.SUPER);
            Peer client = mesh.startBound("client", PeerRole.CLIENT);
            assertThat(client.parents()).containsExactly("sp01");

            Peer sp02 = mesh.startBound("sp02", PeerRole.SUPER);
            assertThat(sp02.cell()).isEqualTo(CellId.ROOT);
            await().atMost(InProcessMesh.BOUND).until(() -> client.parents().size() == 2);
            assertThat(client.parents()).containsExactlyInAnyOrder("sp01", "sp02");
        }
    }

    /**
     * Where the root's records differ from the cell and parent each live peer believes, and records of
     * peers that are not live; empty when they agree.
     */
    static List<String> disagreements(InProcessMesh mesh) {
        Peer root = mesh.live(PeerRole.SUPER).stream().filter(p -> p.cell() != null && p.cell().isRoot()).findFirst()
                .orElseThrow();
        Map<String, PeerRecord> tree = new HashMap<>();
        for (PeerRecord r : root.knownRecords()) {
            tree.put(r.peer(), r);
        }
        List<Peer> members = new java.util.ArrayList<>(mesh.live(PeerRole.SUPER));
        members.addAll(mesh.live(PeerRole.SENSOR));
        members.addAll(mesh.live(PeerRole.CLIENT));
        List<String> out = new java.util.ArrayList<>();
        for (Peer p : members) {
            PeerRecord r = tree.remove(p.id());
            // a client is bound to every root super-peer: any of them may be on record
            List<String> parents = p.parents().isEmpty() ? List.of("") : p.parents();
            if (r == null || !r.cell().equals(p.cell()) || !parents.contains(r.parent())) {
                out.add(p.id() + " believes " + p.cell() + "/" + parents + ", root has " + r);
            }
        }
        tree.keySet().forEach(stale -> out.add("root still has " + stale));
        return out;
    }
}
