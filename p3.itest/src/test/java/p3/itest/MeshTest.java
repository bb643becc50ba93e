package p3.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import org.osgi.service.cm.ConfigurationAdmin;

import p3.mesh.ClassStats;
import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.transport.PortRuns;

/** A small mesh made of factory configurations in one Felix framework, seen from the Gogo shell. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class MeshTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    CommandProcessor shell;

    private final List<org.osgi.service.cm.Configuration> made = new ArrayList<>();
    private final String mesh = "itest" + UUID.randomUUID().toString().substring(0, 8);
    private int discoveryPort;
    private int membershipPort;

    @Configuration
    public Option[] config() {
        return new Option[] { P3Options.runtime() };
    }

    @After
    public void removePeers() throws Exception {
        for (org.osgi.service.cm.Configuration c : made) {
            c.delete();
        }
    }

    @Test
    public void aMeshOfFactoryConfigurationsShowsItsTreeInTheShell() throws Exception {
        discoveryPort = PortRuns.freeUdp(3);
        membershipPort = PortRuns.freeUdp(3);
        // depth 1: cells 0, 01, 02; one peer at a time, so that exactly one founds the root
        for (String id : List.of("sp1", "sp2", "sp3", "sp4")) {
            peer(id, "super");
        }
        peer("sensor1", "sensor");
        peer("client", "client");

        String tree = execute("p3:tree");
        assertTrue(tree, tree.contains("(6 peers)"));
        for (String id : List.of("sp1", "sp2", "sp3", "sp4", "sensor1", "client")) {
            assertTrue(id + " in\n" + tree, tree.contains(id));
        }
        String peers = execute("p3:peers");
        assertTrue(peers, peers.contains("sensor1") && peers.contains("BOUND"));

        // a crash from the shell: the sensor's parent goes, the sensor is bound again
        String parent = peerService("sensor1").parents().get(0);
        execute("p3:crash " + parent);
        await().atMost(BOUND).until(() -> peerService("sensor1").state() == PeerState.BOUND
                && !peerService("sensor1").parents().isEmpty()
                && !peerService("sensor1").parents().get(0).equals(parent));
        String failures = execute("p3:failures sensor1");
        assertTrue(failures, failures.contains("rebind FAST"));
    }

    @Test
    public void unloadingVideoStopsVideoAloneAndLoadingItResumesItAndBothAreAudited() throws Exception {
        discoveryPort = PortRuns.freeUdp(3);
        membershipPort = PortRuns.freeUdp(3);
        for (String id : List.of("sp1", "sp2", "sp3", "sp4")) {
            peer(id, "super");
        }
        peer("sensor1", "sensor");
        peer("sensor2", "sensor");
        peer("client", "client");
        MeshPeer client = peerService("client");
        Qos qos = new Qos(false, Duration.ofMillis(100));
        for (String cls : List.of("audio", "video", "event")) {
            client.requestAll(cls, qos);
        }
        await().atMost(BOUND).until(() -> Probes.received(client, "audio") > 20 && Probes.received(client, "video") > 20
                && Probes.received(client, "event") > 10);

        Bundle video = Probes.bundle(context, "p3.service.video");
        String unloaded = execute("p3:unload video");
        assertTrue(unloaded, unloaded.contains("video unloaded") && video.getState() != Bundle.ACTIVE);
        long videoStopped = Probes.received(client, "video");
        long audioThen = Probes.received(client, "audio");
        long eventThen = Probes.received(client, "event");
        await().atMost(BOUND).until(() -> Probes.received(client, "audio") > audioThen + 2 * 38
                && Probes.received(client, "event") > eventThen + 2 * 10);
        assertEquals("no video while its bundle is stopped", videoStopped, Probes.received(client, "video"));
        assertTrue(peerService("sensor1").links().stream().noneMatch(l -> l.contains(" video ")));

        execute("p3:load video");
        String audit = java.nio.file.Files.readString(java.nio.file.Path.of(P3Options.target("itest-audit.log")));
        assertTrue(audit, audit.contains("\"what\":\"unload video\",\"outcome\":\"ok\"")
                && audit.contains("\"what\":\"load video\",\"outcome\":\"ok\"") && audit.contains("\"who\":\"shell (user "));
        await().atMost(BOUND).until(() -> Probes.received(client, "video") > videoStopped + 2 * 24);
        for (String cls : List.of("audio", "event")) {
            ClassStats c = Probes.stats(client, cls);
            assertEquals(cls + " lost nothing: " + c, 0, c.lost());
            assertEquals(cls + " no duplicates", 0, c.duplicates());
        }
    }

    private void peer(String id, String role) throws Exception {
        made.add(Probes.startPeer(configAdmin, context, Map.of("peerId", id, "role", role, "mesh", mesh, "depth", 1,
                "discoveryPort", discoveryPort, "membershipPort", membershipPort), BOUND));
    }

    private MeshPeer peerService(String id) throws Exception {
        return Probes.peer(context, id);
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
