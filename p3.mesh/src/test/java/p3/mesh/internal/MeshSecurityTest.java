package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoverySpec;
import p3.transport.DiscoveryTimeoutException;
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

    /**
     * Discovery, signed: the root cell places a super-peer's certificate asking as a super-peer, and
     * says nothing to a sensor's certificate asking to be placed as one (refused and counted).
     */
    @Test
    void aSensorsCertificateIsNotPlacedAsASuperPeer() throws Exception {
        try (InProcessMesh mesh = TestMeshes.of(new TreeShape(2, 2, List.of(1), 1));
                StandaloneTransport outside = StandaloneTransport.open()) {
            Peer root = mesh.startBound("sp01", PeerRole.SUPER);
            ControlCodec codec = new ControlCodec(2);
            DiscoverySpec spec = new DiscoverySpec(mesh.discoveryBase, 2, true, List.of(), 0);

            PeerCredentials superPeer = mesh.ca().issue("sp02", Role.SUPER, Duration.ofDays(1));
            try (DiscoveryEndpoint d = outside.discovery().open(spec.withCredentials(superPeer))) {
                List<DiscoveryReply> placed = d.request(CellId.ROOT.toString(),
                        codec.encode(Control.of(Control.Kind.REQUEST_CELL, 0, "SUPER:sp02")), Duration.ofSeconds(5), 1)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(codec.decode(placed.get(0).payload()).kind()).isEqualTo(Control.Kind.CELL);
                assertThat(placed.get(0).sender()).isEqualTo(new PeerIdentity("sp01", Role.SUPER));
            }

            long refused = root.counters().unauthorized();
            PeerCredentials rogue = mesh.ca().issue("rogue", Role.SENSOR, Duration.ofDays(1));
            try (DiscoveryEndpoint d = outside.discovery().open(spec.withCredentials(rogue))) {
                assertThatThrownBy(() -> d.request(CellId.ROOT.toString(),
                        codec.encode(Control.of(Control.Kind.REQUEST_CELL, 0, "SUPER:rogue")), Duration.ofSeconds(2), 1)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(DiscoveryTimeoutException.class);
            }
            assertThat(root.counters().unauthorized()).isEqualTo(refused + 1);
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
