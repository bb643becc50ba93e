package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static p3.mesh.internal.FakeMesh.BIND_MS;
import static p3.mesh.internal.FakeMesh.DISCOVERY_MS;
import static p3.mesh.internal.FakeMesh.FOUNDING_MS;
import static p3.mesh.internal.FakeMesh.STAGGER_MS;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.FailureRecord;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoverySpec;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * Join, placement and rebind (report, Listings 1 to 3) on virtual time, over the in-memory
 * transport, each peer on a strand inline on the test's thread: who founds the root and when,
 * where placement puts each role, what a malformed reply does, how a child rebinds fast or slowly
 * when its parent fails, what a BIND that is never answered does, and what a crash in the middle
 * of a join leaves behind.
 */
class JoinTest {

    private static final CellId ROOT = CellId.ROOT;
    private static final CellId C01 = CellId.of("01", 2);

    private FakeMesh mesh;

    @AfterEach
    void noTaskFailedAndNothingEscaped() {
        if (mesh != null) {
            mesh.closeChecked();
        }
    }

    /** Span 2, one level below the root; two super-peers in the root, one in a child cell, two sensors there. */
    private FakeMesh twoLevels() {
        mesh = new FakeMesh(2, 1, List.of(2, 1), 2);
        return mesh;
    }

    /** sp1 founds the root and sp2 joins it. @return sp1 */
    private Peer rootOfTwo() throws Exception {
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        mesh.start("sp2", PeerRole.SUPER);
        return sp1;
    }

    /** sp1 founds the root; sp2 joins it; sp3 goes to cell 01 below them. */
    /** {@link #rootOfTwoAndAChildCell}, and the root super-peer that is not sp3's parent, its backup, crashes. */
    private Peer childWithoutABackup() throws Exception {
        twoLevels();
        Peer sp3 = rootOfTwoAndAChildCell();
        mesh.peer(otherRootSuperPeer(sp3.parents().get(0))).crash();
        return sp3;
    }

    /** The root super-peer of {@link #rootOfTwo} that is not {@code one}: a child's backup. */
    private static String otherRootSuperPeer(String one) {
        return one.equals("sp1") ? "sp2" : "sp1";
    }

    private Peer rootOfTwoAndAChildCell() throws Exception {
        Peer sp1 = rootOfTwo();
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        assertThat(sp1.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(C01);
        return sp3;
    }

    // ---------------------------------------------------------------------------------------
    // (a) founding the root

    /**
     * The first super-peer of a mesh founds the root only after two requests that nobody answered, a
     * stagger apart: one unanswered request on a busy machine is weak evidence, and a second root
     * founded beside a slow one splits the mesh.
     */
    @Test
    void aLoneSuperPeerFoundsTheRootOnlyOnceNobodyAnsweredItsRequestTwice() throws Exception {
        twoLevels();
        long t0 = mesh.clock.nanoTime();
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);

        assertThat(sp1.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).hasSize(1);
        mesh.advanceMs(DISCOVERY_MS + STAGGER_MS);
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).as("asked again after a stagger").hasSize(2);
        mesh.advanceMs(DISCOVERY_MS - 1);
        assertThat(sp1.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.members(ROOT)).isEmpty();
        assertThat(mesh.net.discovery.serving("0")).isZero();

