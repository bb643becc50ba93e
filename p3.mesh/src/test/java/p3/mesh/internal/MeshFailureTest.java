package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.FailureRecord;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;

/**
 * Crashes on the report's topology: single super-peers rebind their children fast, whole cells
 * slowly, and a lost root cell is rebuilt. Bounds: a fast rebind within 200 ms, a slow one within
 * 5 s, traffic flowing again within 20 s of the worst (the root cell).
 */
class MeshFailureTest {

    private static final double FAST_BOUND_MS = 200;
    private static final double SLOW_BOUND_MS = 5000;

    @Test
    void crashingEachSuperPeerOfAPathRebindsItsChildrenFast() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.form(14, 8);
            Peer sensor = mesh.peer("sensor1");
            for (int level = 2; level >= 0; level--) {
                Peer victim = pathAt(mesh, sensor, level);
                List<Peer> children = childrenOf(mesh, victim);
                assertThat(children).as("children of %s", victim.id()).isNotEmpty();
                victim.crash();
                for (Peer child : children) {
                    if (child.role() == PeerRole.CLIENT) {
                        // bound to every root super-peer: it keeps the other, no rebind
                        await().atMost(InProcessMesh.BOUND).until(() -> !child.parents().contains(victim.id()));
                        continue;
                    }
                    FailureRecord f = awaitRebind(child, victim);
                    assertThat(f.rebind()).as("%s after %s", child.id(), victim.id()).isEqualTo(RebindKind.FAST);
                    assertThat(f.rebindMillis()).isLessThan(FAST_BOUND_MS);
                    // fast: the new parent is a cell-mate of the one that failed
                    assertThat(mesh.peer(child.parents().get(0)).cell()).isEqualTo(victim.cell());
                }
                await().atMost(InProcessMesh.BOUND).until(mesh::everySensorReachesTheClient);
            }
            await().atMost(InProcessMesh.BOUND)
                    .untilAsserted(() -> assertThat(MeshFormationTest.disagreements(mesh)).isEmpty());
        }
    }

    @Test
    void crashingAWholeCellRebindsItsChildrenSlowly() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.form(14, 8);
            Peer sensor = mesh.peer("sensor1");
            CellId cell = sensor.cell();
            List<Peer> cellMates = supersOf(mesh, cell);
            List<Peer> sensors = new ArrayList<>();
            for (Peer p : mesh.live(PeerRole.SENSOR)) {
                if (cell.equals(p.cell())) {
                    sensors.add(p);
                }
            }
            cellMates.forEach(Peer::crash);
            for (Peer s : sensors) {
                // a sensor may rebind fast to the second super-peer in the instant before it too crashes;
                // losing the last one of the cell takes the whole join
                FailureRecord last = await().atMost(InProcessMesh.BOUND).until(() -> lastFailure(s),
                        f -> f != null && f.boundNanos() != 0 && s.state() == PeerState.BOUND && !cell.equals(s.cell()));
                assertThat(last.rebind()).isEqualTo(RebindKind.SLOW);
                assertThat(last.rebindMillis()).isBetween(0.0, SLOW_BOUND_MS);
            }
            await().atMost(InProcessMesh.BOUND).until(mesh::everySensorReachesTheClient);
        }
    }

    @Test
    void crashingALevelOneCellRebuildsItsSubtree() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.form(14, 8);
            supersOf(mesh, CellId.of("01", 2)).forEach(Peer::crash);
            mesh.awaitMesh(Duration.ofSeconds(30), () -> allBound(mesh) && mesh.everySensorReachesTheClient());
            assertThat(slowRebinds(mesh)).isNotEmpty();
        }
    }

    @Test
    void crashingTheRootCellRebuildsTheMesh() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.form(14, 8);
            supersOf(mesh, CellId.ROOT).forEach(Peer::crash);
            mesh.awaitMesh(Duration.ofSeconds(30), () -> allBound(mesh) && mesh.everySensorReachesTheClient());
            assertThat(mesh.live(PeerRole.SUPER).stream().filter(p -> p.cell().isRoot())).isNotEmpty();
            await().atMost(InProcessMesh.BOUND)
                    .untilAsserted(() -> assertThat(MeshFormationTest.disagreements(mesh)).isEmpty());
        }
    }

    @Test
    void aWiderShallowerTreeFormsAndHeals() throws Exception {
        // span 3, 3 super-peers per cell, 2 levels: cells 0; 01, 02, 03
        try (InProcessMesh mesh = TestMeshes.of(new TreeShape(3, 1, List.of(3), 2))) {
            mesh.form(12, 6);
            assertThat(mesh.live(PeerRole.SUPER)).extracting(p -> p.cell().toString()).containsOnly("0", "01", "02",
                    "03");
            assertThat(mesh.everySensorReachesTheClient()).isTrue();
            Peer sensor = mesh.peer("sensor1");
            Peer parent = pathAt(mesh, sensor, 1);
            parent.crash();
            FailureRecord f = awaitRebind(sensor, parent);
            assertThat(f.rebind()).isEqualTo(RebindKind.FAST);
            await().atMost(InProcessMesh.BOUND).until(mesh::everySensorReachesTheClient);
        }
    }

    /** The super-peer at a level on the way from a sensor to the root. */
    static Peer pathAt(InProcessMesh mesh, Peer sensor, int level) {
        Peer at = mesh.peer(sensor.parents().get(0));
        while (at.cell().depth() > level) {
            at = mesh.peer(at.parents().get(0));
        }
        return at;
    }

    static List<Peer> childrenOf(InProcessMesh mesh, Peer parent) {
        List<Peer> out = new ArrayList<>();
        for (Peer p : mesh.peers.values()) {
            if (p.state() == PeerState.BOUND && p.parents().contains(parent.id())) {
                out.add(p);
            }
        }
        return out;
    }

    static List<Peer> supersOf(InProcessMesh mesh, CellId cell) {
        List<Peer> out = new ArrayList<>();
        for (Peer p : mesh.live(PeerRole.SUPER)) {
            if (cell.equals(p.cell())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Waits for the child's record of rebinding after losing {@code failed} (any parent when null). */
    static FailureRecord awaitRebind(Peer child, Peer failed) {
        return await().atMost(InProcessMesh.BOUND).until(() -> {
            for (FailureRecord f : child.failures()) {
                if ((failed == null || f.failed().equals(failed.id())) && f.rebind() != null && f.boundNanos() != 0
                        && child.state() == PeerState.BOUND) {
                    return f;
                }
            }
            return null;
        }, f -> f != null);
    }

    static FailureRecord lastFailure(Peer p) {
        List<FailureRecord> seen = p.failures();
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    static boolean allBound(InProcessMesh mesh) {
        for (Peer p : mesh.peers.values()) {
            if (p.state() != PeerState.CRASHED && p.state() != PeerState.BOUND) {
                return false;
            }
        }
        return true;
    }

    static List<FailureRecord> slowRebinds(InProcessMesh mesh) {
        List<FailureRecord> out = new ArrayList<>();
        for (Peer p : mesh.peers.values()) {
            for (FailureRecord f : p.failures()) {
                if (f.rebind() == RebindKind.SLOW) {
                    out.add(f);
                }
            }
        }
        return out;
    }
}
