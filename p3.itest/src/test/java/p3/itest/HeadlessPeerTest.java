package p3.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

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

import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.transport.PortRuns;

/**
 * p3.mesh runs a peer in a plain Felix with SCR and Config Admin alone: no Gogo, no shell commands,
 * no strategy or traffic bundle. A root super-peer and a client bind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HeadlessPeerTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    private final List<org.osgi.service.cm.Configuration> made = new ArrayList<>();
    private final String mesh = "headless" + UUID.randomUUID().toString().substring(0, 8);

    @Configuration
    public Option[] config() {
        return new Option[] { P3Options.headless() };
    }

    @After
    public void removePeers() throws Exception {
        for (org.osgi.service.cm.Configuration c : made) {
            c.delete();
        }
    }

    @Test
    public void aPeerRunsWithoutGogo() throws Exception {
        for (Bundle b : context.getBundles()) {
            assertFalse("no Gogo here: " + b.getSymbolicName(), b.getSymbolicName().startsWith("org.apache.felix.gogo"));
        }
        Bundle meshBundle = Probes.bundle(context, "p3.mesh");
        assertNotNull(meshBundle);
        assertEquals("p3.mesh is active", Bundle.ACTIVE, meshBundle.getState());
        String imports = meshBundle.getHeaders().get("Import-Package");
        assertFalse("p3.mesh imports no Gogo package: " + imports, imports.contains("org.apache.felix.service.command"));
        assertFalse("p3.mesh imports nothing of Config Admin: " + imports, imports.contains("org.osgi.service.cm"));

        int discovery = PortRuns.freeUdp(3);
        int membership = PortRuns.freeUdp(3);
        peer("root", "super", discovery, membership);
        peer("client", "client", discovery, membership);
        assertEquals(List.of("root"), peerService("client").parents());
    }

    private void peer(String id, String role, int discovery, int membership) throws Exception {
        made.add(Probes.startPeer(configAdmin, context, Map.of("peerId", id, "role", role, "mesh", mesh, "depth", 1,
                "discoveryPort", discovery, "membershipPort", membership), BOUND));
    }

    private MeshPeer peerService(String id) throws Exception {
        return Probes.peer(context, id);
    }
}
