package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.GroupSettings;
import p3.transport.GroupSpec;
import p3.transport.TransportException;

/** Cell groups of two and three members on each stack, over real sockets where the stack has them. */
class CellGroupsTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final List<CellGroup> started = new ArrayList<>();
    private final List<JGroupsCellGroups> services = new ArrayList<>();

    @AfterEach
    void stop() {
        for (CellGroup g : started) {
            try {
                g.leave();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        services.forEach(JGroupsCellGroups::close);
    }

    static final class Member implements CellGroupListener {
        final List<CellView> views = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> suspects = new CopyOnWriteArrayList<>();

        @Override
        public void onView(CellView view) {
            views.add(view);
        }

        @Override
        public void onMessage(String from, byte[] payload) {
            messages.add(from + ":" + new String(payload));
        }

        @Override
        public void onSuspect(String member) {
            suspects.add(member);
        }

        List<String> members() {
            return views.isEmpty() ? List.of() : views.get(views.size() - 1).members();
        }
    }

    private JGroupsCellGroups groups(GroupSettings.Stack stack) {
        GroupSettings s = GroupSettings.defaults().withFailureDetection(100, 500, 100);
        if (stack == GroupSettings.Stack.TCP) {
            int port = FreePorts.tcp(6);
            s = s.withTcp(port, 6, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
        JGroupsCellGroups groups = new JGroupsCellGroups(s.withStack(stack));
        services.add(groups);
        return groups;
    }

    private GroupSpec spec(String cluster, String member) {
        return new GroupSpec(cluster, member, new InetSocketAddress("228.1.2.2", FreePorts.udp(1)));
    }

    private CellGroup join(JGroupsCellGroups groups, GroupSpec spec, Member m) throws TransportException {
        CellGroup g = groups.join(spec, m);
        started.add(g);
        return g;
    }

    @ParameterizedTest
    @EnumSource(GroupSettings.Stack.class)
    void membersSeeOneViewAndACrashIsDetected(GroupSettings.Stack stack) throws Exception {
        JGroupsCellGroups groups = groups(stack);
        String cluster = "p3.test." + UUID.randomUUID() + ".cell.011";
        GroupSpec base = spec(cluster, "sp-1");
        Member m1 = new Member();
        Member m2 = new Member();
        Member m3 = new Member();
        CellGroup g1 = join(groups, base, m1);
        CellGroup g2 = join(groups, new GroupSpec(cluster, "sp-2", base.multicast()), m2);
        CellGroup g3 = join(groups, new GroupSpec(cluster, "sp-3", base.multicast()), m3);
        await().atMost(BOUND).until(() -> m1.members().size() == 3 && m2.members().size() == 3
                && m3.members().size() == 3);
        assertThat(m1.members()).containsExactly("sp-1", "sp-2", "sp-3");
        assertThat(m2.members()).isEqualTo(m1.members());
        assertThat(g3.members()).isEqualTo(m1.members());

        g1.send("hello cell".getBytes());
        g2.send("sp-3", "just you".getBytes());
        await().atMost(BOUND).until(() -> m3.messages.size() == 2 && m2.messages.size() == 1);
        assertThat(m3.messages).containsExactlyInAnyOrder("sp-1:hello cell", "sp-2:just you");
        assertThat(m1.messages).as("own messages are not delivered back").isEmpty();
        assertThatThrownBy(() -> g1.send("sp-9", new byte[1])).hasMessageContaining("sp-9 is not a member");

        // a crash: no goodbye, the others must find out
        long start = System.nanoTime();
        g2.crash();
        await().atMost(BOUND).until(() -> m1.members().equals(List.of("sp-1", "sp-3"))
                && m3.members().equals(List.of("sp-1", "sp-3")));
        long detectedMs = (System.nanoTime() - start) / 1_000_000;
        CellView last = m1.views.get(m1.views.size() - 1);
        assertThat(last.left()).containsExactly("sp-2");
        // failure timeout 500 ms, verification 100 ms: a view within a few seconds at most
        assertThat(detectedMs).isLessThan(5000);

        // a graceful leave is a new view at once
        g3.leave();
        await().atMost(BOUND).until(() -> m1.members().equals(List.of("sp-1")));
    }

    @ParameterizedTest
    @EnumSource(value = GroupSettings.Stack.class, names = { "UDP", "LOCAL" })
    void groupsOfOtherCellsDoNotMix(GroupSettings.Stack stack) throws Exception {
        JGroupsCellGroups groups = groups(stack);
        String mesh = "p3.test." + UUID.randomUUID();
        GroupSpec a = spec(mesh + ".cell.01", "sp-a");
        GroupSpec b = spec(mesh + ".cell.02", "sp-b");
        Member ma = new Member();
        Member mb = new Member();
        join(groups, a, ma);
        join(groups, b, mb);
        await().atMost(BOUND).until(() -> !ma.views.isEmpty() && !mb.views.isEmpty());
        assertThat(ma.members()).containsExactly("sp-a");
        assertThat(mb.members()).containsExactly("sp-b");
    }
}
