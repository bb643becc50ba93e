package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static p3.mesh.internal.FakeMesh.FOUNDING_MS;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;
import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.TrafficClass;

/**
 * A peer that hangs (its process stops, its sockets stay open) is found through its MESH link
 * only: the transport closes a silent MESH link as idle and leaves the other classes' links alone,
 * so the mesh must close a hung peer's class links itself, on both sides of the pair. Virtual time,
 * in-memory links; a hung peer is one whose strand stops running anything, so that it hears
 * nothing and answers nothing.
 */
class HungPeerTest {

    private static final CellId C01 = CellId.of("01", 2);

    private FakeMesh mesh;
    private final Map<String, Gate> gates = new HashMap<>();

    @AfterEach
    void noTaskFailedAndNothingEscaped() {
        if (mesh != null) {
            mesh.closeChecked();
        }
    }

    /**
     * Runs a strand's tasks inline until it hangs; then keeps them, as a stopped process keeps what
     * its sockets received, and runs them in order when it resumes.
     */
    private static final class Gate implements Executor {
        private final Queue<Runnable> kept = new ArrayDeque<>();
        private boolean hung;

        @Override
        public void execute(Runnable task) {
            if (hung) {
                kept.add(task);
            } else {
                task.run();
            }
        }

        void resume() {
            for (Runnable task; (task = kept.poll()) != null;) {
                task.run(); // what these tasks hand the strand waits its turn behind them
            }
            hung = false;
        }
    }

    private Peer start(String id, PeerRole role) throws Exception {
        Gate gate = new Gate();
        gates.put(id, gate);
        return mesh.start(id, role, new Strand(id, gate, 1 << 16));
    }

    private void hang(String id) {
        gates.get(id).hung = true;
    }

    private void resume(String id) {
        gates.get(id).resume();
    }

    /** Two super-peers in the root, sp3 below them in cell 01, with an AUDIO service: links of two classes to each. */
    private Peer rootOfTwoAndAChildCellWithAudio() throws Exception {
        mesh = new FakeMesh(2, 1, List.of(2, 1), 2);
        start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        start("sp2", PeerRole.SUPER);
        Peer sp3 = start("sp3", PeerRole.SUPER);
        sp3.serviceAdded(InProcessMesh.service("audio", 38, 418, false));
        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(C01);
        for (String parent : List.of("sp1", "sp2")) {
            assertThat(mesh.net.links.openEnds(parent, "sp3")).as("bound to one, pre-bound to the other")
                    .extracting(e -> e.cls).containsExactlyInAnyOrder(TrafficClass.MESH, TrafficClass.AUDIO);
        }
        return sp3;
    }

    /** The transport of {@code peer} finds its MESH link to {@code hung} silent past the idle timeout. */
    private void meshLinkIdles(String peer, String hung) {
        FakeLinks.End mesh = this.mesh.net.links.openEnds(peer, hung).stream()
                .filter(e -> e.cls == TrafficClass.MESH).findFirst().orElseThrow();
        mesh.idle();
    }

    @Test
    void aHungChildLosesEveryLinkAtItsParentAndAtItsBackupNotOnlyTheMeshLinks() throws Exception {
        Peer sp3 = rootOfTwoAndAChildCellWithAudio();
        String parent = sp3.parents().get(0);
        String backup = parent.equals("sp1") ? "sp2" : "sp1";
        assertThat(mesh.peer(parent).routing.table().children()).containsKey("sp3");

        hang("sp3");
        meshLinkIdles(parent, "sp3");
        meshLinkIdles(backup, "sp3");

        assertThat(mesh.net.links.openEnds(parent, "sp3")).as("the AUDIO link too").isEmpty();
        assertThat(mesh.net.links.openEnds(backup, "sp3")).as("the pre-bound AUDIO link too").isEmpty();
        assertThat(mesh.peer(parent).routing.table().children()).doesNotContainKey("sp3");
        assertThat(mesh.peer(parent).failures()).extracting(f -> f.failed()).contains("sp3");
    }

