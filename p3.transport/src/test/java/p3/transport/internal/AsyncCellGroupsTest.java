package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.GroupSettings;
import p3.transport.GroupSpec;

/** The 1.1 forms of cell groups: joins, offers and leaves that never wait, over real sockets on loopback. */
class AsyncCellGroupsTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final long BOUND_S = BOUND.toSeconds();

    private final List<CellGroup> started = new ArrayList<>();
    private JGroupsCellGroups groups;
    private final String cluster = "p3.test." + UUID.randomUUID() + ".cell.01";
    private final InetSocketAddress multicast = new InetSocketAddress("228.1.2.4", FreePorts.udp(1));

    @AfterEach
    void stop() {
        for (CellGroup g : started) {
            g.crash(); // quickest; a group already gone ignores it
        }
        if (groups != null) {
            groups.close();
        }
    }

    static final class Member implements CellGroupListener {
        final List<CellView> views = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onView(CellView view) {
            views.add(view);
        }

        @Override
        public void onMessage(String from, byte[] payload) {
            messages.add(from + ":" + new String(payload));
        }

        List<String> members() {
            return views.isEmpty() ? List.of() : views.get(views.size() - 1).members();
        }

        List<String> from(String sender, String prefix) {
            return messages.stream().filter(m -> m.startsWith(sender + ":" + prefix)).toList();
        }
    }

    private JGroupsCellGroups groups(GroupSettings.Stack stack) {
        GroupSettings s = GroupSettings.defaults().withFailureDetection(100, 500, 100);
        if (stack == GroupSettings.Stack.TCP) {
            int port = FreePorts.tcp(6);
            s = s.withTcp(port, 6, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
        groups = new JGroupsCellGroups(s.withStack(stack));
        return groups;
    }

    private CellGroup join(String member, Member listener) throws Exception {
        CellGroup g = groups.joinAsync(new GroupSpec(cluster, member, multicast), listener).toCompletableFuture()
                .get(BOUND_S, TimeUnit.SECONDS);
        started.add(g);
        return g;
    }

    /** Three members in one view, each seen by all. */
    private List<CellGroup> three(Member m1, Member m2, Member m3) throws Exception {
        List<CellGroup> g = List.of(join("sp-1", m1), join("sp-2", m2), join("sp-3", m3));
        await().atMost(BOUND).until(() -> m1.members().size() == 3 && m2.members().size() == 3
                && m3.members().size() == 3);
        return g;
    }

    private static List<String> numbered(String sender, String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sender + ":" + prefix + i);
        }
        return out;
    }

    /*
     * JGroups orders a sender's multicasts (NAKACK2) and its unicasts (UNICAST3) each in itself, not
     * the two against each other at the receiver: the one queue keeps the order in which both kinds
     * are handed to the group, which each kind's order shows here.
     */
    @ParameterizedTest
    @EnumSource(value = GroupSettings.Stack.class, names = { "UDP", "TCP" })
    void offersArriveInOrderAndOnlyAtTheOthers(GroupSettings.Stack stack) throws Exception {
        groups(stack);
        Member m1 = new Member();
        Member m2 = new Member();
        Member m3 = new Member();
        CellGroup g1 = three(m1, m2, m3).get(0);
        int n = 500;
        for (int i = 0; i < n; i++) {
            assertThat(g1.offer(("all" + i).getBytes())).isTrue();
            assertThat(g1.offer("sp-2", ("two" + i).getBytes())).isTrue();
        }
        await().atMost(BOUND).until(() -> m2.messages.size() == 2 * n && m3.messages.size() == n);
        assertThat(m2.from("sp-1", "all")).containsExactlyElementsOf(numbered("sp-1", "all", n));
        assertThat(m2.from("sp-1", "two")).containsExactlyElementsOf(numbered("sp-1", "two", n));
        assertThat(m3.messages).containsExactlyElementsOf(numbered("sp-1", "all", n));
        assertThat(m1.messages).as("own offers are not delivered back").isEmpty();
        assertThat(g1.refused()).isZero();
    }

    @Test
    void anOfferToANonMemberIsRefusedAndCounted() throws Exception {
        groups(GroupSettings.Stack.UDP);
        Member m1 = new Member();
        CellGroup g1 = join("sp-1", m1);
        assertThat(g1.offer("sp-9", new byte[1])).isFalse();
        assertThat(g1.refused()).isEqualTo(1);
    }

    @Test
    void anOfferOverTheQueueBoundIsRefused() throws Exception {
        groups(GroupSettings.Stack.UDP);
        CellGroup g1 = join("sp-1", new Member());
        assertThat(g1.offer(new byte[(int) JGroupsCellGroup.MAX_QUEUED_BYTES + 1])).isFalse();
        assertThat(g1.refused()).isEqualTo(1);
        assertThat(g1.offer(new byte[16])).as("the refused one took no room").isTrue();
    }

    /*
     * The transport promises the order of hand-over: every offer queued before the leave is handed to
     * the channel before it closes (a send on a closed channel fails, and would count as refused).
     * JGroups does not promise that they reach the others: its per-destination bundler lets the
     * leave request (an OOB unicast to the coordinator) overtake multicasts still queued, and the
     * view without the leaver drops what was not delivered yet; without FLUSH, which our stack does
     * not have, nothing waits for them. Seen here: 92 and 99 of 200 delivered, in one of eight runs.
     */
    @Test
    void offersQueuedBeforeALeaveGoFirstAndOffersAfterAreRefused() throws Exception {
        groups(GroupSettings.Stack.UDP);
        Member m1 = new Member();
        Member m2 = new Member();
        Member m3 = new Member();
        List<CellGroup> g = three(m1, m2, m3);
        CellGroup leaver = g.get(1);
        int n = 200;
        for (int i = 0; i < n; i++) {
            assertThat(leaver.offer(("bye" + i).getBytes())).isTrue();
        }
        CompletableFuture<Void> left = leaver.leaveAsync().toCompletableFuture();
        assertThat(leaver.offer("late".getBytes())).isFalse();
        assertThat(leaver.offer("sp-1", "late".getBytes())).isFalse();
        left.get(BOUND_S, TimeUnit.SECONDS);
        assertThat(leaver.refused()).as("only the late offers: the queued ones were all handed over").isEqualTo(2);
        await().atMost(BOUND).until(() -> m1.members().equals(List.of("sp-1", "sp-3"))
                && m3.members().equals(List.of("sp-1", "sp-3")));
        assertThat(m1.views.get(m1.views.size() - 1).left()).containsExactly("sp-2");
        assertThat(leaver.leaveAsync().toCompletableFuture().isDone()).as("a second leave is the first one").isTrue();
    }

    @Test
    void offersAfterACrashAreRefusedAndCounted() throws Exception {
        groups(GroupSettings.Stack.UDP);
        Member m1 = new Member();
        Member m2 = new Member();
        CellGroup g1 = join("sp-1", m1);
        CellGroup g2 = join("sp-2", m2);
        await().atMost(BOUND).until(() -> m1.members().size() == 2);
        g2.crash();
        assertThat(g2.offer("late".getBytes())).isFalse();
        assertThat(g2.offer("sp-1", "late".getBytes())).isFalse();
        assertThat(g2.refused()).isEqualTo(2);
        assertThat(g2.leaveAsync().toCompletableFuture().isDone()).as("a crashed member has nothing to leave").isTrue();
        await().atMost(BOUND).until(() -> m1.members().equals(List.of("sp-1")));
        assertThat(m1.messages).isEmpty();
        assertThat(g1.refused()).isZero();
    }

    @Test
    void joinAsyncCompletesWithAGroupInAView() throws Exception {
        groups(GroupSettings.Stack.UDP);
        Member m1 = new Member();
        CompletableFuture<Thread> joiningThread = new CompletableFuture<>();
        CellGroupListener listener = new CellGroupListener() {
            @Override
            public void onView(CellView view) {
                joiningThread.complete(Thread.currentThread());
                m1.onView(view);
            }

            @Override
            public void onMessage(String from, byte[] payload) {
                m1.onMessage(from, payload);
            }
        };
        CellGroup g1 = groups.joinAsync(new GroupSpec(cluster, "sp-1", multicast), listener).toCompletableFuture()
                .get(BOUND_S, TimeUnit.SECONDS);
        started.add(g1);
        assertThat(g1.localMember()).isEqualTo("sp-1");
        assertThat(g1.members()).containsExactly("sp-1");
        // a founder's first view is installed by its own connect, on the join pool
        assertThat(joiningThread.getNow(null).getName()).startsWith("p3-group-join-");
    }

    @Test
    void twoJoinAsyncAtOnceBothJoin() throws Exception {
        groups(GroupSettings.Stack.UDP);
        Member m1 = new Member();
        Member m2 = new Member();
        CompletableFuture<CellGroup> a = groups.joinAsync(new GroupSpec(cluster, "sp-1", multicast), m1)
                .toCompletableFuture();
        CompletableFuture<CellGroup> b = groups.joinAsync(new GroupSpec(cluster, "sp-2", multicast), m2)
                .toCompletableFuture();
        started.add(a.get(BOUND_S, TimeUnit.SECONDS));
        started.add(b.get(BOUND_S, TimeUnit.SECONDS));
        await().atMost(BOUND).until(() -> m1.members().size() == 2 && m2.members().size() == 2);
        assertThat(m1.members()).containsExactlyInAnyOrder("sp-1", "sp-2");
        assertThat(m2.members()).isEqualTo(m1.members());
    }

    @Test
    void aJoinAfterCloseFailsAndTheBlockingFormsStillWork() throws Exception {
        groups(GroupSettings.Stack.UDP);
        Member m1 = new Member();
        Member m2 = new Member();
        CellGroup g1 = groups.join(new GroupSpec(cluster, "sp-1", multicast), m1);
        started.add(g1);
        CellGroup g2 = join("sp-2", m2);
        await().atMost(BOUND).until(() -> m1.members().size() == 2);
        g2.leave(); // the blocking form waits for the same leave
        await().atMost(BOUND).until(() -> m1.members().equals(List.of("sp-1")));
        groups.close();
        assertThat(g1.offer(new byte[1])).as("close left the groups").isFalse();
        CompletableFuture<CellGroup> late = groups
                .joinAsync(new GroupSpec(cluster, "sp-3", multicast), new Member()).toCompletableFuture();
        assertThat(late).failsWithin(BOUND).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("closed");
    }
}
