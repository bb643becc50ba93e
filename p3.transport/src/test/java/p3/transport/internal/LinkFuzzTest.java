package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.transport.Frame;
import p3.transport.Link;
import p3.transport.LinkServer;
import p3.transport.LinkSettings;
import p3.transport.Rejection;
import p3.transport.TrafficClass;

/**
 * Throws thousands of random and mutated frames at a listener while a good link streams: the bad
 * connections are closed and counted, the good one loses nothing, and the listener keeps accepting.
 */
class LinkFuzzTest {

    private static final long SEED = 20101102L;

    private final NettyLinks links = new NettyLinks(
            new LinkSettings(2, true, 64 << 10, 64 << 10, 256 << 10, 2000, 250, 1500));

    @AfterEach
    void stop() {
        links.close();
    }

    @Test
    void garbageNeverHurtsAGoodLink() throws Exception {
        Recorder parent = new Recorder();
        Recorder child = new Recorder();
        Random random = new Random(SEED);
        byte[] hello = LinksTest.helloBytes("fuzzer");
        byte[] good = goodFrame();
        try (LinkServer server = links.listen(LinksTest.ANY_LOOPBACK, "sp-a", parent)) {
            Link link = LinksTest.connect(links, server, "sensor-1", TrafficClass.EVENT, child);
            int sent = 0;
            int attacks = 3000;
            for (int i = 0; i < attacks; i++) {
                byte[] bad = switch (i % 4) {
                case 0 -> randomBytes(random);                     // noise
                case 1 -> mutate(good, random);                     // a frame with bytes flipped, no HELLO
                case 2 -> concat(hello, mutate(good, random));      // HELLO, then a damaged frame
                default -> concat(hello, truncatedLength(random));   // HELLO, then a lying length
                };
                attack(server, bad);
                if (link.send(Frame.data(TrafficClass.EVENT, "sensor-1", "011", "c", "0", sent, new byte[1024]))) {
                    sent++;
                }
            }
            int expected = sent;
            await().atMost(LinksTest.BOUND).until(() -> parent.frames.stream()
                    .filter(f -> f.sourcePeer().equals("sensor-1")).count() == expected);
            assertThat(link.isOpen()).isTrue();
            assertThat(expected).as("frames the good link accepted (a full link refuses)").isGreaterThan(attacks / 4);

            // refusals are counted under their reasons, as the listener works through its backlog
            await().atMost(LinksTest.BOUND).until(() -> links.stats().rejections().values().stream()
                    .mapToLong(Long::longValue).sum() > attacks * 3 / 4);
            assertThat(links.stats().rejections()).containsKeys(Rejection.BAD_MAGIC, Rejection.NO_HELLO);

            // and a new peer is still served
            Recorder late = new Recorder();
            Link fresh = LinksTest.connect(links, server, "sensor-2", TrafficClass.AUDIO, late);
            fresh.send(Frame.data(TrafficClass.AUDIO, "sensor-2", "012", "c", "0", 1, new byte[418]));
            await().atMost(LinksTest.BOUND).until(() -> parent.frames.stream()
                    .anyMatch(f -> f.sourcePeer().equals("sensor-2")));
        }
    }

    private static void attack(LinkServer server, byte[] bytes) throws IOException {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
        } catch (IOException e) {
            // the listener may already have reset us: that is its right
        }
    }

    private static byte[] goodFrame() {
        Frame f = Frame.data(TrafficClass.VIDEO, "sensor-9", "022", "client", "0", 99, new byte[64]);
        return FrameCodecTest.wire(f);
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(200)];
        r.nextBytes(b);
        return b;
    }

    private static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            // aim at the header, where a flip is a protocol error rather than a harmless payload change
            int at = 4 + r.nextInt(Math.min(30, b.length - 4));
            b[at] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] truncatedLength(Random r) {
        byte[] b = new byte[4 + r.nextInt(40)];
        int claimed = r.nextBoolean() ? 1 + r.nextInt(25) : (64 << 10) + 1 + r.nextInt(1 << 20);
        b[0] = (byte) (claimed >>> 24);
        b[1] = (byte) (claimed >>> 16);
        b[2] = (byte) (claimed >>> 8);
        b[3] = (byte) claimed;
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
