package p3.itest;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import p3.mesh.ClassStats;
import p3.mesh.MeshPeer;
import p3.mesh.PeerState;

/** What the integration tests read of a running framework and mesh. */
final class Probes {
    private Probes() {
    }

    static Bundle bundle(BundleContext context, String name) {
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(name + " is not installed");
    }

    /** A class's figures at a client, or null before its first frame. */
    static ClassStats stats(MeshPeer client, String cls) {
        for (ClassStats c : client.classStats()) {
            if (c.trafficClass().equals(cls)) {
                return c;
            }
        }
        return null;
    }

    /** A peer's service, or null while it has none. */
    static MeshPeer peer(BundleContext context, String id) throws InvalidSyntaxException {
        for (ServiceReference<MeshPeer> ref : context.getServiceReferences(MeshPeer.class, "(peerId=" + id + ")")) {
            return context.getService(ref);
        }
        return null;
    }

    /**
     * Configures a peer as an operator would (a factory configuration of {@code p3.mesh.peer}) and
     * waits until its service says it is bound. @return the configuration, for the test to delete
     */
    static Configuration startPeer(ConfigurationAdmin admin, BundleContext context, Map<String, Object> properties,
            Duration bound) throws Exception {
        Configuration c = admin.createFactoryConfiguration(MeshPeer.FACTORY_PID, "?");
        c.update(new Hashtable<>(properties));
        String id = (String) properties.get("peerId");
        await().atMost(bound).until(() -> {
            MeshPeer peer = peer(context, id);
            return peer != null && peer.state() == PeerState.BOUND;
        });
        return c;
    }

    static long received(MeshPeer client, String cls) {
        ClassStats c = stats(client, cls);
        return c == null ? 0 : c.received();
    }
}
