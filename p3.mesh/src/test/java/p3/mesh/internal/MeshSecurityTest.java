package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import p3.mesh.PeerRole;
import p3.security.PeerCredentials;
import p3.security.Role;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.StandaloneTransport;
import p3.transport.TrafficClass;

/**
 * A peer with a valid certificate of the mesh, used beyond what its role allows, over real TLS
 * links: whatever it tries is refused and counted, and the mesh's traffic goes on.
 */
class MeshSecurityTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void aSensorsCertificateCannotBindAsASuperPeerSendAsAnotherPeerSubscribeOrSteer() throws Exception {
        try (InProcessMesh mesh = TestMeshes.of(new TreeShape(2, 2, List.of(1), 1));
                StandaloneTransport outside = StandaloneTransport.open()) {
            mesh.form(3, 2);
            Peer sensor = mesh.peer("sensor1");
            Peer parent = mesh.peer(sensor.parents().get(0));
            Peer client = mesh.peer("client");
            PeerCredentials rogue = mesh.ca().issue("rogue", Role.SENSOR, Duration.ofDays(1));
            ControlCodec codec = new ControlCodec(2);
            Replies replies = new Replies(codec);
            Link mesh0 = outside.links().connect(parent.linkAddress(), rogue, TrafficClass.MESH, replies)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            long refused = parent.counters().unauthorized();

            // bind as a super-peer of a child cell: refused, with the reason
            PeerRecord asSuper = new PeerRecord("rogue", PeerRole.SUPER, parent.cell().child(1), parent.id(),
                    parent.linkAddress(), 1);
            mesh0.send(control(codec, "rogue", Control.records(Control.Kind.BIND, 7, List.of(asSuper))));
            await().atMost(BOUND).until(() -> !replies.got.isEmpty());
            assertThat(replies.got.get(0).kind()).isEqualTo(Control.Kind.REFUSED);
            assertThat(replies.got.get(0).text()).contains("sensor certificate");

            // data as sensor1, to the client, on a class no service sends: nothing of it may arrive
            Link video = outside.links().connect(parent.linkAddress(), rogue, TrafficClass.VIDEO, replies)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                video.send(Frame.data(TrafficClass.VIDEO, "sensor1", String.valueOf(sensor.cell()), "client",
                        String.valueOf(client.cell()), i, new byte[100]));
            }
            // a subscription as if it were the client, and an order to swap the mesh's FT strategy
            mesh0.send(new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, "rogue", String.valueOf(parent.cell()),
                    "sensor1", String.valueOf(sensor.cell()), 0, System.nanoTime(),
                    codec.encode(Control.of(Control.Kind.SUBSCRIBE, 0, "video:ft:1000"))));
            mesh0.send(control(codec, "rogue", Control.of(Control.Kind.FT_USE, 99, "active")));

            await().atMost(BOUND).until(() -> parent.counters().unauthorized() >= refused + 13);
            // sent in order on one MESH link after the data: once the order is refused, the rest was too
            assertThat(mesh.received(client, sensor, "video")).isZero();
            assertThat(sensor.classStats()).noneMatch(c -> c.trafficClass().equals("video"));
            assertThat(mesh.everySensorReachesTheClient()).as(mesh.describe()).isTrue();
        }
    }

    private static Frame control(ControlCodec codec, String self, Control c) {
        return new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, self, "", "", "", 0, System.nanoTime(),
                codec.encode(c));
    }

    /** What the parent answers the rogue. */
    private static final class Replies implements LinkHandler {
        final List<Control> got = new CopyOnWriteArrayList<>();
        private final ControlCodec codec;

        Replies(ControlCodec codec) {
            this.codec = codec;
        }

        @Override
        public void onFrame(Link link, Frame frame) {
            if (frame.type() == FrameType.CONTROL && frame.targetPeer().isEmpty()) {
                try {
                    got.add(codec.decode(frame.payload()));
                } catch (ControlCodec.MalformedControlException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
