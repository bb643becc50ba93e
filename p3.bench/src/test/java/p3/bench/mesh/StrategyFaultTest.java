package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import p3.ft.active.internal.ActiveStrategy;
import p3.ft.hybrid.internal.HybridStrategy;
import p3.ft.passive.internal.PassiveStrategy;
import p3.mesh.ClassStats;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.internal.InProcessMesh;
import p3.mesh.internal.Peer;
import p3.mesh.spi.FtStrategy;
import p3.transport.TrafficClass;
import p3.transport.DiscoverySettings;
import p3.transport.GroupSettings;
import p3.transport.LinkSettings;
import p3.transport.StandaloneTransport;

/**
 * Each strategy on the report's mesh with every class fault-tolerant: one super-peer crashes at
 * level 0, 1 and 2 in turn (Test I), then the cell-mates of the level-1 and level-2 ones (Test II:
 * the mates they had, one after another, emptying their cells). With sensor memory no FT message
 * is lost; without it, only sensors that had to rebind lose, in their rebind window, as in the report.
 */
class StrategyFaultTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    /**
     * One fault-free run first, thrown away, as the bench's {@code --warmup-run}: in a cold JVM the
     * JIT's compiler took about 40 % of this 2-core machine for 40 s, and the CI failures on record
     * were in the first cases, while it compiled the data path. It is only a warm-up: that the mesh
     * carries traffic without faults is TrafficTest's to show.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (InProcessMesh mesh = reportMesh()) {
            mesh.faultTolerance("active", true);
            Peer client = streaming(mesh, new ActiveStrategy(ActiveStrategy.LINGER_MICROS));
            long before = total(client);
            InProcessMesh.until(BOUND, () -> total(client) >= before + 3000);
        }
    }

    @ParameterizedTest(name = "{0}, sensor memory {1}")
    @CsvSource({ "active, true", "active, false", "passive, true", "passive, false", "hybrid, true", "hybrid, false" })
    void crashesAtEveryLevel(String strategy, boolean sensorMemory) throws Exception {
        PassiveStrategy passive = new PassiveStrategy(50, 64);
        HybridStrategy hybrid = new HybridStrategy(50, 64, 1000, 5000, "");
        try (InProcessMesh mesh = reportMesh()) {
            mesh.faultTolerance(strategy, sensorMemory);
            Peer client = streaming(mesh, new ActiveStrategy(ActiveStrategy.LINGER_MICROS), passive, hybrid);
            awaitMore(mesh, client, 300);
            for (Peer sp : mesh.live(PeerRole.SUPER)) {
                assertThat(sp.ft().strategy()).as(sp.id()).isEqualTo(strategy);
            }

            // Test I: one super-peer per level, each on a sensor's path
            Peer root = pathAt(mesh, mesh.peer("sensor1"), 0);
            root.crash();
            mesh.awaitMesh(BOUND, () -> client.parents().size() == 1);
            awaitMore(mesh, client, 200);
            awaitAllBound(mesh); // a path is read from the parents, which a rebinding peer has none of
            Peer level1 = pathAt(mesh, mesh.peer("sensor2"), 1);
            List<Peer> mates1 = matesOf(mesh, level1);
            level1.crash();
            awaitMore(mesh, client, 200);
            awaitAllBound(mesh);
            Peer level2 = pathAt(mesh, mesh.peer("sensor3"), 2);
            List<Peer> mates2 = matesOf(mesh, level2);
            level2.crash();
            awaitMore(mesh, client, 200);

            // Test II: their cell-mates, one after another. The mates they had when they crashed: a
            // super-peer that moves into one of those cells meanwhile (an orphan of an emptied cell
            // placed there by the root) is no cell-mate of theirs, and crashing it too left too few
            // super-peers for the eight sensors to find places.
            for (Peer mate : List.of(mates1, mates2).stream().flatMap(List::stream).toList()) {
                if (mate.state() != PeerState.CRASHED) {
                    mate.crash();
                    awaitMore(mesh, client, 200);
                }
            }
            mesh.awaitMesh(BOUND, () -> mesh.live(PeerRole.SENSOR).stream().allMatch(s -> s.state() == PeerState.BOUND));
            awaitMore(mesh, client, 300);

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            // what must arrive is waited for (a message sent again may wait 8 s for its turn); what
            // may be lost, until the counts hold still
            Stillness counts = new Stillness();
            InProcessMesh.until(BOUND, () -> missing(client, mustLoseNone(mesh, sensorMemory)).isEmpty()
                    && (allArrived(client) || counts.still(client)));
            Set<String> rebound = rebound(mesh);
            for (ClassStats c : client.classStats()) {
                assertThat(c.corrupt()).as(c.trafficClass()).isZero();
                assertThat(c.received()).as(c.trafficClass()).isPositive();
            }
            for (TrafficClass cls : List.of(TrafficClass.AUDIO, TrafficClass.VIDEO, TrafficClass.EVENT)) {
                Map<String, Long> lost = client.lostBySource(cls);
                // twice in CI a sensor's class had no count at all (sensor2's audio): say where the mesh stood
                assertThat(lost).as("%s: the sensors that reported their counts\n%s", cls.id(), mesh.describe())
                        .hasSize(8);
                for (Map.Entry<String, Long> e : lost.entrySet()) {
                    if (sensorMemory || !rebound.contains(e.getKey())) {
                        assertThat(e.getValue()).as("%s lost of %s (rebound: %s)", cls.id(), e.getKey(), rebound)
                                .isZero();
                    }
                }
            }
            long replicas = 0;
            for (Peer p : mesh.all()) {
                replicas += p.ft().replicaMessages();
            }
            assertThat(replicas).as("replicas the strategy sent to cells").isPositive();
        } finally {
            passive.deactivate();
            hybrid.deactivate();
        }
    }

    /** Table I's services and these strategies on the report's tree, the client asking every class fault-tolerant. */
    private static Peer streaming(InProcessMesh mesh, FtStrategy... strategies) throws Exception {
        for (Traffic t : BenchSettings.TABLE_I) {
            mesh.addService(InProcessMesh.service(t.name(), t.rate(), t.bytes(), t.random()));
        }
        for (FtStrategy s : strategies) {
            mesh.addStrategy(s);
        }
        mesh.form(14, 8);
        Peer client = mesh.peer("client");
        for (Traffic t : BenchSettings.TABLE_I) {
            client.requestAll(t.name(), new Qos(true, Duration.ofMillis(100)));
        }
        return client;
    }

    private static long total(Peer client) {
        return received(client).values().stream().mapToLong(Long::longValue).sum();
    }

    static InProcessMesh reportMesh() {
        return new InProcessMesh(2, 2, List.of(2), 2, StandaloneTransport.open(LinkSettings.defaults(),
                GroupSettings.defaults().withFailureDetection(100, 600, 100), DiscoverySettings.defaults()));
    }

    private static void awaitAllBound(InProcessMesh mesh) {
        mesh.awaitMesh(BOUND, () -> mesh.all().stream()
                .allMatch(p -> p.state() == PeerState.BOUND || p.state() == PeerState.CRASHED));
    }

    /** The super-peers in the cell of {@code sp}, but itself. */
    private static List<Peer> matesOf(InProcessMesh mesh, Peer sp) {
        return mesh.live(PeerRole.SUPER).stream().filter(p -> p != sp && sp.cell().equals(p.cell())).toList();
    }

    /** The super-peer at {@code level} on a sensor's path to the root. */
    static Peer pathAt(InProcessMesh mesh, Peer sensor, int level) {
        Peer at = mesh.peer(sensor.parents().get(0));
        while (at.cell().depth() > level) {
            at = mesh.peer(at.parents().get(0));
        }
        return at;
    }

    /** Until the client has received {@code frames} more of every class: traffic flows again. */
    private static void awaitMore(InProcessMesh mesh, Peer client, long frames) {
        Map<String, Long> before = received(client);
        mesh.awaitMesh(BOUND, () -> {
            Map<String, Long> now = received(client);
            return now.size() == 3 && now.entrySet().stream()
                    .allMatch(e -> e.getValue() >= before.getOrDefault(e.getKey(), 0L) + frames / 3);
        });
    }

    private static Map<String, Long> received(Peer client) {
        Map<String, Long> out = new HashMap<>();
        for (ClassStats c : client.classStats()) {
            out.put(c.trafficClass(), c.received());
        }
        return out;
    }

    /** The sensors that rebound: without sensor memory, they may lose what their rebind window held. */
    private static Set<String> rebound(InProcessMesh mesh) {
        Set<String> rebound = new HashSet<>();
        for (Peer sensor : mesh.live(PeerRole.SENSOR)) {
            if (!sensor.failures().isEmpty()) {
                rebound.add(sensor.id());
            }
        }
        return rebound;
    }

    /** The sensors whose every FT message must arrive. */
    private static Set<String> mustLoseNone(InProcessMesh mesh, boolean sensorMemory) {
        Set<String> all = new HashSet<>();
        mesh.live(PeerRole.SENSOR).forEach(s -> all.add(s.id()));
        if (!sensorMemory) {
            all.removeAll(rebound(mesh));
        }
        return all;
    }

    /** Of those sensors, the ones the client misses messages of, or has no count from yet. */
    private static Set<String> missing(Peer client, Set<String> sensors) {
        Set<String> out = new HashSet<>();
        for (TrafficClass cls : List.of(TrafficClass.AUDIO, TrafficClass.VIDEO, TrafficClass.EVENT)) {
            Map<String, Long> lost = client.lostBySource(cls);
            for (String s : sensors) {
                if (lost.getOrDefault(s, -1L) != 0) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static boolean allArrived(Peer client) {
        return client.classStats().stream().allMatch(c -> c.sent() > 0 && c.received() == c.sent());
    }

    /** Whether the client's counts have held still for two seconds: what is missing now never comes. */
    private static final class Stillness {
        private long since;
        private long last = -1;

        boolean still(Peer client) {
            long total = 0;
            for (ClassStats c : client.classStats()) {
                total = total * 31 + c.sent() * 7 + c.received();
            }
            long now = System.nanoTime();
            if (total != last) {
                last = total;
                since = now;
                return false;
            }
            return now - since > 2_000_000_000L;
        }
    }
}