        mesh.advanceMs(1);
        assertThat(sp1.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp1.cell()).isEqualTo(ROOT);
        assertThat(mesh.members(ROOT)).containsExactly("sp1");
        assertThat(mesh.net.discovery.serving("0")).isEqualTo(1);
        assertThat(sp1.parents()).isEmpty();
        assertThat(mesh.clock.nanoTime() - t0).isEqualTo(TimeUnit.MILLISECONDS.toNanos(FOUNDING_MS));
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).as("asked twice, then founded").hasSize(2);
    }

    /**
     * Groups of one cell founded apart (founders racing a rebuild) merge into one view with more
     * super-peers than the cell has places: the one beyond them leaves and joins anew, the others stay.
     */
    @Test
    void aSuperPeerBeyondItsCellsPlacesAfterAMergeLeavesAndJoinsAnew() throws Exception {
        mesh = new FakeMesh(2, 1, List.of(2, 2), 2);
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);
        assertThat(mesh.members(ROOT)).containsExactly("sp1", "sp2");
        int asked = mesh.asked("0", Control.Kind.REQUEST_CELL).size();

        mesh.net.groups.cluster(FakeMesh.cluster(ROOT)).mergedView(List.of("sp1", "sp9", "sp2"));

        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).as("sp2 asked the root for a place again")
                .hasSize(asked + 1);
        assertThat(sp1.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp2.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(mesh.members(ROOT)).as("sp2 left and was placed where there is room").containsExactly("sp1",
                "sp2");
        assertThat(mesh.troubles()).isEmpty();
    }

    /**
     * The root fails, and with it the only way up: the super-peer of cell 01 finds nobody above, asks
     * the root while it keeps cell 01, and founds the root at once (its peers take the turns of a
     * root that is gone). Leaving 01 lets the super-peer of 011 go, which finds nobody in 01 either:
     * the root sends it up to found 01, without waiting a turn.
     */
    @Test
    void afterTheRootFailsTheShallowerSuperPeerFoundsItAndTheDeeperFoundsTheCellItLeft() throws Exception {
        mesh = new FakeMesh(1, 2, List.of(1), 0);
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        assertThat(List.of(sp1.cell(), sp2.cell(), sp3.cell())).as(mesh.describe())
                .containsExactly(ROOT, CellId.of("01", 1), CellId.of("011", 1));
        assertThat(sp3.parents()).containsExactly("sp2");

        sp1.crash();
        assertThat(sp2.state()).isEqualTo(PeerState.REBINDING);
        // sp2: RequestParent of the root (D), RequestCell while still in 01 (D), founds at once
        long founds = 2L * DISCOVERY_MS;
        mesh.advanceMs(founds - 1);
        assertThat(mesh.members(ROOT)).isEmpty();
        assertThat(sp2.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.members(CellId.of("01", 1))).as("it keeps its cell while it asks").containsExactly("sp2");
        assertThat(sp3.state()).as("still bound to sp2").isEqualTo(PeerState.BOUND);
        mesh.advanceMs(1);
        assertThat(mesh.members(ROOT)).containsExactly("sp2");
        assertThat(sp2.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp2.cell()).isEqualTo(ROOT);

        // sp3 lost sp2 when it left 01 (at 2D), the only super-peer it knew there: it asked the root at once,
        // before sp2 served it (nobody, D), asked again, and the root placed it in 01 at once
        long sp3Bound = 3L * DISCOVERY_MS;
        mesh.advanceMs(sp3Bound - founds - 1);
        assertThat(sp3.state()).isNotEqualTo(PeerState.BOUND);
        mesh.advanceMs(1);
        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(CellId.of("01", 1));
        assertThat(sp3.parents()).containsExactly("sp2");
        assertThat(mesh.members(ROOT)).containsExactly("sp2");

        assertThat(sp2.failures()).extracting(FailureRecord::failed, FailureRecord::rebind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sp1", RebindKind.SLOW));
        assertThat(sp3.failures()).extracting(FailureRecord::failed, FailureRecord::rebind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sp2", RebindKind.SLOW));
    }

    /**
     * The root cell crashes whole above a level-1 cell of two: the first of them founds the root, and
     * the root it founds counts itself there, so its cell-mate stays in 01 and binds to it. Counted in
     * 01, where its record still was, it sent the cell-mate up too and emptied 01 under its children.
     */
    @Test
    void whenTheRootCellCrashesOneSuperPeerBelowFoundsItAndItsCellMateStays() throws Exception {
        mesh = new FakeMesh(1, 2, List.of(2), 0);
        mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        for (String id : List.of("sp2", "sp3", "sp4", "sp5", "sp6")) {
            mesh.start(id, PeerRole.SUPER);
        }
        CellId c01 = CellId.of("01", 1);
        assertThat(mesh.members(c01)).as(mesh.describe()).containsExactlyInAnyOrder("sp3", "sp4");
        assertThat(mesh.members(CellId.of("011", 1))).containsExactlyInAnyOrder("sp5", "sp6");

        mesh.peer("sp1").crash();
        mesh.peer("sp2").crash();
        mesh.advanceMs(20L * (DISCOVERY_MS + STAGGER_MS));

        assertThat(mesh.members(ROOT)).as(mesh.describe()).hasSize(1);
        String founder = mesh.members(ROOT).get(0);
        assertThat(founder).isIn("sp3", "sp4");
        assertThat(mesh.members(c01)).as("the founder's cell-mate stayed").containsExactly(
                founder.equals("sp3") ? "sp4" : "sp3");
        for (String id : List.of("sp3", "sp4", "sp5", "sp6")) {
            assertThat(mesh.peer(id).state()).as(id + "\n" + mesh.describe()).isEqualTo(PeerState.BOUND);
        }
        assertThat(mesh.peer("sp5").cell()).isEqualTo(CellId.of("011", 1));
        assertThat(mesh.peer("sp6").cell()).isEqualTo(CellId.of("011", 1));
    }

    /**
     * A level-1 cell crashes under a level-2 cell of two: one orphan moves up to found it, the other
     * keeps the cell, and the sensor below keeps a parent throughout (a fast rebind at most). The
     * report's orphans both left their cell to join anew, and the sensor lost both parents.
     */
    @Test
    void whenAParentCellIsGoneOneOrphanFoundsItAndTheOtherKeepsItsCell() throws Exception {
        chainEndingInACellOfTwo();
        Peer sp2 = mesh.peer("sp2");
        Peer sp3 = mesh.peer("sp3");
        Peer sp4 = mesh.peer("sp4");
        Peer sensor = mesh.start("sensor1", PeerRole.SENSOR);
        CellId c01 = CellId.of("01", 1);
        CellId c011 = CellId.of("011", 1);
        assertThat(mesh.members(c011)).as(mesh.describe()).containsExactlyInAnyOrder("sp3", "sp4");
        assertThat(sensor.state()).isEqualTo(PeerState.BOUND);

        sp2.crash();
        // both saw the only super-peer they knew in 01 go: they ask the root at once (not 01, which is silent
        // for a discovery timeout), and the root answers once it has forgotten sp2
        mesh.advanceMs(10);

        assertThat(mesh.members(c01)).as(mesh.describe()).hasSize(1);
        assertThat(mesh.members(c011)).hasSize(1);
        Peer up = mesh.peer(mesh.members(c01).get(0));
        Peer kept = mesh.peer(mesh.members(c011).get(0));
        assertThat(List.of(up.state(), kept.state())).containsOnly(PeerState.BOUND);
        assertThat(kept.parents()).containsExactly(up.id());
        assertThat(up.parents()).containsExactly("sp1");
        assertThat(sensor.state()).isEqualTo(PeerState.BOUND);
        assertThat(sensor.parents()).containsExactly(kept.id());
        assertThat(sensor.failures()).extracting(FailureRecord::rebind).doesNotContain(RebindKind.SLOW);
        assertThat(List.of(sp3, sp4)).allSatisfy(p -> assertThat(p.failures()).filteredOn(f -> f.failed().equals("sp2"))
                .extracting(FailureRecord::rebind).containsExactly(RebindKind.SLOW));
    }

    /**
     * A sensor whose parent goes while the cell-mate it pre-bound to is itself rebinding (the root
     * crashed; the parent left cell 01 to found it again): its BIND is held until the cell-mate is
     * bound, and it rebinds fast. Refused at once ("not bound yet"), it went the slow way.
     */
    @Test
    void aBindToASuperPeerThatIsRebindingWaitsForItAndTheChildRebindsFast() throws Exception {
        mesh = new FakeMesh(1, 1, List.of(1, 2), 1);
        mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        mesh.start("sp2", PeerRole.SUPER);
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        Peer sensor = mesh.start("sensor2", PeerRole.SENSOR); // its name's hash picks sp2, the first of 01
        assertThat(sensor.parents()).as(mesh.describe()).containsExactly("sp2");
        assertThat(sensor.links()).as("pre-bound to sp3").anyMatch(l -> l.startsWith("pre ") && l.contains("sp3"));

        mesh.peer("sp1").crash();
        // sp2 founds the root after two silences (2D) and leaves 01; sp3, second in 01, asks a stagger later
        mesh.advanceMs(2L * DISCOVERY_MS);
        assertThat(mesh.members(ROOT)).as(mesh.describe()).containsExactly("sp2");
        assertThat(sp3.state()).isNotEqualTo(PeerState.BOUND);
        assertThat(sensor.state()).as("its BIND waits for sp3").isNotEqualTo(PeerState.BOUND);
        mesh.advanceMs(DISCOVERY_MS - 1);

        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(C01);
        assertThat(sensor.state()).isEqualTo(PeerState.BOUND);
        assertThat(sensor.parents()).containsExactly("sp3");
        assertThat(sensor.failures()).filteredOn(f -> f.failed().equals("sp2")).extracting(FailureRecord::rebind)
                .containsExactly(RebindKind.FAST);
    }

    /** Cells 0 and 01 with a super-peer each (sp1, sp2), and 011 with two (sp3, sp4), room for one sensor each. */
    private void chainEndingInACellOfTwo() throws Exception {
        mesh = new FakeMesh(1, 2, List.of(1, 1, 2), 1);
        mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        for (String id : List.of("sp2", "sp3", "sp4")) {
            mesh.start(id, PeerRole.SUPER);
        }
    }

    /**
     * While they rebind, still in their cell, its super-peers answer the root's check of the cell
     * with a refusal at once (once the root took silence for a crash and forgot them and the sensors
     * they kept, for good), and a joiner asking for a parent once they are bound again, not with
     * silence: a child that asked then waited out the discovery timeout and asked again.
     */
    @Test
    void superPeersRebindingInTheirCellRefuseTheRootsCheckAndAnswerAJoinerOnceBound() throws Exception {
        chainEndingInACellOfTwo();
        mesh.peer("sp2").crash();
        assertThat(List.of(mesh.peer("sp3").state(), mesh.peer("sp4").state())).doesNotContain(PeerState.BOUND);

        DiscoverySpec spec = new DiscoverySpec(new InetSocketAddress(FakeTransport.LOOPBACK, 0), 1, true, List.of(), 0);
        try (DiscoveryEndpoint d = mesh.net.discovery.open(spec)) {
            Duration wait = Duration.ofMillis(DISCOVERY_MS);
            CompletableFuture<List<DiscoveryReply>> check = d.request("011", mesh.codec.encode(
                    Control.of(Control.Kind.REQUEST_PARENT, Placement.CELL_CHECK, "SUPER")), wait, 2).toCompletableFuture();
            CompletableFuture<List<DiscoveryReply>> joiner = d.request("011", mesh.codec.encode(
                    Control.of(Control.Kind.REQUEST_PARENT, 0, "SENSOR")), wait, 1).toCompletableFuture()
                    .exceptionally(timedOut -> List.of());
            assertThat(check).as("refused at once").isCompleted();
            assertThat(check.get()).hasSize(2).allSatisfy(r -> assertThat(mesh.codec.decode(r.payload()))
                    .satisfies(c -> assertThat(c.kind()).isEqualTo(Control.Kind.REFUSED)));
            assertThat(joiner).as("no parent to give yet").isNotCompleted();

            mesh.advanceMs(DISCOVERY_MS - 1);
            Peer kept = mesh.peer(mesh.members(CellId.of("011", 1)).get(0));
            assertThat(kept.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
            assertThat(joiner).as("answered before its timeout").isCompleted();
            assertThat(joiner.get()).singleElement().satisfies(r -> {
                Control c = mesh.codec.decode(r.payload());
                assertThat(c.kind()).isEqualTo(Control.Kind.PARENT);
                assertThat(c.records()).extracting(PeerRecord::peer).containsExactly(kept.id());
            });
        }
    }

    // ---------------------------------------------------------------------------------------
    // (b) placement

    @Test
    void superPeersFillTheRootThenAChildCellSensorsGoBelowAndTheClientBindsToEveryRootSuperPeer() throws Exception {
        twoLevels();
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);

        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);
        assertThat(sp2.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp2.cell()).isEqualTo(ROOT);
        assertThat(mesh.members(ROOT)).containsExactly("sp1", "sp2");

        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(C01);
        assertThat(mesh.members(C01)).containsExactly("sp3");
        assertThat(sp3.parents()).hasSize(1).allMatch(p -> p.equals("sp1") || p.equals("sp2"));
        assertThat(sp3.links()).as("a backup parent pre-bound").anyMatch(l -> l.startsWith("pre "));

        Peer sensor = mesh.start("sensor1", PeerRole.SENSOR);
        assertThat(sensor.state()).isEqualTo(PeerState.BOUND);
        assertThat(sensor.cell()).isEqualTo(C01);
        assertThat(sensor.parents()).containsExactly("sp3");

        Peer client = mesh.start("client", PeerRole.CLIENT);
        assertThat(client.state()).isEqualTo(PeerState.BOUND);
        assertThat(client.cell()).isEqualTo(ROOT);
        assertThat(client.parents()).containsExactlyInAnyOrder("sp1", "sp2");

        assertThat(mesh.clock.nanoTime() - 1_000_000_000L).as("only the founder waited")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(FOUNDING_MS));
        // Listing 3: the root cell knows every peer, and where it is
        for (Peer root : List.of(sp1, sp2)) {
            assertThat(root.knownRecords()).extracting(PeerRecord::peer, PeerRecord::cell).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("sp1", ROOT), org.assertj.core.groups.Tuple.tuple("sp2", ROOT),
                    org.assertj.core.groups.Tuple.tuple("sp3", C01),
                    org.assertj.core.groups.Tuple.tuple("sensor1", C01),
                    org.assertj.core.groups.Tuple.tuple("client", ROOT));
        }
    }

    @Test
    void aSensorIsNeverPlacedInTheRootAndWaitsForACellWithASuperPeer() throws Exception {
        twoLevels();
        mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        Peer sensor = mesh.start("sensor1", PeerRole.SENSOR);
        assertThat(sensor.state()).isEqualTo(PeerState.JOINING);
        assertThat(sensor.parents()).isEmpty();

        mesh.start("sp2", PeerRole.SUPER);
        mesh.start("sp3", PeerRole.SUPER);
        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sensor.state()).isEqualTo(PeerState.BOUND);
        assertThat(sensor.parents()).containsExactly("sp3");
    }

    // ---------------------------------------------------------------------------------------
    // (c) malformed replies

    @Test
    void aCellReplyThatIsNotACellOfThisTreeIsCountedAndThePeerAsksAgainUntilAGoodOneComes() throws Exception {
        twoLevels();
        mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        List<String> bad = new java.util.ArrayList<>(List.of("03", "0x")); // of a tree of span 3, and of none
        mesh.net.discovery.replies = (cell, bytes) -> {
            Control c = mesh.codec.decode(bytes);
            if (c.kind() != Control.Kind.CELL || bad.isEmpty()) {
                return bytes;
            }
            return mesh.codec.encode(Control.of(Control.Kind.CELL, c.id(), bad.remove(0)));
        };

        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);
        assertThat(sp2.state()).isEqualTo(PeerState.JOINING);
        assertThat(sp2.counters().malformed()).isEqualTo(1);
        assertThat(mesh.members(ROOT)).containsExactly("sp1");

        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sp2.state()).isEqualTo(PeerState.JOINING);
        assertThat(sp2.counters().malformed()).isEqualTo(2);

        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sp2.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp2.cell()).isEqualTo(ROOT);
        assertThat(sp2.counters().malformed()).isEqualTo(2);
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).as("sp1's two, sp2's three").hasSize(2 + 3);
    }

    @Test
    void aReplyThatIsNoControlMessageIsCountedAndTheSensorKeepsAsking() throws Exception {
        twoLevels();
        rootOfTwoAndAChildCell();
        AtomicInteger garbled = new AtomicInteger(2);
        mesh.net.discovery.replies = (cell, bytes) -> garbled.getAndDecrement() > 0 ? new byte[] { 9, 9, 9 } : bytes;

        Peer sensor = mesh.start("sensor1", PeerRole.SENSOR);
        assertThat(sensor.counters().malformed()).isEqualTo(1);
        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sensor.counters().malformed()).isEqualTo(2);
        assertThat(sensor.state()).isEqualTo(PeerState.JOINING);
        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sensor.state()).isEqualTo(PeerState.BOUND);
        assertThat(sensor.parents()).containsExactly("sp3");
    }

    @Test
    void aRootCellWhoseDiscoveryCannotBeServedIsFoundedAgainLater() throws Exception {
        twoLevels();
        mesh.net.discovery.unservable.add("0");
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        assertThat(sp1.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.members(ROOT)).isEmpty();

        mesh.net.discovery.unservable.clear();
        mesh.advanceMs(10L * DISCOVERY_MS);
        assertThat(sp1.state()).isEqualTo(PeerState.BOUND);
        assertThat(mesh.members(ROOT)).containsExactly("sp1");
        assertThat(mesh.net.discovery.serving("0")).isEqualTo(1);
    }

    /**
     * DS binds a peer's traffic services when they come, which may be while its binding's links are
     * being opened: the binding opened links for the classes there were, and the new class must get
     * its link once the binding is made, or it would never flow up from this peer.
     */
    @Test
    void aServiceThatComesWhileItsBindingOpensGetsItsLinkOnceBound() throws Exception {
        twoLevels();
        rootOfTwo();
        mesh.net.links.holdConnects(true);
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        assertThat(mesh.net.links.heldConnects()).as("the MESH link to the parent, held").isEqualTo(1);

        sp3.serviceAdded(InProcessMesh.service("audio", 38, 418, false));
        mesh.net.links.holdConnects(false);
        mesh.net.links.releaseConnects();
        mesh.advanceMs(10); // not a housekeeping round (1 s), which would mend a missing link later

        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        String parent = sp3.parents().get(0);
        assertThat(mesh.net.links.openEnds("sp3", parent)).extracting(e -> e.cls)
                .containsExactlyInAnyOrder(TrafficClass.MESH, TrafficClass.AUDIO);
        String backup = otherRootSuperPeer(parent);
        assertThat(mesh.net.links.openEnds("sp3", backup)).as("pre-bound").extracting(e -> e.cls)
                .containsExactlyInAnyOrder(TrafficClass.MESH, TrafficClass.AUDIO);
    }

    // ---------------------------------------------------------------------------------------
    // (d) rebind

    @Test
    void whenItsParentFailsAChildRebindsFastToThePreboundBackupWithOneBind() throws Exception {
        twoLevels();
        Peer sp3 = rootOfTwoAndAChildCell();
        String parent = sp3.parents().get(0);
        String backup = otherRootSuperPeer(parent);
        assertThat(mesh.net.links.openEnds("sp3", backup)).as("pre-bound").hasSize(1);
        FakeLinks.End preBound = mesh.net.links.openEnds("sp3", backup).get(0);
        int bindsBefore = mesh.bindsBy("sp3").size();
        int requestsBefore = mesh.net.discovery.asked.size();
        int linksBefore = mesh.net.links.ends.size();

        mesh.peer(parent).crash();

        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly(backup);
        assertThat(mesh.bindsBy("sp3").subList(bindsBefore, mesh.bindsBy("sp3").size())).containsExactly(backup);
        assertThat(mesh.net.discovery.asked).as("no discovery on the fast path").hasSize(requestsBefore);
        assertThat(mesh.net.links.ends).as("no link opened: the BIND went on the pre-bound one").hasSize(linksBefore);
        assertThat(mesh.net.links.sentBy("sp3")).last().satisfies(s -> assertThat(s.from()).isSameAs(preBound));
        assertThat(sp3.failures()).singleElement().satisfies(f -> {
            assertThat(f.failed()).isEqualTo(parent);
            assertThat(f.rebind()).isEqualTo(RebindKind.FAST);
        });
    }

    /**
     * A backup that goes (it died, or left the parent cell) is no candidate any more: the child asks
     * its parent cell again rather than pre-bind it again where it went.
     */
    @Test
    void whenItsPreboundBackupGoesAChildAsksItsParentCellForBackupsAgain() throws Exception {
        twoLevels();
        Peer sp3 = rootOfTwoAndAChildCell();
        String parent = sp3.parents().get(0);
        String backup = otherRootSuperPeer(parent);
        int parentRequests = mesh.asked("0", Control.Kind.REQUEST_PARENT).size();

        mesh.peer(backup).crash();
        assertThat(mesh.asked("0", Control.Kind.REQUEST_PARENT)).as("asked again at once").hasSize(parentRequests + 1);
        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly(parent);
        assertThat(mesh.net.links.openEnds("sp3", backup)).as("not pre-bound to the one that went").isEmpty();
        assertThat(sp3.failures()).as("a backup that goes is no rebind").isEmpty();
    }

    /**
     * A child whose backup went, with nobody else in the parent cell to pre-bind, asks that cell again
     * now and then: the backup's successor (here the same peer, started again) becomes its backup,
     * and the next failure of its parent is a fast rebind, not a slow one.
     */
    @Test
    void aChildWithoutABackupFindsOneThatComesLater() throws Exception {
        Peer sp3 = childWithoutABackup();
        String parent = sp3.parents().get(0);
        String backup = otherRootSuperPeer(parent);
        mesh.advanceMs(DISCOVERY_MS);
        assertThat(sp3.links()).as("no backup left").noneMatch(l -> l.startsWith("pre "));

        Peer again = mesh.start(backup, PeerRole.SUPER);
        assertThat(again.cell()).as(mesh.describe()).isEqualTo(ROOT);
        mesh.advanceMs((Join.UPKEEP_ROUNDS + 1) * Peer.HOUSEKEEPING_MS + DISCOVERY_MS);
        assertThat(sp3.links()).as("pre-bound to it again").anyMatch(l -> l.startsWith("pre ") && l.contains(backup));

        mesh.peer(parent).crash();
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly(backup);
        assertThat(sp3.failures()).filteredOn(f -> f.failed().equals(parent)).extracting(FailureRecord::rebind)
                .containsExactly(RebindKind.FAST);
    }

    @Test
    void whenNoBackupAnswersTheParentCellIsAskedAgainAndANewSuperPeerThereIsBoundSlowly() throws Exception {
        Peer sp3 = childWithoutABackup();
        String parent = sp3.parents().get(0);
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.failures()).as("a backup that goes is no rebind").isEmpty();
        Peer sp4 = mesh.start("sp4", PeerRole.SUPER); // takes the backup's place in the root, unknown to sp3
        assertThat(sp4.cell()).isEqualTo(ROOT);
        int cellRequests = mesh.asked("0", Control.Kind.REQUEST_CELL).size();
        int parentRequests = mesh.asked("0", Control.Kind.REQUEST_PARENT).size();

        mesh.peer(parent).crash();
        // the first super-peer that answers is enough: no waiting out the discovery timeout
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly("sp4");
        assertThat(sp3.cell()).isEqualTo(C01);
        // the request of the rebind, then the one for backups once bound
        assertThat(mesh.asked("0", Control.Kind.REQUEST_PARENT)).hasSize(parentRequests + 2);
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).as("no whole join").hasSize(cellRequests);
        assertThat(sp3.failures()).singleElement().satisfies(f -> {
            assertThat(f.failed()).isEqualTo(parent);
            assertThat(f.rebind()).isEqualTo(RebindKind.SLOW);
        });
    }

    @Test
    void whenNobodyIsLeftInTheParentCellTheChildJoinsAllOverAgainAndFoundsTheRoot() throws Exception {
        twoLevels();
        Peer sp3 = rootOfTwoAndAChildCell();
        Peer sensor = mesh.start("sensor1", PeerRole.SENSOR);
        String parent = sp3.parents().get(0);
        String backup = otherRootSuperPeer(parent);
        mesh.peer(backup).crash();
        int cellRequests = mesh.asked("0", Control.Kind.REQUEST_CELL).size();

        mesh.peer(parent).crash();
        mesh.advanceMs(DISCOVERY_MS); // RequestParent of the root: nobody
        assertThat(sp3.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.members(C01)).as("it keeps its cell while it asks the root").containsExactly("sp3");
        assertThat(sensor.state()).as("and its children").isEqualTo(PeerState.BOUND);
        // RequestCell: nobody (D); its rank in cell 01 is 4: 4 x stagger; RequestCell again: nobody (D); founds
        mesh.advanceMs(DISCOVERY_MS + 4L * STAGGER_MS + DISCOVERY_MS);

        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(ROOT);
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).hasSizeGreaterThanOrEqualTo(cellRequests + 2);
        assertThat(sp3.failures()).singleElement().satisfies(f -> {
            assertThat(f.failed()).isEqualTo(parent);
            assertThat(f.rebind()).isEqualTo(RebindKind.SLOW);
        });
        assertThat(sensor.state()).as("its parent left cell 01").isNotEqualTo(PeerState.BOUND);
    }

    /**
     * A super-peer whose own network is down (a cut interface) cannot send its requests: it must not
     * take that for a root that is gone and found one of its own, as one did in the campaign.
     */
    @Test
    void aSuperPeerThatCannotSendItsRequestsFoundsNothingAndJoinsOnceItCan() throws Exception {
        Peer sp3 = childWithoutABackup();
        String parent = sp3.parents().get(0);
        mesh.net.discovery.unreachable = true;

        mesh.peer(parent).crash();
        mesh.advanceMs(20L * (DISCOVERY_MS + STAGGER_MS));
        assertThat(sp3.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.members(ROOT)).as("no root founded on a silence it caused").isEmpty();

        mesh.net.discovery.unreachable = false;
        mesh.advanceMs(20L * (DISCOVERY_MS + STAGGER_MS));
        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).as("the root is gone: now it founds it").isEqualTo(ROOT);
    }

    // ---------------------------------------------------------------------------------------
    // (e) a BIND nobody answers

    @Test
    void aBindNotAnsweredWithinTheBindTimeoutFailsAndTheNextCandidateIsTried() throws Exception {
        twoLevels();
        rootOfTwo();
        mesh.net.links.hold(true);

        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        List<FakeLinks.Sent> held = mesh.net.links.held();
        assertThat(held).hasSize(1);
        String first = held.get(0).toPeer();
        String second = first.equals("sp1") ? "sp2" : "sp1";
        assertThat(mesh.bindsBy("sp3")).containsExactly(first);
        mesh.net.links.dropHeld(s -> true); // lost on the way

        mesh.advanceMs(BIND_MS - 1);
        assertThat(sp3.state()).isEqualTo(PeerState.JOINING);
        assertThat(mesh.bindsBy("sp3")).containsExactly(first);
        mesh.advanceMs(1);
        assertThat(mesh.bindsBy("sp3")).containsExactly(first, second);
        assertThat(mesh.net.links.ends).filteredOn(e -> e.localPeer.equals("sp3") && e.remotePeer.equals(first))
                .as("the binding given up is closed").allMatch(e -> !e.isOpen());

        mesh.net.links.hold(false);
        mesh.net.links.deliverHeld(s -> true);
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly(second);
    }

    /** A parent that dies before it answers: seen in the campaign, a pre-bound backup killed with its cell. */
    @Test
    void aBindWhoseParentGoesAwayUnansweredIsGivenUpAtOnceAndTheNextCandidateIsTried() throws Exception {
        twoLevels();
        rootOfTwo();
        mesh.net.links.hold(true);

        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        String first = mesh.net.links.held().get(0).toPeer();
        String second = first.equals("sp1") ? "sp2" : "sp1";
        mesh.net.links.dropHeld(s -> true);

        mesh.peer(first).crash(); // its links reset: no answer will come
        assertThat(mesh.bindsBy("sp3")).as("no waiting out the bind timeout").containsExactly(first, second);
        mesh.net.links.hold(false);
        mesh.net.links.deliverHeld(s -> true);
        assertThat(sp3.state()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.parents()).containsExactly(second);
    }

    @Test
    void whenEveryBindTimesOutThePeerJoinsAgainAndBindsOnceAParentAnswers() throws Exception {
        twoLevels();
        rootOfTwo();
        mesh.net.links.hold(true);
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        mesh.advanceMs(3L * BIND_MS); // the first open may take 1 s; the second, after one ran out, 2 s
        mesh.net.links.dropHeld(s -> true);
        assertThat(mesh.bindsBy("sp3")).hasSize(2);
        assertThat(sp3.state()).isEqualTo(PeerState.JOINING);

        mesh.net.links.hold(false);
        mesh.advanceMs(DISCOVERY_MS); // joins again: the cell, the parents, a BIND that is answered
        assertThat(sp3.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sp3.cell()).isEqualTo(C01);
        assertThat(mesh.members(C01)).containsExactly("sp3");
    }

    // ---------------------------------------------------------------------------------------
    // (f) a crash during a join

    private static void crashFromAnotherThread(Peer p) throws Exception {
        Thread t = new Thread(p::crash, "crasher");
        t.start();
        t.join(5000);
        assertThat(t.isAlive()).as("crash returned").isFalse();
    }

    @Test
    void aCrashWhileAskingForACellLeavesNothingThatRunsLater() throws Exception {
        twoLevels();
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        crashFromAnotherThread(sp1);
        long ran = sp1.strand().run();

        mesh.advanceMs(60_000);

        assertThat(sp1.state()).isEqualTo(PeerState.CRASHED);
        assertThat(sp1.strand().run()).isEqualTo(ran);
        assertThat(mesh.members(ROOT)).isEmpty();
        assertThat(mesh.net.discovery.serving("0")).isZero();
        assertThat(mesh.net.links.openEndsOf("sp1")).isEmpty();
    }

    @Test
    void aCrashWhileFoundingTheRootLeavesNoGroupNorDiscoveryBehind() throws Exception {
        twoLevels();
        mesh.net.groups.holdJoins(true);
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS); // founding: serves the root's address, then joins its group (held)
        assertThat(mesh.net.discovery.serving("0")).isEqualTo(1);

        crashFromAnotherThread(sp1);
        long ran = sp1.strand().run();
        mesh.net.groups.releaseJoins();
        mesh.advanceMs(60_000);

        assertThat(mesh.members(ROOT)).as("the group joined after the crash is left").isEmpty();
        assertThat(mesh.net.discovery.serving("0")).isZero();
        assertThat(sp1.strand().run()).isEqualTo(ran);
    }

    @Test
    void aCrashWhileEnteringACellLeavesNoMemberBehind() throws Exception {
        twoLevels();
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        mesh.net.groups.holdJoins(true);
        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);

        crashFromAnotherThread(sp2);
        mesh.net.groups.releaseJoins();
        mesh.advanceMs(60_000);

        assertThat(mesh.members(ROOT)).containsExactly("sp1");
        assertThat(sp1.state()).isEqualTo(PeerState.BOUND);
        assertThat(mesh.net.discovery.serving("0")).isEqualTo(1);
    }

    /** The crash comes while the strand is in the middle of its task that completes the join of the cell's group. */
    @Test
    void aCrashFromAnotherThreadWhileTheStrandTakesItsNewGroupLeavesNoMemberBehind() throws Exception {
        twoLevels();
        mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        java.util.concurrent.atomic.AtomicBoolean crashed = new java.util.concurrent.atomic.AtomicBoolean();
        mesh.net.groups.onMembers = m -> {
            if (m.name.equals("sp2") && crashed.compareAndSet(false, true)) {
                try {
                    crashFromAnotherThread(mesh.peer("sp2"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);
        mesh.advanceMs(60_000);

        assertThat(crashed).isTrue();
        assertThat(sp2.state()).isEqualTo(PeerState.CRASHED);
        assertThat(mesh.members(ROOT)).containsExactly("sp1");
        assertThat(mesh.net.discovery.serving("0")).isEqualTo(1);
    }

    @Test
    void aCrashWhileOpeningLinksToAParentLeavesNoLinkOpen() throws Exception {
        twoLevels();
        rootOfTwo();
        mesh.net.links.holdConnects(true);
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);

        crashFromAnotherThread(sp3);
        mesh.net.links.releaseConnects();
        mesh.advanceMs(60_000);

        assertThat(mesh.net.links.openEndsOf("sp3")).isEmpty();
        assertThat(mesh.members(C01)).isEmpty();
    }

    /**
     * The peer's strand runs on a pool here, and is busy when a link to its parent opens: the task
     * that would take the link waits, and the crash drops it. The link must not stay open.
     */
    @Test
    void aCrashWhileALinkThatJustOpenedWaitsForTheBusyStrandClosesThatLink() throws Exception {
        twoLevels();
        rootOfTwo();
        mesh.net.links.holdConnects(true);
        try (PeerThreads pool = new PeerThreads(1, 1024, 60_000)) {
            Strand strand = pool.strand("sp3");
            Peer sp3 = mesh.start("sp3", PeerRole.SUPER, strand);
            await().atMost(Duration.ofSeconds(5)).until(() -> mesh.net.links.heldConnects() == 1);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            strand.execute(() -> {
                running.countDown();
                try {
                    busy.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            mesh.net.links.releaseConnects(); // the link is up; the task that takes it waits
            assertThat(strand.stats().depth()).isEqualTo(1);

            sp3.crash();
            busy.countDown();

            assertThat(mesh.net.links.openEndsOf("sp3")).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> strand.stats().depth() == 0);
            assertThat(mesh.members(C01)).isEmpty();
        }
    }

    @Test
    void aCrashWhileItsBindIsOnTheWayLeavesNoLinkOpenAndTheParentNoChild() throws Exception {
        twoLevels();
        Peer sp1 = mesh.start("sp1", PeerRole.SUPER);
        mesh.advanceMs(FOUNDING_MS);
        Peer sp2 = mesh.start("sp2", PeerRole.SUPER);
        mesh.net.links.hold(true);
        Peer sp3 = mesh.start("sp3", PeerRole.SUPER);
        assertThat(mesh.net.links.held()).singleElement().satisfies(s -> assertThat(s.frame().type())
                .isEqualTo(FrameType.CONTROL));

        crashFromAnotherThread(sp3);
        mesh.net.links.hold(false);
        mesh.net.links.deliverHeld(s -> true);
        mesh.advanceMs(60_000);

        assertThat(mesh.net.links.openEndsOf("sp3")).isEmpty();
        assertThat(mesh.members(C01)).isEmpty();
        for (Peer root : List.of(sp1, sp2)) {
            assertThat(root.routing.table().children()).doesNotContainKey("sp3");
        }
    }
    // ---------------------------------------------------------------------------------------
    // joiners that hear nothing back off

    /**
     * A sensor that hears no root asks a few times one discovery timeout apart, then ever less often
     * (up to 2^4 timeouts between asks), so that hundreds of orphans do not keep an overloaded root
     * cell busy in step; and it still binds once a root answers. One ask every 2 D for 30 s would be
     * 60 asks.
     */
    @Test
    void aSensorThatHearsNoRootAsksLessAndLessOftenAndStillJoinsOnceTheRootIsThere() throws Exception {
        twoLevels();
        Peer sensor = mesh.start("sensor1", PeerRole.SENSOR);

        mesh.advanceMs(4L * 2 * DISCOVERY_MS - 1);
        assertThat(mesh.asked("0", Control.Kind.REQUEST_CELL)).as("steady at first").hasSize(4);
        mesh.advanceMs(30_000 - 4L * 2 * DISCOVERY_MS + 1);
        int asked = mesh.asked("0", Control.Kind.REQUEST_CELL).size();
        assertThat(asked).as("asks in 30 s").isBetween(10, 20);
        assertThat(sensor.state()).isEqualTo(PeerState.JOINING);

        rootOfTwoAndAChildCell();
        mesh.advanceMs((DISCOVERY_MS << Join.MAX_DOUBLINGS) + 2L * DISCOVERY_MS);
        assertThat(sensor.state()).as(mesh.describe()).isEqualTo(PeerState.BOUND);
        assertThat(sensor.cell()).isEqualTo(C01);
    }

    @Test
    void theWaitBetweenJoinsGrowsAfterAFewAndIsDrawnInTheUpperHalfOfItsInterval() {
        for (int k = 0; k < Join.STEADY_RETRIES; k++) {
            assertThat(Join.retryDelayMs(k, 250, 0.99)).isEqualTo(250);
        }
        assertThat(Join.retryDelayMs(3, 250, 0)).isEqualTo(250);
        assertThat(Join.retryDelayMs(3, 250, 0.999)).isEqualTo(499);
        assertThat(Join.retryDelayMs(4, 250, 0)).isEqualTo(500);
        assertThat(Join.retryDelayMs(5, 250, 0.5)).isEqualTo(1500);
        assertThat(Join.retryDelayMs(6, 250, 0)).isEqualTo(2000);
        assertThat(Join.retryDelayMs(1000, 250, 0.999)).isEqualTo(3998);
    }
}
