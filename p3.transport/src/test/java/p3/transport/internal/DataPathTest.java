package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static p3.transport.internal.LinksTest.ANY_LOOPBACK;
import static p3.transport.internal.LinksTest.BOUND;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import p3.security.PeerCredentials;
import p3.security.Role;
import p3.security.ca.MeshCa;
import p3.transport.Frame;
import p3.transport.LeakWatch;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.LinkSettings;
import p3.transport.TrafficClass;

/**
 * The data path, socket to socket: a relay passes the frames it reads to the next link without a
 * copy on the heap, and every buffer under them goes back to the allocator, whether the frame was
 * forwarded, dropped or refused. Netty's leak detector watches at its paranoid level.
 */
class DataPathTest {

    private static final int PAYLOAD = 1024;
    /** Frames the sensor may send ahead of those that passed the relay. */
    private static final int WINDOW = 32;

    private final NettyLinks links = new NettyLinks(LinkSettings.defaults());
    private LeakWatch leaks;

    @BeforeEach
    void watch() {
        leaks = LeakWatch.paranoid();
    }

    @AfterEach
    void stop() {
        links.close();
        leaks.close();
    }

    @Test
    void aRelayPassesFramesOnInTheClearAndFreesEveryBuffer() throws Exception {
        relay(2000, null, null, null);
    }

    @Test
    void aRelayPassesFramesOnOverTlsAndFreesEveryBuffer() throws Exception {
        MeshCa ca = MeshCa.create("test", Duration.ofDays(1));
        // fewer: TLS at the paranoid level records a stack trace at every access of every buffer
        relay(300, ca.issue("s01", Role.SENSOR, Duration.ofDays(1)), ca.issue("sp01", Role.SUPER, Duration.ofDays(1)),
                ca.issue("client", Role.CLIENT, Duration.ofDays(1)));
    }

    /** A sensor sends to a relay, which passes nine frames in ten to the sink and drops the tenth. */
    private void relay(int frames, PeerCredentials sensor, PeerCredentials relay, PeerCredentials client)
            throws Exception {
        BitSet arrived = new BitSet();
        AtomicInteger damaged = new AtomicInteger();
        AtomicInteger passed = new AtomicInteger(); // the sink's frames and the relay's drops
        AtomicInteger refused = new AtomicInteger();
        LinkHandler sink = (link, f) -> {
            if (!intact(f)) {
                damaged.incrementAndGet();
            }
            synchronized (arrived) {
                arrived.set((int) f.sequence());
            }
            passed.incrementAndGet();
        };
        AtomicReference<Link> up = new AtomicReference<>();
        LinkHandler pass = (link, f) -> {
            if (f.sequence() % 10 == 9) {
                passed.incrementAndGet();
            } else if (!up.get().send(f)) { // refused by a full link
                refused.incrementAndGet();
                passed.incrementAndGet();
            }
        };
        try (LinkServer sinkServer = listen(client, "client", sink);
                LinkServer relayServer = listen(relay, "sp01", pass)) {
            up.set(connect(sinkServer, relay, "sp01", (l, f) -> {
            }));
            Link link = connect(relayServer, sensor, "s01", (l, f) -> {
            });
            for (int seq = 0; seq < frames; seq++) {
                Frame f = Frame.data(TrafficClass.VIDEO, "s01", "011", "client", "0", seq, payload(seq));
                long deadline = System.nanoTime() + BOUND.toNanos();
                // a window, so that the relay's link is never refused a frame (that would be a loss)
                while (seq - passed.get() > WINDOW || !link.send(f)) {
                    assertThat(System.nanoTime()).as("frame %d sent, %d passed", seq, passed.get())
                            .isLessThan(deadline);
                    Thread.yield();
                }
            }
            await().atMost(BOUND).until(() -> passed.get() == frames);
            synchronized (arrived) {
                assertThat(arrived.cardinality()).isEqualTo(frames - frames / 10 - refused.get());
            }
            assertThat(damaged).hasValue(0);
            for (int seq = 9; seq < frames; seq += 10) {
                assertThat(arrived.get(seq)).as("dropped frame %d", seq).isFalse();
            }
        }
        links.close();
        assertThat(leaks.collect()).as("buffers garbage-collected before their last release").isEmpty();
    }

    @Test
    void aFrameKeptWithoutItsReleaseIsFound() throws Exception {
        AtomicInteger kept = new AtomicInteger();
        LinkHandler keeper = (link, f) -> {
            f.retain(); // and forgets it: its buffer can never go back
            kept.incrementAndGet();
        };
        try (LinkServer server = listen(null, "sp01", keeper)) {
            Link link = connect(server, null, "s01", (l, f) -> {
            });
            for (int seq = 0; seq < 50; seq++) {
                assertThat(link.send(Frame.data(TrafficClass.EVENT, "s01", "011", "sp01", "01", seq, payload(seq))))
                        .isTrue();
            }
            await().atMost(BOUND).until(() -> kept.get() == 50);
        }
        await().atMost(BOUND).until(() -> !leaks.collect().isEmpty());
        assertThat(leaks.collect().get(0)).contains("LEAK");
    }

    private LinkServer listen(PeerCredentials c, String peer, LinkHandler handler) throws Exception {
        return c == null ? links.listen(ANY_LOOPBACK, peer, handler) : links.listen(ANY_LOOPBACK, c, handler);
    }

    private Link connect(LinkServer server, PeerCredentials c, String peer, LinkHandler handler) throws Exception {
        return (c == null ? links.connect(server.address(), peer, TrafficClass.VIDEO, handler)
                : links.connect(server.address(), c, TrafficClass.VIDEO, handler)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    /** The sequence number, then bytes derived from it. */
    private static byte[] payload(int seq) {
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD);
        b.putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) (seq + b.position()));
        }
        return b.array();
    }

    private static boolean intact(Frame f) {
        ByteBuffer b = f.payloadBuffer();
        return b.remaining() == PAYLOAD && ByteBuffer.wrap(payload((int) f.sequence())).equals(b);
    }
}
