package p3.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import p3.transport.CellGroups;
import p3.transport.Discovery;
import p3.transport.Links;

/** The P3 bundles resolve and start in Felix, and their components are active. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeTest {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    Links links;

    @Inject
    CellGroups groups;

    @Inject
    Discovery discovery;

    @Configuration
    public Option[] config() {
        return new Option[] { P3Options.runtime() };
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null) {
                notActive.add(b.getSymbolicName() + " in state " + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
    }

    @Test
    public void transportComponentsAreActive() {
        Bundle transport = Probes.bundle(context, "p3.transport");
        assertNotNull("p3.transport is installed", transport);
        List<String> seen = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(transport)) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                assertEquals(d.name + " is active", ComponentConfigurationDTO.ACTIVE, c.state);
            }
            seen.add(d.name);
        }
        assertTrue(seen.toString(), seen.contains("p3.transport.internal.NettyLinks"));
        assertTrue(seen.toString(), seen.contains("p3.transport.internal.JGroupsCellGroups"));
        assertTrue(seen.toString(), seen.contains("p3.transport.internal.UdpDiscovery"));
        assertEquals("udp", groups.stack());
    }

    @Test
    public void noOtherBundleSeesNettyOrJGroupsThroughTransport() {
        String exports = Probes.bundle(context, "p3.transport").getHeaders().get("Export-Package");
        assertTrue(exports, exports.startsWith("p3.transport;"));
        assertTrue(exports, !exports.contains("org.jgroups") && !exports.contains("internal"));
    }

}
