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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoveryResponder;
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

    /** A host whose interface is down cannot send: that is no silence, which would say nobody is there. */
    @Test
    void aRequestThatCannotBeSentFailsAtOnceAndNotAsATimeout() throws Exception {
        // the limited broadcast address without SO_BROADCAST: the kernel refuses the send, and nothing leaves
        DiscoveryEndpoint cutOff = open(false, List.of(new InetSocketAddress("255.255.255.255", 7800)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> cutOff.request("0", new byte[0], Duration.ofSeconds(10), 1).toCompletableFuture()
                .get(9, TimeUnit.SECONDS)).cause().isInstanceOf(TransportException.class)
                .isNotInstanceOf(DiscoveryTimeoutException.class).hasMessageContaining("could not be sent");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("not the 10 s timeout")
                .isLessThan(5000);
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

    // --- serveAsync (1.1) ---

    private static AutoCloseable served(DiscoveryEndpoint e, String cell, DiscoveryResponder r) throws Exception {
        return e.serveAsync(cell, r).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static List<String> ask(DiscoveryEndpoint child, String cell, Duration timeout) throws Exception {
        return child.request(cell, "q".getBytes(), timeout, 1).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .stream().map(r -> new String(r.payload())).toList();
    }

    private static void assertSilent(DiscoveryEndpoint child, String cell) {
        assertThatThrownBy(() -> ask(child, cell, Duration.ofMillis(200))).cause()
                .isInstanceOf(DiscoveryTimeoutException.class);
    }

    @Test
    void serveAsyncAnswersByMulticastAndBySeed() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        served(a, "011",
                (cell, payload, from) -> CompletableFuture.completedFuture(("a:" + new String(payload)).getBytes()));
        assertThat(ask(open(true, List.of()), "011", Duration.ofSeconds(2))).containsExactly("a:q");
        assertThat(ask(open(false, List.of(a.unicastAddress())), "011", Duration.ofSeconds(2))).containsExactly("a:q");
        assertThatThrownBy(() -> served(a, "011", (cell, payload, from) -> null)).cause()
                .hasMessageContaining("already served");
    }

    @Test
    void aResponderThatCompletesLaterFromAnotherThreadIsAnswered() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        AtomicReference<CompletableFuture<byte[]>> later = new AtomicReference<>();
        AtomicReference<Thread> asked = new AtomicReference<>();
        served(a, "01", (cell, payload, from) -> {
            asked.set(Thread.currentThread());
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            later.set(f);
            return f;
        });
        CompletableFuture<List<DiscoveryReply>> replies = open(true, List.of())
                .request("01", new byte[0], Duration.ofSeconds(5), 1).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> later.get() != null);
        assertThat(asked.get().getName()).as("asked on the discovery loop").startsWith("p3-discovery");
        assertThat(replies).isNotDone();
        later.get().complete("from the test thread".getBytes()); // not the loop: a peer's own executor would do this
        assertThat(replies.get(5, TimeUnit.SECONDS)).extracting(r -> new String(r.payload()))
                .containsExactly("from the test thread");
    }

    @Test
    void nullAnswersFailedStagesAndThrowingRespondersStaySilent() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        AtomicInteger asked = new AtomicInteger();
        served(a, "0", (cell, payload, from) -> {
            asked.incrementAndGet();
            return null;
        });
        served(a, "01", (cell, payload, from) -> CompletableFuture.completedFuture(null));
        served(a, "02", (cell, payload, from) -> CompletableFuture.failedFuture(new IllegalStateException("no")));
        served(a, "011", (cell, payload, from) -> {
            throw new IllegalStateException("a responder that throws");
        });
        DiscoveryEndpoint child = open(true, List.of());
        for (String cell : List.of("0", "01", "02", "011")) {
            assertSilent(child, cell);
        }
        assertThat(asked.get()).as("the null responder was asked").isEqualTo(1);
        served(a, "012", (cell, payload, from) -> CompletableFuture.completedFuture("still answering".getBytes()));
        assertThat(ask(child, "012", Duration.ofSeconds(2))).containsExactly("still answering");
    }

    @Test
    void closingTheHandleStopsTheAnswersAtOnce() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        AtomicReference<CompletableFuture<byte[]>> pendingAnswer = new AtomicReference<>();
        AutoCloseable handle = served(a, "01", (cell, payload, from) -> {
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            pendingAnswer.set(f);
            return f;
        });
        DiscoveryEndpoint child = open(true, List.of(a.unicastAddress()));
        CompletionStage<List<DiscoveryReply>> asked = child.request("01", new byte[0], Duration.ofMillis(300), 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingAnswer.get() != null);
        handle.close();
        pendingAnswer.get().complete("too late".getBytes()); // released: the answer stays home
        assertThatThrownBy(() -> asked.toCompletableFuture().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(DiscoveryTimeoutException.class);
        assertSilent(child, "01"); // neither by multicast nor by seed
        handle.close(); // a second close does nothing

        // the cell can be served again at once, while the old socket may still be closing
        served(a, "01", (cell, payload, from) -> CompletableFuture.completedFuture("again".getBytes()));
        assertThat(ask(child, "01", Duration.ofSeconds(2))).containsExactly("again");
    }

    @Test
    void serveAsyncOnAClosedEndpointFails() throws Exception {
        DiscoveryEndpoint a = open(true, List.of());
        a.close();
        assertThat(a.serveAsync("0", (cell, payload, from) -> null).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("closed");
    }
}
