package p3.mesh.internal;

import java.util.List;

import p3.transport.DiscoverySettings;
import p3.transport.GroupSettings;
import p3.transport.LinkSettings;
import p3.transport.StandaloneTransport;

/** In-process meshes over the transport built outside OSGi, with quick failure detection. */
final class TestMeshes {
    private TestMeshes() {
    }

    /** The report's bench: span 2, 2 super-peers per cell, 3 levels, 2 sensors per cell. */
    static InProcessMesh reportShape() {
        return of(new TreeShape(2, 2, List.of(2), 2));
    }

    static InProcessMesh of(TreeShape shape) {
        return of(shape, LinkSettings.defaults());
    }

    static InProcessMesh of(TreeShape shape, LinkSettings links) {
        return new InProcessMesh(shape, StandaloneTransport.open(links,
                GroupSettings.defaults().withFailureDetection(100, 600, 100), DiscoverySettings.defaults()));
    }
}
