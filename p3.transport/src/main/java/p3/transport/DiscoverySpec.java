package p3.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where a peer's discovery endpoint talks.
 *
 * @param base      the discovery base address and port; a cell's address is
 *                  {@link TreeAddress#of(InetSocketAddress, String, int)} of it
 * @param span      the tree's span, for the addressing
 * @param multicast whether to use IP multicast; without it only seeds are asked
 * @param seeds     unicast endpoints of peers to ask too (their {@link DiscoveryEndpoint#unicastAddress()})
 * @param unicastPort the port of this endpoint's unicast socket, 0 for any free one
 */
public record DiscoverySpec(InetSocketAddress base, int span, boolean multicast, List<InetSocketAddress> seeds,
        int unicastPort) {
    public DiscoverySpec {
        Objects.requireNonNull(base, "base");
        seeds = List.copyOf(seeds);
        if (span < 1 || span > 9) {
            throw new IllegalArgumentException("span must be within 1..9: " + span);
        }
    }
}