    @Test
    void aChildWhoseParentHungClosesEveryLinkToItAndRebindsToTheBackup() throws Exception {
        Peer sp3 = rootOfTwoAndAChildCellWithAudio();
        String parent = sp3.parents().get(0);
        String backup = parent.equals("sp1") ? "sp2" : "sp1";

        hang(parent);
        meshLinkIdles("sp3", parent);

        assertThat(mesh.net.links.openEnds("sp3", parent)).as("the AUDIO link too").isEmpty();
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly(backup);
        assertThat(sp3.failures()).singleElement().satisfies(f -> {
            assertThat(f.failed()).isEqualTo(parent);
            assertThat(f.rebind()).isEqualTo(RebindKind.FAST);
        });
        assertThat(mesh.net.links.openEnds("sp3", backup)).extracting(e -> e.cls)
                .containsExactlyInAnyOrder(TrafficClass.MESH, TrafficClass.AUDIO);
    }

    /**
     * A hung child that resumes (SIGCONT after SIGSTOP) finds its links closed by the parents that
     * excluded it, and binds again as any orphan does: it must not carry on as if it were still
     * their child.
     */
    @Test
    void aHungChildThatResumesLearnsItWasExcludedAndBindsAgain() throws Exception {
        Peer sp3 = rootOfTwoAndAChildCellWithAudio();
        String parent = sp3.parents().get(0);
        String backup = parent.equals("sp1") ? "sp2" : "sp1";
        hang("sp3");
        meshLinkIdles(parent, "sp3");
        meshLinkIdles(backup, "sp3");
        assertThat(mesh.peer(parent).routing.table().children()).doesNotContainKey("sp3");

        resume("sp3");
        mesh.advanceMs(4 * Peer.HOUSEKEEPING_MS);
        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).as("it keeps its cell").isEqualTo(C01);
        assertThat(sp3.failures()).as("it saw its parent's links go").extracting(f -> f.failed()).contains(parent);
        String now = sp3.parents().get(0);
        assertThat(mesh.peer(now).routing.table().children()).as("a child of %s again", now).containsKey("sp3");
        assertThat(mesh.net.links.openEnds("sp3", now)).extracting(e -> e.cls)
                .containsExactlyInAnyOrder(TrafficClass.MESH, TrafficClass.AUDIO);
    }

    /**
     * A class link that reached a parent without a MESH link beside it, or after that one closed
     * (from a child that hung right after opening it, say), is closed by housekeeping after a grace:
     * no heartbeat watches it.
     */
    @Test
    void aClassLinkWithoutAMeshLinkBesideItIsClosedAfterAGrace() throws Exception {
        rootOfTwoAndAChildCellWithAudio();
        Link stray = mesh.net.links.connect(mesh.net.links.addressOf("sp1"), "sp9", TrafficClass.AUDIO, new Mute())
                .toCompletableFuture().getNow(null);
        assertThat(stray).isNotNull();

        mesh.advanceMs(2 * Peer.HOUSEKEEPING_MS);
        assertThat(stray.isOpen()).as("within the grace: it may be a child still opening its MESH link").isTrue();
        mesh.advanceMs(2 * Peer.HOUSEKEEPING_MS);
        assertThat(stray.isOpen()).isFalse();
        assertThat(mesh.peer("sp1").routing.table().children()).doesNotContainKey("sp9");
        assertThat(mesh.net.links.openEnds("sp1", "sp3")).as("a child with its MESH link keeps its links")
                .extracting(e -> e.cls).contains(TrafficClass.AUDIO);
    }

    private static final class Mute implements LinkHandler {
        @Override
        public void onOpen(Link link) {
        }

        @Override
        public void onFrame(Link link, Frame frame) {
        }

        @Override
        public void onClose(Link link, CloseReason reason) {
        }
    }
}
