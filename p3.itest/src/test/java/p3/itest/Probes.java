package p3.itest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import p3.mesh.ClassStats;
import p3.mesh.MeshPeer;

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

    static long received(MeshPeer client, String cls) {
        ClassStats c = stats(client, cls);
        return c == null ? 0 : c.received();
    }
}
