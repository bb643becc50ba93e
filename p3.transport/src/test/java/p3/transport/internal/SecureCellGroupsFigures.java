package p3.transport.internal;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.GroupSettings;
import p3.transport.GroupSpec;

/**
 * Figures, printed, not asserted: how long a second member takes to join, and the round trip of a
 * small message between two members, with and without security, on loopback. A measurement, not a
 * test: its name keeps it out of the suite; run it on a quiet machine with
 * {@code mvn -o -pl p3.transport surefire:test -Dtest=SecureCellGroupsFigures}.
 */
class SecureCellGroupsFigures {

    private static final int ROUND_TRIPS = 300;

    @ParameterizedTest(name = "{0} stack, secure {1}")
    @CsvSource({ "UDP, false", "UDP, true", "TCP, false", "TCP, true" })
    void joinTimeAndLatency(GroupSettings.Stack stack, boolean secure) throws Exception {
        JGroupsCellGroups groups = new JGroupsCellGroups(SecureCellGroupsTest.settings(stack));
        try {
            String cluster = "p3.test." + UUID.randomUUID() + ".cell.011";
            InetSocketAddress mcast = new InetSocketAddress("228.1.2.4", FreePorts.udp(1));
            GroupSpec s1 = new GroupSpec(cluster, "sp01", mcast, secure ? SecureCellGroupsTest.credentials("sp01") : null);
            GroupSpec s2 = new GroupSpec(cluster, "sp02", mcast, secure ? SecureCellGroupsTest.credentials("sp02") : null);
            BlockingQueue<byte[]> back = new ArrayBlockingQueue<>(4);
            CellGroup[] echo = new CellGroup[1];
            CellGroup g1 = groups.join(s1, listener((from, p) -> back.offer(p)));
            long start = System.nanoTime();
            CellGroup g2 = groups.join(s2, listener((from, p) -> echo[0].offer(from, p)));
            long joinMs = (System.nanoTime() - start) / 1_000_000;
            echo[0] = g2;
            await().atMost(Duration.ofSeconds(10)).until(() -> g1.members().size() == 2);
            long[] rtt = new long[ROUND_TRIPS];
            byte[] payload = new byte[100];
            for (int i = -50; i < ROUND_TRIPS; i++) { // 50 to warm up
                long t = System.nanoTime();
                g1.send("sp02", payload);
                if (back.poll(5, TimeUnit.SECONDS) == null) {
                    throw new AssertionError("no echo");
                }
                if (i >= 0) {
                    rtt[i] = System.nanoTime() - t;
                }
            }
            Arrays.sort(rtt);
            System.out.printf("FIGURES %s secure=%s: second member joined in %d ms; round trip of 100 B: median %d us,"
                    + " p90 %d us%n", stack, secure, joinMs, rtt[ROUND_TRIPS / 2] / 1000, rtt[ROUND_TRIPS * 9 / 10] / 1000);
            g2.leave();
            g1.leave();
        } finally {
            groups.close();
        }
    }

    interface OnMessage {
        void on(String from, byte[] payload);
    }

    private static CellGroupListener listener(OnMessage m) {
        return new CellGroupListener() {
            @Override
            public void onView(CellView view) {
            }

            @Override
            public void onMessage(String from, byte[] payload) {
                m.on(from, payload);
            }
        };
    }
}
