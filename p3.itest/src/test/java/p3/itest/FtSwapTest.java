package p3.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import p3.mesh.ClassStats;
import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.spi.TrafficService;
import p3.transport.PortRuns;

/**
 * The report's mesh (14 super-peers, 8 sensors, 1 client) with every class fault-tolerant and
 * sensor memory on: the FT strategy is swapped active, passive, hybrid and back to active on every
 * super-peer while all classes stream, with a super-peer crash in between; the active bundle is
 * stopped and started under load; and in the end every FT message the sensors sent reached the
 * client exactly once.
 *
 * <p>The sensors send at half of Table I's rates. This test is about swapping strategies, not about
 * capacity (the bench's): at the full rates the 23 peers of this one JVM need about a core in a cold
 * JVM, and on a CI machine with two cores, busy compiling, the mesh fell behind and a level-1 crash
 * was not repaired within the test's bounds (links to the taker-over did not open in 8 s).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FtSwapTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final List<String> CLASSES = List.of("audio", "video", "event");
    private static final int SUPERS = 14;
    private static final int SENSORS = 8;
    /** Frames of each class that must arrive between two steps: about a second of the mesh's traffic at {@link #RATES}. */
    private static final long FLOWING = 100;

    /** Half of Table I's rates: video, audio, events (see the class comment). */
    private static final Map<String, Double> RATES = Map.of("p3.service.video", 12.0, "p3.service.audio", 19.0,
            "p3.service.event", 12.5);

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    CommandProcessor shell;

    private final List<org.osgi.service.cm.Configuration> made = new ArrayList<>();
    private final String mesh = "ftswap" + UUID.randomUUID().toString().substring(0, 8);
    private int discoveryPort;
    private int membershipPort;

    @Configuration
    public Option[] config() {
        return new Option[] { P3Options.runtime() };
    }

    @After
    public void removePeers() throws Exception {
        Bundle active = Probes.bundle(context, "p3.ft.active");
        if (active.getState() != Bundle.ACTIVE) {
            active.start();
        }
        // the client and the sensors first, then the super-peers from the leaves up: nobody rejoins on the way
        for (int i = made.size() - 1; i >= 0; i--) {
            made.get(i).delete();
        }
        for (String pid : RATES.keySet()) {
            configAdmin.getConfiguration(pid, "?").delete();
        }
    }

    @Test
    public void swappingStrategiesUnderLoadWithACrashDeliversEveryFtMessageOnce() throws Exception {
        halfRates();
        discoveryPort = PortRuns.freeUdp(7);
        membershipPort = PortRuns.freeUdp(7);
        List<String> supers = new ArrayList<>();
        for (int i = 1; i <= SUPERS; i++) {
            supers.add(String.format("sp%02d", i));
        }
        // one peer at a time, so that exactly one super-peer founds the root
        for (String id : supers) {
            peer(id, "super");
        }
        List<String> sensors = new ArrayList<>();
        for (int i = 1; i <= SENSORS; i++) {
            sensors.add("sensor" + i);
            peer("sensor" + i, "sensor");
        }
        MeshPeer client = peer("client", "client");
        assertTrue(execute("p3:ft"), execute("p3:ft").contains("strategies here: active, hybrid, passive"));
        awaitStrategy(supers, "active");

        for (String cls : CLASSES) {
            client.requestAll(cls, new Qos(true, deadline(cls)));
        }
        await().atMost(BOUND).until(() -> CLASSES.stream().allMatch(c -> Probes.received(client, c) >= 2 * FLOWING));

        // active -> passive, on each super-peer
        useOnEach(supers, "passive");
        awaitFlowing(client);

        // a crash on sensor1's path, at level 1, while passive: its cell-mate takes over from the
        // last checkpoint, the level-2 peers below rebind and send again what they hold
        // sensor1 may be rebinding just now (a busy machine closes a link as idle): its parent once it has one
        MeshPeer sensor1 = peerService("sensor1");
        String parent = await().atMost(BOUND)
                .until(() -> sensor1.state() == PeerState.BOUND ? sensor1.parents() : List.<String>of(), p -> !p.isEmpty())
                .get(0);
        MeshPeer level2 = peerService(parent);
        String victim = level2.parents().get(0);
        List<MeshPeer> orphans = new ArrayList<>();
        for (String id : supers) {
            if (peerService(id).parents().contains(victim)) {
                orphans.add(peerService(id));
            }
        }
        assertTrue(victim + " has children", !orphans.isEmpty());
        peerService(victim).crash();
        await().atMost(BOUND).until(() -> orphans.stream().allMatch(p -> p.state() == PeerState.BOUND
                && !p.parents().isEmpty() && !p.parents().contains(victim)));
        awaitFlowing(client);
        awaitStrategy(supers, "passive");

        // passive -> hybrid, once through the shell: the order travels the tree
        String told = execute("p3:ft --mesh hybrid");
        assertTrue(told, told.contains("every peer of the mesh told to use hybrid"));
        awaitStrategy(supers, "hybrid");
        awaitFlowing(client);

        // hybrid -> active, on each super-peer
        useOnEach(supers, "active");
        awaitFlowing(client);

        // the active bundle stops while in use: the next of the fallback order stands in, then it comes back
        Bundle active = Probes.bundle(context, "p3.ft.active");
        active.stop();
        awaitStrategy(supers, "hybrid");
        awaitFlowing(client);
        active.start();
        awaitStrategy(supers, "active");
        awaitFlowing(client);

        // the end: the sources stop and report their final counts; every frame sent arrives, once
        for (String id : sensors) {
            peerService(id).stopSources();
        }
        // received counts distinct frames: duplicates from resends and takeovers are counted apart
        await().atMost(BOUND).during(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String cls : CLASSES) {
                ClassStats c = Probes.stats(client, cls);
                assertTrue(cls + " was sent: " + c, c != null && c.sent() > 0);
                assertEquals(cls + ": every FT message delivered exactly once: " + c, c.sent(), c.received());
                assertEquals(cls + " lost nothing: " + c, 0, c.lost());
                assertEquals(cls + " nothing damaged: " + c, 0, c.corrupt());
            }
        });
        // every acknowledgement came back down: nothing is held any more on a live peer
        List<String> all = new ArrayList<>(supers);
        all.addAll(sensors);
        await().atMost(BOUND).untilAsserted(() -> {
            for (String id : all) {
                MeshPeer p = peerService(id);
                if (p.state() != PeerState.CRASHED) {
                    assertEquals(id + " holds nothing: " + p.ft(), 0, p.ft().held());
                }
            }
        });
    }

    /** The traffic services at {@link #RATES}, before any sensor starts. */
    private void halfRates() throws Exception {
        for (Map.Entry<String, Double> r : RATES.entrySet()) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("rate", r.getValue());
            configAdmin.getConfiguration(r.getKey(), "?").update(p);
        }
        await().atMost(BOUND).until(() -> {
            int atRate = 0;
            for (ServiceReference<TrafficService> ref : context.getServiceReferences(TrafficService.class, null)) {
                TrafficService s = context.getService(ref);
                try {
                    Double rate = RATES.get("p3.service." + s.trafficClass());
                    if (rate != null && s.profile().ratePerSecond() == rate) {
                        atRate++;
                    }
                } finally {
                    context.ungetService(ref);
                }
            }
            return atRate == RATES.size();
        });
    }

    /** Tells each super-peer to prefer a strategy, and awaits it in use on every live one. */
    private void useOnEach(List<String> supers, String name) throws Exception {
        for (String id : supers) {
            MeshPeer p = peerService(id);
            if (p.state() != PeerState.CRASHED) {
                p.useFtStrategy(name);
            }
        }
        awaitStrategy(supers, name);
    }

    private void awaitStrategy(List<String> supers, String name) throws Exception {
        await().atMost(BOUND).until(() -> {
            for (String id : supers) {
                MeshPeer p = peerService(id);
                if (p.state() != PeerState.CRASHED && !name.equals(p.ft().strategy())) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every class goes on arriving. */
    private static void awaitFlowing(MeshPeer client) {
        Map<String, Long> before = new HashMap<>();
        for (String cls : CLASSES) {
            before.put(cls, Probes.received(client, cls));
        }
        await().atMost(BOUND).until(() -> CLASSES.stream().allMatch(c -> Probes.received(client, c) >= before.get(c) + FLOWING));
    }

    private Duration deadline(String cls) throws Exception {
        for (ServiceReference<TrafficService> ref : context.getServiceReferences(TrafficService.class, null)) {
            TrafficService s = context.getService(ref);
            try {
                if (s.trafficClass().equals(cls)) {
                    return s.profile().qos().deadline();
                }
            } finally {
                context.ungetService(ref);
            }
        }
        throw new AssertionError("no traffic service for " + cls);
    }

    private MeshPeer peer(String id, String role) throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration("p3.mesh.peer", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("peerId", id);
        p.put("role", role);
        p.put("mesh", mesh);
        p.put("discoveryPort", discoveryPort);
        p.put("membershipPort", membershipPort);
        p.put("ftStrategy", "active"); // the swaps start from the report's strategy
        c.update(p);
        made.add(c);
        return await().atMost(BOUND).until(() -> peerService(id), peer -> peer != null && peer.state() == PeerState.BOUND);
    }

    private MeshPeer peerService(String id) throws Exception {
        for (ServiceReference<MeshPeer> ref : context.getServiceReferences(MeshPeer.class, "(peerId=" + id + ")")) {
            return context.getService(ref);
        }
        return null;
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = shell.createSession(System.in, print, print);
        try {
            Object result = await().atMost(BOUND).ignoreExceptions().until(() -> session.execute(command),
                    r -> true);
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : session.format(result, 0));
        } finally {
            session.close();
        }
    }
}
