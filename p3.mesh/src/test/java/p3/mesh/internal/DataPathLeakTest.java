package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.ClassStats;
import p3.mesh.PeerRole;
import p3.mesh.Qos;
import p3.transport.LeakWatch;
import p3.transport.LinkSettings;
import p3.transport.TrafficClass;

/**
 * The mesh's data path gives back every buffer the transport lends it: frames relayed up the tree,
 * routed through cells, held for fault tolerance and sent again after a crash, acknowledgements on
 * their way down and frames delivered at the client. Netty's leak detector watches at its paranoid
 * level; a frame kept past its handler without a release or a copy fails this test.
 */
class DataPathLeakTest {

    @Test
    void relaysHoldersAndTheClientFreeEveryBufferAcrossACrash() throws Exception {
        try (LeakWatch leaks = LeakWatch.paranoid()) {
            // two levels, two super-peers a cell. The paranoid level records a stack trace at every
            // buffer access: at Table I's audio rate and 100 events a second, with the links' liveness
            // of a quick machine, links that were up closed as idle while the mesh formed, in about
            // one run of two on this machine. Half the traffic, heartbeats 4 times slower.
            LinkSettings d = LinkSettings.defaults();
            LinkSettings slow = new LinkSettings(d.ioThreads(), d.tcpNoDelay(), d.maxFrameLength(), d.lowWaterMark(),
                    d.highWaterMark(), d.connectTimeoutMs(), 4 * d.heartbeatMs(), 4 * d.idleTimeoutMs(), d.ipTos(),
                    d.tlsProvider());
            try (InProcessMesh mesh = TestMeshes.of(new TreeShape(2, 1, List.of(2), 2), slow)) {
                mesh.addService(InProcessMesh.service("event", 50, 512, false));
                mesh.addService(InProcessMesh.service("audio", 19, 418, false));
                mesh.form(6, 4);
                Peer client = mesh.peer("client");
                client.requestAll("event", new Qos(true, Duration.ofMillis(100)));
                client.requestAll("audio", new Qos(false, Duration.ofMillis(100)));
                await().atMost(InProcessMesh.BOUND).until(() -> received(client, "event") > 4 * 50
                        && received(client, "audio") > 4 * 19);

                CustodyMeshTest.awaitAllBound(mesh);
                Peer sensor = mesh.peer("sensor1");
                Peer parent = mesh.peer(sensor.parents().get(0));
                parent.crash();
                MeshFailureTest.awaitRebind(sensor, parent);
                long before = received(client, "event");
                await().atMost(InProcessMesh.BOUND).until(() -> received(client, "event") > before + 4 * 25);

                mesh.live(PeerRole.SENSOR).forEach(Peer::stopSources);
                await().atMost(InProcessMesh.BOUND).untilAsserted(() -> assertThat(
                        client.lostBySource(TrafficClass.EVENT).values()).hasSize(4).allMatch(n -> n == 0));
            }
            assertThat(leaks.collect()).as("buffers garbage-collected before their last release").isEmpty();
        }
    }

    private static long received(Peer client, String cls) {
        return client.classStats().stream().filter(s -> s.trafficClass().equals(cls)).mapToLong(ClassStats::received)
                .sum();
    }
}
