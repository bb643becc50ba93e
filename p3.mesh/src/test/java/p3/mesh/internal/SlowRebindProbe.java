package p3.mesh.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.FailureRecord;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;

/** Scratch: where a slow rebind's time goes (not committed). */
class SlowRebindProbe {

    @Test
    void probe() throws Exception {
        for (String victims : List.of(System.getProperty("probe.cell", "01"))) {
            try (InProcessMesh mesh = TestMeshes.reportShape()) {
                mesh.form(14, 8);
                List<Peer> cell = MeshFailureTest.supersOf(mesh, CellId.of(victims, 2));
                List<Peer> kids = new java.util.ArrayList<>();
                for (Peer v : cell) {
                    kids.addAll(MeshFailureTest.childrenOf(mesh, v));
                }
                System.out.println("PROBE children " + kids.stream().map(Peer::id).toList());
                long t0 = System.nanoTime();
                System.out.println("PROBE crash cell " + victims + " " + cell.stream().map(Peer::id).toList());
                cell.forEach(Peer::crash);
                mesh.awaitMesh(java.time.Duration.ofSeconds(20), () -> kids.stream().allMatch(k -> k.failures().stream()
                        .anyMatch(f -> f.rebind() != null && f.boundNanos() != 0)) && mesh.live(PeerRole.SUPER).stream()
                        .allMatch(p -> p.state() == PeerState.BOUND) && mesh.live(PeerRole.SENSOR).stream()
                        .allMatch(p -> p.state() == PeerState.BOUND));
                for (Peer p : mesh.peers.values()) {
                    for (FailureRecord f : p.failures()) {
                        if (f.rebind() != null) {
                            System.out.printf("PROBE %s %s after %s: %s %.1f ms (detected +%.1f ms)%n", victims, p.id(),
                                    f.failed(), f.rebind(), f.rebindMillis(), (f.detectedNanos() - t0) / 1e6);
                        }
                    }
                }
            }
        }
    }
}
