package p3.mesh.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import p3.mesh.PeerIds;
import p3.mesh.PeerRole;

/**
 * A peer's settings, checked once: a bad value names its property.
 *
 * @param mesh              the mesh's name: cell groups of other meshes never mix with ours
 * @param peer              this peer's PeerId
 * @param role              super, sensor or client
 * @param shape             the tree's shape
 * @param bindAddress       where the peer listens for links
 * @param discoveryBase     discovery base address and port (report: 228.1.2.3:1000)
 * @param membershipBase    membership base address and port (report: 228.1.2.2:1000)
 * @param multicast         whether discovery uses IP multicast
 * @param seeds             unicast discovery endpoints to ask too
 * @param unicastPort       the port of this peer's unicast discovery socket, 0 for any free one
 * @param discoveryTimeoutMs how long a discovery request waits for replies
 * @param bindTimeoutMs     how long binding to one parent may take
 * @param foundingStaggerMs after the root is gone, super-peers wait rank times this before founding it
 * @param prebind           keep links open to a backup parent before any failure (fast rebind in one BIND)
 * @param ft                fault tolerance: strategy, sensor memory, timers, store bounds, lease
 */
record MeshSettings(String mesh, String peer, PeerRole role, TreeShape shape, InetAddress bindAddress,
        InetSocketAddress discoveryBase, InetSocketAddress membershipBase, boolean multicast,
        List<InetSocketAddress> seeds, int unicastPort, int discoveryTimeoutMs, int bindTimeoutMs,
        int foundingStaggerMs, boolean prebind, FtSettings ft) {

    MeshSettings {
        if (mesh == null || !mesh.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("mesh must be 1 to 64 letters, digits, - _ . : " + mesh);
        }
        try {
            PeerIds.check(peer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peerId: " + e.getMessage());
        }
        seeds = List.copyOf(seeds);
        if (ft == null) {
            throw new IllegalArgumentException("ft settings missing");
        }
        positive("discoveryTimeoutMs", discoveryTimeoutMs);
        positive("bindTimeoutMs", bindTimeoutMs);
        positive("foundingStaggerMs", foundingStaggerMs);
        if (!multicast && seeds.isEmpty()) {
            throw new IllegalArgumentException("discoverySeeds must list at least one endpoint when multicast is off");
        }
    }

    /** A port, or 0 for any free one. */
    static int port(String property, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(property + " must be within 0..65535 (0: any free port): " + value);
        }
        return value;
    }

    private static void positive(String property, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(property + " must be positive: " + value);
        }
    }

    static PeerRole role(String value) {
        try {
            return PeerRole.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be super, sensor or client: " + value);
        }
    }

    static InetSocketAddress endpoint(String property, String address, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(property + " port must be within 1..65535: " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address.trim()), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(property + " is not an address: " + address);
        }
    }

    static InetAddress address(String property, String value) {
        try {
            return InetAddress.getByName(value.trim());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(property + " is not an address: " + value);
        }
    }

    /** {@code host:port,host:port}. */
    static List<InetSocketAddress> endpoints(String property, String value) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(property + ": expected host:port, got " + s);
            }
            try {
                out.add(endpoint(property, s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": bad port in " + s);
            }
        }
        return out;
    }

    static List<Integer> counts(String property, String value) {
        List<Integer> out = new ArrayList<>();
        for (String item : value.split(",")) {
            try {
                out.add(Integer.parseInt(item.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": not a list of counts: " + value);
            }
        }
        return out;
    }
}
