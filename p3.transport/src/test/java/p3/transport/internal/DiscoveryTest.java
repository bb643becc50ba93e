package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoverySettings;
import p3.transport.DiscoverySpec;
import p3.transport.DiscoveryTimeoutException;
import p3.transport.Rejection;
import p3.transport.TransportException;

/** Discovery requests and replies over real UDP on loopback, by multicast and by seeds. */
class DiscoveryTest {

    private final UdpDiscovery discovery = new UdpDiscovery(DiscoverySettings.defaults());
    private final List<DiscoveryEndpoint> endpoints = new ArrayList<>();
    private final InetSocketAddress base = new InetSocketAddress("228.1.2.3", FreePorts.udp(7));

    @AfterEach
    void stop() {
        endpoints.forEach(DiscoveryEndpoint::close);
        discovery.close();
    }

    private DiscoveryEndpoint open(boolean multicast, List<InetSocketAddress> seeds) throws TransportException {
        DiscoveryEndpoint e = discovery.open(new DiscoverySpec(base, 2, multicast, seeds, 0));
        endpoints.add(e);
        return e;
    }

    private static byte[] answer(String who) {
        return who.getBytes();
    }

    @Test
    void everyPeerOfTheCellAnswersAMulticastRequest() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        DiscoveryEndpoint b = open(true, List.of());
        DiscoveryEndpoint other = open(true, List.of());
        a.serve("011", (cell, payload, from) -> answer("a:" + new String(payload)));
        b.serve("011", (cell, payload, from) -> answer("b:" + new String(payload)));
        other.serve("012", (cell, payload, from) -> answer("wrong cell"));

        DiscoveryEndpoint child = open(true, List.of());
        List<DiscoveryReply> replies = child.request("011", "parent?".getBytes(), Duration.ofSeconds(3), 2)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(replies).extracting(r -> new String(r.payload()))
                .containsExactlyInAnyOrder("a:parent?", "b:parent?");
        assertThat(replies).extracting(DiscoveryReply::from)
                .containsExactlyInAnyOrder(a.unicastAddress(), b.unicastAddress());
    }

    @Test
    void aSilentCellTimesOutAndSaysSo() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        a.serve("02", (cell, payload, from) -> null); // a handler may stay silent
        DiscoveryEndpoint child = open(true, List.of());
        long start = System.nanoTime();
        assertThatThrownBy(() -> child.request("02", new byte[0], Duration.ofMillis(200), 1).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(DiscoveryTimeoutException.class).hasMessageContaining("no reply from cell 02")
                .hasMessageContaining("200 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(190);
    }

    @Test
    void fewerRepliesThanAskedArriveAtTheTimeout() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        a.serve("0", (cell, payload, from) -> answer("root"));
        DiscoveryEndpoint child = open(true, List.of());
        List<DiscoveryReply> replies = child.request("0", new byte[0], Duration.ofMillis(300), 5)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(replies).hasSize(1);
    }

    @Test
    void seedsServeWhereMulticastIsUnavailable() throws Exception {
        DiscoveryEndpoint root = open(false, List.of());
        root.serve("0", (cell, payload, from) -> answer("root here"));
        DiscoveryEndpoint joiner = open(false, List.of(root.unicastAddress()));
        List<DiscoveryReply> replies = joiner.request("0", new byte[0], Duration.ofSeconds(2), 1)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(replies).extracting(r -> new String(r.payload())).containsExactly("root here");
        // a seed asked for a cell it does not serve stays silent
        assertThatThrownBy(() -> joiner.request("01", new byte[0], Duration.ofMillis(150), 1).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).cause().isInstanceOf(DiscoveryTimeoutException.class);
    }

    @Test
    void aCellIsServedOnceAndCanBeReleased() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        AutoCloseable serving = a.serve("01", (cell, payload, from) -> answer("a"));
        assertThatThrownBy(() -> a.serve("01", (cell, payload, from) -> null)).hasMessageContaining("already served");
        serving.close();
        a.serve("01", (cell, payload, from) -> answer("again"));
        DiscoveryEndpoint child = open(true, List.of());
        assertThat(child.request("01", new byte[0], Duration.ofSeconds(2), 1).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).extracting(r -> new String(r.payload())).containsExactly("again");
    }

    @Test
    void strangeDatagramsAreCountedAndDropped() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        a.serve("0", (cell, payload, from) -> answer("root"));
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 10; i++) {
                byte[] junk = ("junk" + i).getBytes();
                s.send(new DatagramPacket(junk, junk.length, a.unicastAddress()));
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> discovery.stats().rejections().getOrDefault(Rejection.BAD_DATAGRAM, 0L) == 10L);
        DiscoveryEndpoint child = open(true, List.of());
        assertThat(child.request("0", new byte[0], Duration.ofSeconds(2), 1).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void withoutMulticastOrSeedsThereIsNobodyToAsk() throws Exception {
        DiscoveryEndpoint lonely = open(false, List.of());
        assertThatThrownBy(() -> lonely.request("0", new byte[0], Duration.ofSeconds(1), 1).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("nowhere to ask");
    }

    @Test
    void requestsForCellsOutsideTheTreeAreRefused() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        assertThatThrownBy(() -> a.request("031", new byte[0], Duration.ofMillis(10), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("031");
    }
}
