package p3.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

import p3.security.PeerCredentials;

/**
 * What a cell group is.
 *
 * @param cluster     the group's name, unique per mesh and cell (for example {@code p3.default.cell.011})
 * @param member      this member's name (the PeerId); the PeerId its certificate names when
 *                    {@code credentials} are given
 * @param multicast   the group's multicast address, used by the IP multicast stack (the cell's
 *                    {@link TreeAddress#of tree_pos_address} on the membership base)
 * @param credentials the joining member's key and certificate: members must prove they hold a
 *                    certificate of the mesh's CA, and the group's traffic is encrypted; null runs
 *                    the group in the clear, for a runtime whose security was turned off explicitly
 *                    (since 1.2)
 * @param founding    the joiner has good reason to believe the group is empty (the mesh placed it in a
 *                    cell with nobody in it): it looks for other members only briefly before founding
 *                    the group, instead of the whole join timeout; a member it missed merges with it
 *                    later (since 2.0)
 */
public record GroupSpec(String cluster, String member, InetSocketAddress multicast, PeerCredentials credentials,
        boolean founding) {

    public GroupSpec {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(multicast, "multicast");
        if (credentials != null && !member.equals(credentials.identity().peerId())) {
            throw new IllegalArgumentException("member " + member + " must be the PeerId its certificate names: "
                    + credentials.identity().peerId());
        }
    }

    /** A group in the clear (no credentials), as before 1.2. */
    public GroupSpec(String cluster, String member, InetSocketAddress multicast) {
        this(cluster, member, multicast, null);
    }

    /** A group that may have members already, as before 1.3. */
    public GroupSpec(String cluster, String member, InetSocketAddress multicast, PeerCredentials credentials) {
        this(cluster, member, multicast, credentials, false);
    }

    /** The same group, joined with these credentials. @since 2.0 */
    public GroupSpec withCredentials(PeerCredentials c) {
        return new GroupSpec(cluster, member, multicast, c, founding);
    }

    /** Whether members are authenticated and traffic encrypted. @since 1.2 */
    public boolean secure() {
        return credentials != null;
    }
}
