package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.protocols.FD_SOCK2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import p3.transport.CellGroup;
import p3.transport.GroupSettings;
import p3.transport.GroupSpec;

/**
 * A member whose sockets close is out of the others' view at once, not after the verification of
 * the suspicion nor after failure detection's silence; a live member that is suspected stays. The
 * verification here takes 3 s and silence 4 s, so that only the proof of a closed stack can explain
 * a quick view: a few ms after FD_SOCK2 sees the connection close. (With silence at 1 s, about one
 * crash in eight used to take that second: the crashing stack still answered the verification after
 * its FD_SOCK2 had closed, and the suspicion was dropped; see JGroupsCellGroup.crash.)
 */
class CrashDetectionTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int VERIFY_MS = 3000;
    private static final int SILENCE_MS = 4000;
    /** Well below the verification's 3 s; a quick view takes a few ms on an idle machine. */
    private static final long QUICK_MS = 1500;

    private final List<CellGroup> started = new ArrayList<>();
    private JGroupsCellGroups groups;

    @AfterEach
    void stop() {
        for (CellGroup g : started) {
            g.crash(); // quickest; a crashed or left group ignores it
        }
        if (groups != null) {
            groups.close();
        }
    }

    private JGroupsCellGroups groups(GroupSettings.Stack stack) {
        GroupSettings s = GroupSettings.defaults().withFailureDetection(200, SILENCE_MS, VERIFY_MS);
        if (stack == GroupSettings.Stack.TCP) {
            int port = FreePorts.tcp(6);
            s = s.withTcp(port, 6, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
        groups = new JGroupsCellGroups(s.withStack(stack));
        return groups;
    }

    private List<CellGroupsTest.Member> cellOfThree(GroupSettings.Stack stack) throws Exception {
        return cell(stack, false, 3);
    }

    private List<CellGroupsTest.Member> cell(GroupSettings.Stack stack, boolean secure, int size) throws Exception {
        JGroupsCellGroups g = groups(stack);
        String cluster = "p3.test." + UUID.randomUUID() + ".cell.01";
        InetSocketAddress multicast = new InetSocketAddress("228.1.2.2", FreePorts.udp(1));
        List<CellGroupsTest.Member> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            CellGroupsTest.Member m = new CellGroupsTest.Member();
            String name = "sp-" + i;
            started.add(g.join(new GroupSpec(cluster, name, multicast, secure ? SecureCellGroupsTest.credentials(name) : null),
                    m));
            members.add(m);
        }
        await().atMost(BOUND).until(() -> members.stream().allMatch(m -> m.members().size() == size));
        // each member watches its neighbour once the view is in: a crash before that is found by silence only
        await().atMost(BOUND).until(() -> started.stream().allMatch(CrashDetectionTest::watching));
        return members;
    }

    private static boolean watching(CellGroup g) {
        FD_SOCK2 fd = ((JGroupsCellGroup) g).channel().getProtocolStack().findProtocol(FD_SOCK2.class);
        return "CONNECTED".equals(fd.getClientState());
    }

    @ParameterizedTest
    @EnumSource(value = GroupSettings.Stack.class, names = { "UDP", "TCP" })
    void aCrashedMemberIsOutOfTheViewAtOnce(GroupSettings.Stack stack) throws Exception {
        List<CellGroupsTest.Member> m = cellOfThree(stack);
        long start = System.nanoTime();
        started.get(1).crash();
        await().atMost(BOUND).until(() -> m.get(0).members().equals(List.of("sp-1", "sp-3"))
                && m.get(2).members().equals(List.of("sp-1", "sp-3")));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(QUICK_MS);
    }

    @ParameterizedTest
    @EnumSource(value = GroupSettings.Stack.class, names = { "UDP", "TCP" })
    void aCrashedCoordinatorIsOutOfTheViewAtOnce(GroupSettings.Stack stack) throws Exception {
        List<CellGroupsTest.Member> m = cellOfThree(stack);
        long start = System.nanoTime();
        started.get(0).crash();
        await().atMost(BOUND).until(() -> m.get(1).members().equals(List.of("sp-2", "sp-3"))
                && m.get(2).members().equals(List.of("sp-2", "sp-3")));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(QUICK_MS);
    }

    /**
     * The coordinator's crash and a member's, in cells of two and three, secured or not: with the
     * secure stacks the new view also waits for a new group key (the key server changed or a member
     * left), which the others fetch over TLS before they can read the view.
     */
    @ParameterizedTest(name = "{0} stack, secure {1}, {2} members, {3} crashes")
    @CsvSource({ "UDP, false, 2, coordinator", "UDP, false, 2, member", "TCP, false, 2, coordinator",
            "TCP, false, 2, member", "UDP, true, 3, coordinator", "UDP, true, 3, member", "TCP, true, 3, coordinator",
            "TCP, true, 2, member" })
    void theSurvivorsGetTheViewAtOnce(GroupSettings.Stack stack, boolean secure, int size, String victim)
            throws Exception {
        List<CellGroupsTest.Member> m = cell(stack, secure, size);
        int crashed = victim.equals("coordinator") ? 0 : size - 1;
        List<String> rest = new ArrayList<>(m.get(0).members());
        rest.remove(crashed);
        List<CellGroupsTest.Member> survivors = new ArrayList<>(m);
        survivors.remove(crashed);
        long start = System.nanoTime();
        started.get(crashed).crash();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(5))
                .until(() -> survivors.stream().allMatch(s -> s.members().equals(rest)));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(QUICK_MS);
    }

    @Test
    void aLiveMemberSuspectedStays() throws Exception {
        List<CellGroupsTest.Member> m = cellOfThree(GroupSettings.Stack.UDP);
        JGroupsCellGroup coordinator = (JGroupsCellGroup) started.get(0);
        VerifySuspect verify = coordinator.channel().getProtocolStack().findProtocol(VerifySuspect.class);
        Address live = ((JGroupsCellGroup) started.get(1)).channel().getAddress();
        verify.up(new Event(Event.SUSPECT, List.of(live)));
        // the probes find its failure-detection server listening: no proof, so the verification decides,
        // and the member answers it
        await().atMost(BOUND).until(() -> verify.unproven() == 1);
        assertThat(verify.proven()).isZero();
        assertThat(m.get(0).members()).containsExactly("sp-1", "sp-2", "sp-3");
    }
}
