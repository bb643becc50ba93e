package p3.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellGroups;
import p3.transport.CellView;
import p3.transport.Frame;
import p3.transport.GroupSpec;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.Links;
import p3.transport.PortRuns;
import p3.transport.TrafficClass;

/** The transport services, used as another bundle would: through the service registry only. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TransportTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @Inject
    BundleContext context;

    @Inject
    Links links;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return new Option[] { P3Options.runtime() };
    }

    @Test
    public void twoLinksExchangeFramesOfEveryClassOnSeparateConnections() throws Exception {
        Map<TrafficClass, Link> acceptedByClass = new ConcurrentHashMap<>();
        List<Frame> atParent = new CopyOnWriteArrayList<>();
        List<Frame> atChild = new CopyOnWriteArrayList<>();
        LinkHandler parent = new LinkHandler() {
            @Override
            public void onOpen(Link link) {
                acceptedByClass.put(link.trafficClass(), link);
            }

            @Override
            public void onFrame(Link link, Frame frame) {
                atParent.add(frame.copy());
                link.send(Frame.data(frame.trafficClass(), "sp-a", "01", frame.sourcePeer(), frame.sourceCell(),
                        frame.sequence(), frame.payload()));
            }
        };
        LinkHandler child = (link, frame) -> atChild.add(frame.copy());
        try (LinkServer server = links.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "sp-a",
                parent)) {
            for (TrafficClass cls : TrafficClass.values()) {
                Link link = links.connect(server.address(), "sensor-1", cls, child).toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                assertEquals("sp-a", link.remotePeer());
                for (int i = 0; i < 10; i++) {
                    assertTrue(link.send(Frame.data(cls, "sensor-1", "011", "sp-a", "01", i, new byte[418])));
                }
            }
            int expected = 10 * TrafficClass.values().length;
            await().atMost(BOUND).until(() -> atParent.size() == expected && atChild.size() == expected);
            Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
            for (Map.Entry<TrafficClass, Link> e : acceptedByClass.entrySet()) {
                connections.add(e.getValue().remoteAddress());
            }
            assertEquals("one connection per class", TrafficClass.values().length, connections.size());
            for (TrafficClass cls : TrafficClass.values()) {
                assertEquals(10, atChild.stream().filter(f -> f.trafficClass() == cls).count());
            }
        }
    }

    @Test
    public void aCrashedCellMateIsReportedWithinTheConfiguredDetectionTime() throws Exception {
        int failureTimeoutMs = 600;
        int verifySuspectMs = 100;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("failureTimeoutMs", failureTimeoutMs);
        props.put("heartbeatMs", 100);
        props.put("verifySuspectMs", verifySuspectMs);
        configAdmin.getConfiguration("p3.transport.groups", "?").update(props);
        CellGroups groups = awaitService(CellGroups.class, "(failureTimeoutMs=" + failureTimeoutMs + ")");

        String cluster = "p3.itest." + UUID.randomUUID() + ".cell.01";
        InetSocketAddress mcast = new InetSocketAddress("228.1.2.2", PortRuns.freeUdp(1));
        Member one = new Member();
        Member two = new Member();
        CellGroup g1 = groups.join(new GroupSpec(cluster, "sp-1", mcast), one);
        CellGroup g2 = groups.join(new GroupSpec(cluster, "sp-2", mcast), two);
        try {
            await().atMost(BOUND).until(() -> one.members().size() == 2 && two.members().size() == 2);
            assertEquals(one.members(), two.members());

            long start = System.nanoTime();
            g2.crash();
            await().atMost(BOUND).until(() -> one.members().equals(List.of("sp-1")));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("view without the crashed member after " + tookMs + " ms",
                    tookMs <= failureTimeoutMs + verifySuspectMs);
        } finally {
            g1.leave();
        }
    }

    private <T> T awaitService(Class<T> type, String filter) throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(getClass()).getBundleContext();
        ServiceTracker<T, T> tracker = new ServiceTracker<>(ctx,
                ctx.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
        tracker.open();
        try {
            T service = tracker.waitForService(BOUND.toMillis());
            if (service == null) {
                throw new AssertionError("no " + type.getSimpleName() + " service matching " + filter);
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    static final class Member implements CellGroupListener {
        private volatile List<String> members = List.of();

        @Override
        public void onView(CellView view) {
            members = view.members();
        }

        @Override
        public void onMessage(String from, byte[] payload) {
        }

        List<String> members() {
            return members;
        }
    }
}
