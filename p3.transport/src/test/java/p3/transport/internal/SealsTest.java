package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import p3.security.PeerCredentials;
import p3.security.Role;
import p3.security.ca.MeshCa;
import p3.transport.DiscoverySettings;
import p3.transport.Rejection;

/** The pieces of signed discovery without sockets: the version 2 codec, the replay cache, the refusal log. */
class SealsTest {

    @Test
    void aSignedDatagramReadsBackAndAnyCutOrTrailingByteIsNotOurs() throws Exception {
        PeerCredentials c = MeshCa.create("codec", Duration.ofDays(1)).issue("sp01", Role.SUPER, Duration.ofDays(1));
        byte[] nonce = new byte[16];
        Arrays.fill(nonce, (byte) 7);
        byte[] cert = c.chain()[0].getEncoded();
        byte[] bytes = ByteBufUtil.getBytes(DatagramSeals.seal(new DiscoveryDatagram(false, 99, "012", "hi".getBytes()),
                1234L, nonce, c, cert));
        DiscoveryDatagram d = DiscoveryDatagram.read(Unpooled.wrappedBuffer(bytes));
        assertThat(d.request()).isFalse();
        assertThat(d.id()).isEqualTo(99);
        assertThat(d.cellId()).isEqualTo("012");
        assertThat(new String(d.payload())).isEqualTo("hi");
        assertThat(d.seal().timestamp()).isEqualTo(1234L);
        assertThat(d.seal().nonce()).isEqualTo(nonce);
        assertThat(d.seal().certificate()).isEqualTo(cert);
        assertThat(c.trust().verifySignature(d.seal().signed(), d.seal().signature(), c.chain()))
                .isEqualTo(c.identity());
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(DiscoveryDatagram.read(Unpooled.wrappedBuffer(Arrays.copyOf(bytes, cut)))).as("cut at " + cut)
                    .satisfiesAnyOf(x -> assertThat(x).isNull(), x -> assertThat(x.seal()).isNull());
        }
        assertThat(DiscoveryDatagram.read(Unpooled.wrappedBuffer(Arrays.copyOf(bytes, bytes.length + 1)))).isNull();
        // the checks of a secured receiver
        DatagramSeals receiver = new DatagramSeals(c, DiscoverySettings.defaults());
        DiscoveryDatagram fresh = DiscoveryDatagram.read(
                DatagramSeals.seal(d, System.currentTimeMillis(), nonce, c, cert));
        long now = System.currentTimeMillis();
        assertThat(receiver.check(d, now, System.nanoTime()).refused()).isEqualTo(Rejection.STALE);
        assertThat(receiver.check(fresh, now, System.nanoTime()).sender()).isEqualTo(c.identity());
        assertThat(receiver.check(fresh, now, System.nanoTime()).refused()).isEqualTo(Rejection.REPLAYED);
        ByteBuf v1 = Unpooled.buffer();
        new DiscoveryDatagram(true, 1, "0", new byte[0]).write(v1);
        assertThat(receiver.check(DiscoveryDatagram.read(v1), now, System.nanoTime()).refused())
                .isEqualTo(Rejection.UNSIGNED);
    }

    @Test
    void theReplayCacheForgetsAfterTwiceTheWindowAndRefusesWhenFull() {
        long w = TimeUnit.SECONDS.toNanos(10);
        ReplayCache cache = new ReplayCache(w, 3);
        byte[][] n = new byte[5][16];
        for (int i = 0; i < n.length; i++) {
            n[i][15] = (byte) i;
        }
        long t = 1_000;
        assertThat(cache.record(n[0], t)).isEqualTo(ReplayCache.Verdict.FRESH);
        assertThat(cache.check(n[0], t + 1)).isEqualTo(ReplayCache.Verdict.SEEN);
        assertThat(cache.record(n[1], t + w)).isEqualTo(ReplayCache.Verdict.FRESH);
        assertThat(cache.record(n[2], t + w)).isEqualTo(ReplayCache.Verdict.FRESH);
        assertThat(cache.check(n[3], t + w)).isEqualTo(ReplayCache.Verdict.FULL);
        assertThat(cache.record(n[3], t + w)).isEqualTo(ReplayCache.Verdict.FULL);
        assertThat(cache.check(n[0], t + 2 * w - 1)).as("still within twice the window").isEqualTo(
                ReplayCache.Verdict.SEEN);
        assertThat(cache.record(n[3], t + 2 * w)).as("the oldest forgotten, room again")
                .isEqualTo(ReplayCache.Verdict.FRESH);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.check(n[4], t + 4 * w)).isEqualTo(ReplayCache.Verdict.FRESH);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFloodOfRefusalsLogsAFewLinesThenOneSummaryPerPeriod() {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<Level> levels = new CopyOnWriteArrayList<>();
        Logger log = new Logger() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                levels.add(level);
                lines.add(msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                levels.add(level);
                lines.add(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
            }
        };
        long t = 0;
        RefusalLog refusals = new RefusalLog(log, t);
        for (int i = 0; i < 100_000; i++) {
            refusals.refused(i % 2 == 0 ? Rejection.REPLAYED : Rejection.BAD_DATAGRAM,
                    i % 2 == 0 ? Level.WARNING : Level.DEBUG, () -> "refused one", t + i);
        }
        assertThat(lines).hasSize(RefusalLog.FIRST);
        assertThat(lines.get(RefusalLog.FIRST - 1)).contains("summed up");
        refusals.flush(t + RefusalLog.PERIOD_NANOS);
        assertThat(lines).hasSize(RefusalLog.FIRST + 1);
        assertThat(lines.get(RefusalLog.FIRST)).contains("99,995 more datagrams refused")
                .contains("REPLAYED=49997").contains("BAD_DATAGRAM=49998"); // the first five: 3 and 2
        assertThat(levels.get(RefusalLog.FIRST)).isEqualTo(Level.WARNING);
        refusals.flush(t + 2 * RefusalLog.PERIOD_NANOS);
        assertThat(lines).as("nothing more to tell").hasSize(RefusalLog.FIRST + 1);
        refusals.refused(Rejection.STALE, Level.WARNING, () -> "a new period", t + 2 * RefusalLog.PERIOD_NANOS + 1);
        assertThat(lines).last().isEqualTo("a new period");
    }
}
