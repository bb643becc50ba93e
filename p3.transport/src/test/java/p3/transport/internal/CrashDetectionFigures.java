package p3.transport.internal;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.core.ConditionTimeoutException;
import org.jgroups.protocols.FD_SOCK2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.GroupSettings;
import p3.transport.GroupSpec;

/**
 * Figures, printed, not asserted: how long the survivors of a cell take to get the view without a
 * member whose sockets closed (crash), when it was the coordinator and when it was not, with 2 and 3
 * members. Times are from the start of the crash to the last survivor's view (and to the first
 * survivor's suspicion), taken in the listeners, not by polling. A measurement, not a test: its name
 * keeps it out of the suite; run it with
 * {@code mvn -o -pl p3.transport surefire:test -Dtest=CrashDetectionFigures [-Dcrash.reps=30] [-Dcrash.only=UDP]}.
 * The settings are the defaults (verification 150 ms), as a runtime has them.
 */
class CrashDetectionFigures {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int REPS = Integer.getInteger("crash.reps", 30);

    @ParameterizedTest(name = "{0} stack, secure {1}")
    @CsvSource({ "UDP, false", "TCP, false", "UDP, true", "TCP, true" })
    void crashToView(GroupSettings.Stack stack, boolean secure) throws Exception {
        String only = System.getProperty("crash.only", "");
        if (!only.isEmpty() && !only.equalsIgnoreCase(stack.name()) && !only.equalsIgnoreCase(stack + "-" + secure)) {
            return;
        }
        for (int n = 2; n <= 3; n++) {
            for (boolean coordinator : new boolean[] { true, false }) {
                long[] view = new long[REPS];
                long[] suspect = new long[REPS];
                long[] crashCall = new long[REPS];
                int skipped = 0;
                for (int r = 0; r < REPS; r++) {
                    long[] t = once(stack, secure, n, coordinator);
                    if (t == null) { // the cell did not settle before the crash: not a detection figure
                        skipped++;
                        r--;
                        if (skipped > REPS) {
                            throw new IllegalStateException("cells do not settle");
                        }
                        continue;
                    }
                    view[r] = t[0];
                    suspect[r] = t[1];
                    crashCall[r] = t[2];
                    if (Boolean.getBoolean("crash.verbose")) {
                        System.err.printf("%tT.%<tL REP %s n=%d %s: view %d us, suspect %d us%n", System.currentTimeMillis(),
                                stack, n, coordinator ? "coordinator" : "member", t[0] / 1000, t[1] / 1000);
                    }
                }
                System.out.printf("FIGURES %s secure=%-5s n=%d %-11s crash->view ms %s | ->1st suspect %s | crash() %s"
                        + " | unsettled cells %d%n", stack, secure, n, coordinator ? "coordinator" : "member", stats(view),
                        stats(suspect), stats(crashCall), skipped);
            }
        }
    }

    /** The same figures without Maven: {@code java -cp <test class path> p3.transport.internal.CrashDetectionFigures UDP-false TCP-true}. */
    public static void main(String[] args) throws Exception {
        for (String a : args) {
            String[] p = a.split("-");
            new CrashDetectionFigures().crashToView(GroupSettings.Stack.parse(p[0]), Boolean.parseBoolean(p[1]));
        }
        System.exit(0);
    }

    private static String stats(long[] nanos) {
        long[] ms = Arrays.stream(nanos).map(x -> x < 0 ? Long.MAX_VALUE : x / 100_000).sorted().toArray();
        return String.format("median %s p90 %s max %s", f(ms[ms.length / 2]), f(ms[(int) Math.ceil(ms.length * 0.9) - 1]),
                f(ms[ms.length - 1]));
    }

    private static String f(long tenthsOfMs) {
        return tenthsOfMs == Long.MAX_VALUE ? "-" : String.format("%5.1f", tenthsOfMs / 10.0);
    }

    /** @return null if the cell did not settle; else crash to the last survivor's view, to the first survivor's suspicion (-1: none), crash() call; ns */
    private static long[] once(GroupSettings.Stack stack, boolean secure, int n, boolean coordinator) throws Exception {
        GroupSettings s = GroupSettings.defaults();
        if (stack == GroupSettings.Stack.TCP) {
            int port = FreePorts.tcp(6);
            s = s.withTcp(port, 6, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
        JGroupsCellGroups groups = new JGroupsCellGroups(s.withStack(stack));
        List<CellGroup> started = new ArrayList<>();
        try {
            String cluster = "p3.test." + UUID.randomUUID() + ".cell.01";
            InetSocketAddress mcast = new InetSocketAddress("228.1.2.2", FreePorts.udp(1));
            List<Timed> members = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                String name = "sp0" + i;
                Timed m = new Timed();
                started.add(groups.join(new GroupSpec(cluster, name, mcast,
                        secure ? SecureCellGroupsTest.credentials(name) : null, i == 1), m));
                members.add(m);
            }
            try {
                await().atMost(BOUND).until(() -> members.stream().allMatch(m -> m.members.size() == n));
                await().atMost(BOUND).until(() -> started.stream().allMatch(CrashDetectionFigures::watching));
                // every member hears every other: the group key is in place, the connections are up
                for (CellGroup g : started) {
                    g.send(("hello from " + g.localMember()).getBytes());
                }
                await().atMost(BOUND).until(() -> members.stream().allMatch(m -> m.messages.size() == n - 1));
            } catch (ConditionTimeoutException e) {
                return null;
            }
            int victim = coordinator ? 0 : n - 1;
            String gone = started.get(victim).localMember();
            List<Timed> survivors = new ArrayList<>(members);
            survivors.remove(victim);
            if (Boolean.getBoolean("crash.verbose")) {
                System.err.printf("%tT.%<tL CRASH %s%n", System.currentTimeMillis(), gone);
            }
            long start = System.nanoTime();
            survivors.forEach(m -> m.watch(gone));
            started.get(victim).crash();
            long crashed = System.nanoTime();
            await().atMost(BOUND).until(() -> survivors.stream().allMatch(m -> m.viewAt > 0));
            long view = survivors.stream().mapToLong(m -> m.viewAt).max().orElseThrow() - start;
            long suspect = survivors.stream().mapToLong(m -> m.suspectAt).filter(x -> x > 0).min().orElse(start - 1)
                    - start;
            return new long[] { view, suspect, crashed - start };
        } finally {
            for (CellGroup g : started) {
                g.crash();
            }
            groups.close();
        }
    }

    private static boolean watching(CellGroup g) {
        FD_SOCK2 fd = ((JGroupsCellGroup) g).channel().getProtocolStack().findProtocol(FD_SOCK2.class);
        return "CONNECTED".equals(fd.getClientState());
    }

    private static final class Timed implements CellGroupListener {
        volatile List<String> members = List.of();
        final Map<String, Boolean> messages = new ConcurrentHashMap<>();
        volatile String gone;
        volatile long viewAt;
        volatile long suspectAt;

        void watch(String member) {
            gone = member;
        }

        @Override
        public void onView(CellView view) {
            members = view.members();
            if (gone != null && viewAt == 0 && !view.members().contains(gone)) {
                viewAt = System.nanoTime();
            }
        }

        @Override
        public void onMessage(String from, byte[] payload) {
            messages.put(from, true);
        }

        @Override
        public void onSuspect(String member) {
            if (member.equals(gone) && suspectAt == 0) {
                suspectAt = System.nanoTime();
            }
        }
    }
}
