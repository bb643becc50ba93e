package p3.mesh.internal;

import java.net.InetAddress;
import java.util.List;

import p3.transport.GroupSettings;
import p3.transport.internal.JGroupsCellGroups;
import p3.transport.LinkSettings;
import p3.transport.internal.NettyLinks;
import p3.transport.internal.UdpDiscovery;

/** In-process meshes over the transport bundle's own implementations, with quick failure detection. */
final class TestMeshes {
    private TestMeshes() {
    }

    /** The report's bench: span 2, 2 super-peers per cell, 3 levels, 2 sensors per cell. */
    static InProcessMesh reportShape() {
        return of(new TreeShape(2, 2, List.of(2), 2));
    }

    static InProcessMesh of(TreeShape shape) {
        NettyLinks links = new NettyLinks(LinkSettings.defaults());
        JGroupsCellGroups groups = new JGroupsCellGroups(GroupSettings.defaults().withFailureDetection(100, 600, 100));
        UdpDiscovery discovery = new UdpDiscovery(InetAddress.getLoopbackAddress(), 1);
        return new InProcessMesh(shape, links, groups, discovery, () -> {
            discovery.close();
            links.close();
        });
    }
}
