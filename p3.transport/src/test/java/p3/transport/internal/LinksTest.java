package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.LinkServer;
import p3.transport.LinkSettings;
import p3.transport.TrafficClass;
import p3.transport.TransportException;

/** Links between peers of one JVM over real loopback sockets. */
class LinksTest {

    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final Duration BOUND = Duration.ofSeconds(5);

    private final NettyLinks links = new NettyLinks(LinkSettings.defaults());

    @AfterEach
    void stop() {
        links.close();
    }

    static Link connect(NettyLinks links, LinkServer server, String peer, TrafficClass cls, Recorder handler)
            throws Exception {
        return links.connect(server.address(), peer, cls, handler).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void everyTrafficClassTravelsOnItsOwnConnection() throws Exception {
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        try (LinkServer server = links.listen(ANY_LOOPBACK, "sp-a", parent)) {
            Map<TrafficClass, Link> byClass = new EnumMap<>(TrafficClass.class);
            for (TrafficClass cls : TrafficClass.values()) {
                Link link = connect(links, server, "sensor-1", cls, child);
                assertThat(link.remotePeer()).isEqualTo("sp-a");
                byClass.put(cls, link);
            }
            Set<Integer> localPorts = new HashSet<>();
            for (TrafficClass cls : TrafficClass.values()) {
                Link link = byClass.get(cls);
                assertThat(link.send(Frame.data(cls, "sensor-1", "011", "client", "0", cls.code(), new byte[100])))
                        .isTrue();
                localPorts.add(link.remoteAddress().getPort());
            }
            await().atMost(BOUND).until(() -> parent.frames.size() == TrafficClass.values().length);
            assertThat(parent.opened).hasSize(TrafficClass.values().length);
            // on the accepting side each class arrived on a link of its own class, from its own connection
            Set<InetSocketAddress> senders = new HashSet<>();
            for (Link accepted : parent.opened) {
                Frame f = parent.lastByLink.get(accepted);
                assertThat(f.trafficClass()).isEqualTo(accepted.trafficClass());
                assertThat(accepted.remotePeer()).isEqualTo("sensor-1");
                senders.add(accepted.remoteAddress());
            }
            assertThat(senders).hasSize(TrafficClass.values().length);

            // and the parent answers down the same links
            for (Link accepted : parent.opened) {
                accepted.send(new Frame(FrameType.ACK, accepted.trafficClass(), 0, "sp-a", "01", "sensor-1", "011",
                        7, System.nanoTime(), new byte[0]));
            }
            await().atMost(BOUND).until(() -> child.frames.size() == TrafficClass.values().length);
            assertThat(child.frames).allSatisfy(f -> assertThat(f.type()).isEqualTo(FrameType.ACK));
        }
    }

    @Test
    void abortLooksLikeACrashToTheOtherEnd() throws Exception {
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        try (LinkServer server = links.listen(ANY_LOOPBACK, "sp-a", parent)) {
            Link link = connect(links, server, "sensor-1", TrafficClass.VIDEO, child);
            await().atMost(BOUND).until(() -> parent.opened.size() == 1);
            long start = System.nanoTime();
            server.abort(); // the parent crashes
            await().atMost(BOUND).until(() -> child.closed.containsKey(link));
            long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(child.closed.get(link)).isEqualTo(CloseReason.RESET);
            assertThat(detectedMs).as("a reset is seen at once, not after the idle timeout").isLessThan(1000);
            assertThat(link.isOpen()).isFalse();
            assertThat(link.send(Frame.data(TrafficClass.VIDEO, "s", "0", "t", "0", 1, new byte[1]))).isFalse();
            assertThat(links.stats().framesRefused()).isEqualTo(1);
        }
    }

    @Test
    void gracefulCloseDeliversWhatWasQueuedThenEnds() throws Exception {
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        try (LinkServer server = links.listen(ANY_LOOPBACK, "sp-a", parent)) {
            Link link = connect(links, server, "sensor-1", TrafficClass.EVENT, child);
            for (int i = 0; i < 100; i++) {
                link.send(Frame.data(TrafficClass.EVENT, "sensor-1", "011", "c", "0", i, new byte[1024]));
            }
            link.close();
            await().atMost(BOUND).until(() -> parent.closed.size() == 1);
            assertThat(parent.frames).hasSize(100);
            assertThat(parent.closed.values()).containsExactly(CloseReason.REMOTE_CLOSED);
            await().atMost(BOUND).until(() -> child.closed.containsKey(link));
            assertThat(child.closed.get(link)).isEqualTo(CloseReason.CLOSED);
        }
    }

    @Test
    void connectingToNobodySaysWhere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        CompletableFuture<Link> f = links.connect(nobody, "sensor-1", TrafficClass.AUDIO, new Recorder())
                .toCompletableFuture();
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class).hasMessageContaining(String.valueOf(port))
                .hasMessageContaining("audio");
    }

    @Test
    void aFullLinkRefusesInsteadOfQueueingWithoutBound() throws Exception {
        NettyLinks small = new NettyLinks(LinkSettings.defaults().withWaterMarks(8 << 10, 32 << 10));
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Link> pending = small.connect((InetSocketAddress) silent.getLocalSocketAddress(),
                    "sensor-1", TrafficClass.VIDEO, new Recorder()).toCompletableFuture();
            try (Socket peer = silent.accept()) {
                // a peer that answers HELLO, then never reads again
                peer.getOutputStream().write(helloBytes("stalled"));
                Link link = pending.get(5, TimeUnit.SECONDS);
                int accepted = 0;
                int refused = 0;
                for (int i = 0; i < 20_000 && refused == 0; i++) {
                    if (link.send(Frame.data(TrafficClass.VIDEO, "sensor-1", "011", "c", "0", i, new byte[4180]))) {
                        accepted++;
                    } else {
                        refused++;
                    }
                }
                assertThat(refused).as("the link refuses once its buffer is full").isEqualTo(1);
                // socket buffers take some (a few MB on loopback), the 32 KiB watermark bounds the rest
                assertThat(accepted).isLessThan(2_000);
                assertThat(small.stats().framesRefused()).isEqualTo(1);
            }
        } finally {
            small.close();
        }
    }

    @Test
    void aSilentPeerIsClosedAfterTheIdleTimeout() throws Exception {
        NettyLinks quick = new NettyLinks(new LinkSettings(1, true, 1 << 16, 1 << 10, 1 << 12, 1000, 50, 300));
        Recorder child = new Recorder();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Link> pending = quick.connect((InetSocketAddress) silent.getLocalSocketAddress(),
                    "sensor-1", TrafficClass.MESH, child).toCompletableFuture();
            try (Socket peer = silent.accept()) {
                peer.getOutputStream().write(helloBytes("frozen"));
                Link link = pending.get(5, TimeUnit.SECONDS);
                long start = System.nanoTime();
                await().atMost(BOUND).until(() -> child.closed.containsKey(link));
                assertThat(child.closed.get(link)).isEqualTo(CloseReason.IDLE);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 2000L);
                assertThat(((Counters) quick.stats()).heartbeatsSent.sum()).as("heartbeats while it waited")
                        .isPositive();
            }
        } finally {
            quick.close();
        }
    }

    @Test
    void heartbeatsKeepAQuietButLiveLinkOpen() throws Exception {
        NettyLinks quick = new NettyLinks(new LinkSettings(1, true, 1 << 16, 1 << 10, 1 << 12, 1000, 50, 300));
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        try (LinkServer server = quick.listen(ANY_LOOPBACK, "sp-a", parent)) {
            Link link = connect(quick, server, "sensor-1", TrafficClass.MESH, child);
            // several idle timeouts without a frame: only heartbeats cross, and the link holds
            await().during(Duration.ofMillis(1200)).atMost(BOUND)
                    .until(() -> link.isOpen() && child.closed.isEmpty());
            assertThat(parent.closed).isEmpty();
            assertThat(parent.frames).as("heartbeats do not reach the handler").isEmpty();
            assertThat(((Counters) quick.stats()).heartbeatsSent.sum()).isPositive();
        } finally {
            quick.close();
        }
    }

    @Test
    void aPauseOfTheWholeLoopLongerThanTheIdleTimeoutClosesNoLink() throws Exception {
        NettyLinks quick = new NettyLinks(new LinkSettings(1, true, 1 << 16, 1 << 10, 1 << 12, 1000, 50, 300));
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        try (LinkServer server = quick.listen(ANY_LOOPBACK, "sp-a", parent)) {
            Link link = connect(quick, server, "sensor-1", TrafficClass.MESH, child);
            await().atMost(BOUND).until(() -> parent.opened.size() == 1);
            // both ends share the one loop: stall it three idle timeouts, as a GC pause or a starved process does
            ((NettyLink) link).eventLoop().submit(() -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(900)))
                    .syncUninterruptibly();
            await().during(Duration.ofMillis(600)).atMost(BOUND)
                    .until(() -> link.isOpen() && child.closed.isEmpty() && parent.closed.isEmpty());
            assertThat(quick.tickedLinks()).isEqualTo(2);
            link.close();
            await().atMost(BOUND).until(() -> parent.closed.size() == 1 && quick.tickedLinks() == 0);
        } finally {
            quick.close();
        }
    }

    /**
     * The liveness of a pair of peers rides on their MESH link: a link of another class sends no
     * heartbeat at either end, is ticked by no loop, and stays open through several idle timeouts of
     * silence, while a MESH link beside it heartbeats.
     */
    @Test
    void aQuietLinkOfADataClassSendsNoHeartbeatAndStaysOpen() throws Exception {
        NettyLinks quick = new NettyLinks(new LinkSettings(1, true, 1 << 16, 1 << 10, 1 << 12, 1000, 50, 300));
        Counters counters = (Counters) quick.stats();
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        try (LinkServer server = quick.listen(ANY_LOOPBACK, "sp-a", parent)) {
            Link link = connect(quick, server, "sensor-1", TrafficClass.EVENT, child);
            await().atMost(BOUND).until(() -> parent.opened.size() == 1);
            await().during(Duration.ofMillis(1200)).atMost(BOUND)
                    .until(() -> link.isOpen() && child.closed.isEmpty() && parent.closed.isEmpty());
            assertThat(counters.heartbeatsSent.sum()).isZero();
            assertThat(quick.tickedLinks()).as("an EVENT link at either end").isZero();

            Link mesh = connect(quick, server, "sensor-1", TrafficClass.MESH, child);
            await().atMost(BOUND).until(() -> counters.heartbeatsSent.sum() > 0);
            assertThat(quick.tickedLinks()).as("the MESH link, at both ends").isEqualTo(2);
            mesh.close();
            await().atMost(BOUND).until(() -> parent.closed.size() == 1 && quick.tickedLinks() == 0);
            assertThat(link.isOpen()).isTrue();
        } finally {
            quick.close();
        }
    }

    /**
     * A far end of a data link that says nothing after its HELLO (hung, or only ever sending on
     * another link) is not closed for it; closing its socket still closes the link.
     */
    @Test
    void aSilentPeerOnADataLinkIsNotClosedForSilenceButForItsClose() throws Exception {
        NettyLinks quick = new NettyLinks(new LinkSettings(1, true, 1 << 16, 1 << 10, 1 << 12, 1000, 50, 300));
        Recorder child = new Recorder();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Link> pending = quick.connect((InetSocketAddress) silent.getLocalSocketAddress(),
                    "sensor-1", TrafficClass.VIDEO, child).toCompletableFuture();
            Link link;
            try (Socket peer = silent.accept()) {
                peer.getOutputStream().write(helloBytes("frozen", TrafficClass.VIDEO));
                link = pending.get(5, TimeUnit.SECONDS);
                await().during(Duration.ofMillis(1200)).atMost(BOUND)
                        .until(() -> link.isOpen() && child.closed.isEmpty());
                assertThat(((Counters) quick.stats()).heartbeatsSent.sum()).isZero();
            }
            await().atMost(BOUND).until(() -> child.closed.containsKey(link));
            assertThat(child.closed.get(link)).isIn(CloseReason.REMOTE_CLOSED, CloseReason.RESET);
        } finally {
            quick.close();
        }
    }

    /**
     * An accepted link is watched until its HELLO tells its class: then a MESH link that goes silent
     * is closed as dead, and a link of another class is not.
     */
    @Test
    void anAcceptedLinkIsWatchedOnlyWhenItsHelloSaysMesh() throws Exception {
        NettyLinks quick = new NettyLinks(new LinkSettings(1, true, 1 << 16, 1 << 10, 1 << 12, 1000, 50, 300));
        Recorder parent = new Recorder();
        try (LinkServer server = quick.listen(ANY_LOOPBACK, "sp-a", parent);
                Socket event = new Socket(server.address().getAddress(), server.address().getPort());
                Socket mesh = new Socket(server.address().getAddress(), server.address().getPort())) {
            event.getOutputStream().write(helloBytes("sensor-1", TrafficClass.EVENT));
            mesh.getOutputStream().write(helloBytes("sensor-2", TrafficClass.MESH));
            await().atMost(BOUND).until(() -> parent.opened.size() == 2);
            Link meshLink = parent.opened.stream().filter(l -> l.trafficClass() == TrafficClass.MESH).findFirst()
                    .orElseThrow();
            await().atMost(BOUND).until(() -> parent.closed.containsKey(meshLink));
            assertThat(parent.closed.get(meshLink)).isEqualTo(CloseReason.IDLE);
            await().during(Duration.ofMillis(600)).atMost(BOUND).until(() -> parent.closed.size() == 1);
            assertThat(quick.tickedLinks()).isZero();
        } finally {
            quick.close();
        }
    }

    @Test
    void aFailingHandlerCostsItsFrameNotTheLink() throws Exception {
        Recorder child = new Recorder();
        Recorder seen = new Recorder();
        p3.transport.LinkHandler faulty = (link, frame) -> {
            seen.onFrame(link, frame);
            if (frame.sequence() == 1) {
                throw new IllegalStateException("plug-in bug");
            }
        };
        try (LinkServer server = links.listen(ANY_LOOPBACK, "sp-a", faulty)) {
            Link link = connect(links, server, "sensor-1", TrafficClass.EVENT, child);
            link.send(Frame.data(TrafficClass.EVENT, "sensor-1", "011", "c", "0", 1, new byte[1]));
            link.send(Frame.data(TrafficClass.EVENT, "sensor-1", "011", "c", "0", 2, new byte[1]));
            await().atMost(BOUND).until(() -> seen.frames.size() == 2);
            assertThat(link.isOpen()).isTrue();
        }
    }

    /** The bytes of a HELLO frame, as a listener would answer. */
    static byte[] helloBytes(String peer) {
        return helloBytes(peer, TrafficClass.MESH);
    }

    static byte[] helloBytes(String peer, TrafficClass cls) {
        return FrameCodecTest.wire(new Frame(FrameType.HELLO, cls, 0, peer, "", "", "", 0, 0, new byte[0]));
    }

}
