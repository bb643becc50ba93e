package p3.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The transport built by hand, through the API alone, as the bench and the mesh's tests build it. */
class StandaloneTransportTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Threads of ours that were not there before: the transport names all of its own "p3-". */
    private static List<String> newP3Threads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("p3-") && !before.contains(t))
                .map(Thread::getName).sorted().toList();
    }

    @Test
    void openUseAndCloseLeaveNoThreadOfItsOwnRunning() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (StandaloneTransport t = StandaloneTransport.open()) {
            assertThat(t.groups().stack()).isEqualTo("udp");

            List<Frame> frames = new CopyOnWriteArrayList<>();
            LinkServer server = t.links().listen(new InetSocketAddress(loopback, 0), "peer-b",
                    (link, frame) -> frames.add(frame.copy()));
            Link link = t.links().connect(server.address(), "peer-a", TrafficClass.EVENT, (l, f) -> {
            }).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(link.send(new Frame(FrameType.DATA, TrafficClass.EVENT, 0, "peer-a", "0", "peer-b", "0", 1,
                    System.nanoTime(), new byte[8]))).isTrue();
            await().atMost(BOUND).until(() -> frames.size() == 1);

            List<CellView> views = new CopyOnWriteArrayList<>();
            CellGroup group = t.groups().joinAsync(new GroupSpec("p3.test." + UUID.randomUUID() + ".cell.0", "sp-1",
                    new InetSocketAddress("228.1.2.5", PortRuns.freeUdp(1))), new CellGroupListener() {
                        @Override
                        public void onView(CellView view) {
                            views.add(view);
                        }

                        @Override
                        public void onMessage(String from, byte[] payload) {
                        }
                    }).toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(group.members()).containsExactly("sp-1");
            assertThat(group.offer(new byte[8])).isTrue(); // nobody else to hear it, but it starts a sender

            DiscoverySpec spec = new DiscoverySpec(new InetSocketAddress("228.1.2.6", PortRuns.freeUdp(3)), 2, true,
                    List.of(), 0);
            DiscoveryEndpoint root = t.discovery().open(spec);
            root.serveAsync("0", (cell, payload, from) -> CompletableFuture.completedFuture("root".getBytes()))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<DiscoveryReply> replies = t.discovery().open(spec).request("0", new byte[0], Duration.ofSeconds(2), 1)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(replies).extracting(r -> new String(r.payload())).containsExactly("root");
            assertThat(t.discoveryStats().rejections()).isEmpty();

            assertThat(newP3Threads(before)).as("the transport's threads while it runs")
                    .anyMatch(n -> n.startsWith("p3-link"))
                    .anyMatch(n -> n.startsWith("p3-discovery"))
                    .anyMatch(n -> n.startsWith("p3-group-join-"))
                    .anyMatch(n -> n.startsWith("p3-group-send-"));
            // the group, the link, its server and both endpoints are left open: close() owns them
        }
        await().atMost(BOUND).until(() -> newP3Threads(before).isEmpty());
    }
}
