package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import p3.mesh.ClassStats;
import p3.mesh.PeerRole;
import p3.mesh.Qos;
import p3.mesh.spi.TrafficService;
import p3.transport.TrafficClass;

/** The report's three classes streaming from 8 sensors to the client, over the report's tree. */
class TrafficTest {

    private static final Qos QOS = new Qos(false, Duration.ofMillis(100));

    private static ClassStats of(Peer client, String cls) {
        return client.classStats().stream().filter(c -> c.trafficClass().equals(cls)).findFirst().orElse(null);
    }

    @Test
    void everyClassArrivesAtItsRateWithoutLoss() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.addService(InProcessMesh.service("audio", 38, 418, false));
            mesh.addService(InProcessMesh.service("video", 24, 4180, false));
            mesh.addService(InProcessMesh.service("event", 25, 1024, true));
            mesh.form(14, 8);
            Peer client = mesh.peer("client");
            for (String cls : List.of("audio", "video", "event")) {
                client.requestAll(cls, QOS);
            }
            // the rates are measured once every sensor streams: the requests reach them one by one
            await().atMost(InProcessMesh.BOUND).until(() -> client.classStats().size() == 3
                    && mesh.live(PeerRole.SENSOR).stream().allMatch(s -> mesh.received(client, s, "audio") > 0
                            && mesh.received(client, s, "video") > 0));
            Map<String, Long> before = received(client);
            long start = System.nanoTime();
            // about three seconds of audio, then the rate of each class over that time
            await().atMost(InProcessMesh.BOUND).until(() -> received(client).get("audio") - before.get("audio") >= 8 * 38 * 3);
            Map<String, Long> after = received(client);
            double seconds = (System.nanoTime() - start) / 1e9;
            // 8 sensors each: audio 38/s, video 24/s, events 25/s on average (random arrivals)
            assertThat((after.get("audio") - before.get("audio")) / seconds).isBetween(8 * 38 * 0.9, 8 * 38 * 1.1);
            assertThat((after.get("video") - before.get("video")) / seconds).isBetween(8 * 24 * 0.9, 8 * 24 * 1.1);
            assertThat((after.get("event") - before.get("event")) / seconds).isBetween(8 * 25 * 0.6, 8 * 25 * 1.4);

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                for (ClassStats c : client.classStats()) {
                    assertThat(c.sent()).as(c.trafficClass()).isPositive();
                    assertThat(c.lost()).as(c.trafficClass()).isZero();
                    assertThat(c.received()).as(c.trafficClass()).isEqualTo(c.sent());
                }
            });
            for (ClassStats c : client.classStats()) {
                assertThat(c.duplicates()).isZero();
                assertThat(c.corrupt()).isZero();
                assertThat(c.p50()).isPositive().isLessThanOrEqualTo(c.p99());
                assertThat(c.p99()).isLessThanOrEqualTo(c.max());
                assertThat(c.mean()).isPositive();
            }
        }
    }

    @Test
    void aCrashOnASensorsPathCostsThatSensorOnly() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            mesh.prebind = false; // the report's rebind: a few frames are lost while it lasts
            mesh.addService(InProcessMesh.service("event", 500, 256, false));
            mesh.form(14, 8);
            Peer client = mesh.peer("client");
            client.requestAll("event", QOS);
            await().atMost(InProcessMesh.BOUND).until(() -> of(client, "event") != null
                    && of(client, "event").received() > 8 * 500);
            Peer sensor = mesh.peer("sensor1");
            Peer parent = mesh.peer(sensor.parents().get(0));
            // placement decides whether the parent also carries other sensors, or child cells and theirs:
            // those sensors' frames cross it too, and may be lost while they rebind. The rest must not.
            Set<String> behind = mesh.live(PeerRole.SENSOR).stream()
                    .filter(s -> pathToRoot(mesh, s).contains(parent.id())).map(Peer::id).collect(Collectors.toSet());
            long before = mesh.received(client, sensor);
            parent.crash();
            MeshFailureTest.awaitRebind(sensor, parent);
            // traffic resumes after the rebind
            await().atMost(InProcessMesh.BOUND).until(() -> mesh.received(client, sensor) > before + 500);

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            Map<String, Long> lost = new HashMap<>();
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                lost.clear();
                lost.putAll(client.lostBySource(TrafficClass.EVENT));
                assertThat(lost).as("every sensor's final count reached the client\n%s", mesh.describe()).hasSize(8);
                for (Map.Entry<String, Long> e : lost.entrySet()) {
                    if (!behind.contains(e.getKey())) {
                        assertThat(e.getValue()).as("%s, whose path does not cross %s (those behind it: %s)\n%s",
                                e.getKey(), parent.id(), behind, mesh.describe()).isZero();
                    }
                }
            });
            // sensor1 itself may lose frames while it rebinds, or none: a rebind within the 2 ms between
            // two of its frames lost none in a CI run
            assertThat(lost.get(sensor.id())).as("frames of %s lost while it rebound", sensor.id()).isNotNegative();
        }
    }

    @Test
    void unloadingAClassStopsItAloneAndLoadingItResumesIt() throws Exception {
        try (InProcessMesh mesh = TestMeshes.reportShape()) {
            TrafficService audio = InProcessMesh.service("audio", 38, 418, false);
            TrafficService video = InProcessMesh.service("video", 24, 4180, false);
            TrafficService event = InProcessMesh.service("event", 25, 1024, true);
            mesh.addService(audio);
            mesh.addService(video);
            mesh.addService(event);
            mesh.form(14, 8);
            Peer client = mesh.peer("client");
            for (String cls : List.of("audio", "video", "event")) {
                client.requestAll(cls, QOS);
            }
            await().atMost(InProcessMesh.BOUND).until(() -> client.classStats().size() == 3
                    && client.classStats().stream().allMatch(c -> c.received() > 50));

            mesh.removeService(video);
            await().atMost(InProcessMesh.BOUND).until(() -> mesh.peer("sensor1").links().stream()
                    .noneMatch(l -> l.contains(" video ")));
            long videoStopped = of(client, "video").received();
            long audioThen = of(client, "audio").received();
            await().atMost(InProcessMesh.BOUND).until(() -> of(client, "audio").received() > audioThen + 8 * 30);
            assertThat(of(client, "video").received()).as("video stopped").isEqualTo(videoStopped);

            mesh.addService(video);
            await().atMost(InProcessMesh.BOUND).until(() -> of(client, "video").received() > videoStopped + 8 * 10);

            mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
            await().atMost(InProcessMesh.BOUND).untilAsserted(() -> {
                assertThat(of(client, "audio").lost()).as(() -> "audio lost by source "
                        + client.lostBySource(TrafficClass.AUDIO) + "\n" + mesh.describe()).isZero();
                assertThat(of(client, "event").lost()).as(() -> "event lost by source "
                        + client.lostBySource(TrafficClass.EVENT) + "\n" + mesh.describe()).isZero();
            });
        }
    }

    @Test
    void aSensorThatJoinsAfterTheRequestIsAskedToo() throws Exception {
        // a root super-peer, one below it for the sensors, room for two
        try (InProcessMesh mesh = TestMeshes.of(new TreeShape(1, 1, List.of(1), 2))) {
            mesh.addService(InProcessMesh.service("event", 25, 1024, true));
            mesh.form(2, 1);
            Peer client = mesh.peer("client");
            client.requestAll("event", QOS);
            await().atMost(InProcessMesh.BOUND).until(() -> mesh.received(client, mesh.peer("sensor1"), "event") > 0);

            // the tree the client was told of had one sensor: the second is found when the client renews
            Peer late = mesh.startBound("sensor2", PeerRole.SENSOR);
            await().atMost(InProcessMesh.BOUND).until(() -> mesh.received(client, late, "event") > 0);
        }
    }

    /** The super-peers a peer's frames climb through to the root cell, by each one's first parent. */
    private static Set<String> pathToRoot(InProcessMesh mesh, Peer from) {
        Set<String> path = new HashSet<>();
        for (Peer p = from; !p.parents().isEmpty() && path.add(p.parents().get(0)); ) {
            p = mesh.peer(p.parents().get(0));
        }
        return path;
    }

    private static Map<String, Long> received(Peer client) {
        Map<String, Long> out = new HashMap<>();
        for (ClassStats c : client.classStats()) {
            out.put(c.trafficClass(), c.received());
        }
        return out;
    }
}
