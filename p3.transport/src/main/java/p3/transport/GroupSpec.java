package p3.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a cell group is.
 *
 * @param cluster   the group's name, unique per mesh and cell (for example {@code p3.default.cell.011})
 * @param member    this member's name (the PeerId)
 * @param multicast the group's multicast address, used by the IP multicast stack (the cell's
 *                  {@link TreeAddress#of tree_pos_address} on the membership base)
 */
public record GroupSpec(String cluster, String member, InetSocketAddress multicast) {
    public GroupSpec {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(multicast, "multicast");
    }
}
