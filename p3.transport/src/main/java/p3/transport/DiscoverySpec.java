package p3.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

import p3.security.PeerCredentials;

/**
 * Where a peer's discovery endpoint talks, and as whom.
 *
 * @param base        the discovery base address and port; a cell's address is
 *                    {@link TreeAddress#of(InetSocketAddress, String, int)} of it
 * @param span        the tree's span, for the addressing
 * @param multicast   whether to use IP multicast; without it only seeds are asked
 * @param seeds       unicast endpoints of peers to ask too (their {@link DiscoveryEndpoint#unicastAddress()})
 * @param unicastPort the port of this endpoint's unicast socket, 0 for any free one
 * @param credentials who this endpoint is: every datagram it sends is signed with them, and every
 *                    datagram it receives must be signed by a certificate of their
 *                    {@link PeerCredentials#trust()}, fresh and not seen before; {@code null} runs
 *                    discovery in the clear, which only a runtime whose security was turned off
 *                    explicitly may ask for (since 1.2)
 */
public record DiscoverySpec(InetSocketAddress base, int span, boolean multicast, List<InetSocketAddress> seeds,
        int unicastPort, PeerCredentials credentials) {

    public DiscoverySpec {
        Objects.requireNonNull(base, "base");
        seeds = List.copyOf(seeds);
        if (span < 1 || span > 9) {
            throw new IllegalArgumentException("span must be within 1..9: " + span);
        }
    }

    /** In the clear: no credentials (the 1.1 form). */
    public DiscoverySpec(InetSocketAddress base, int span, boolean multicast, List<InetSocketAddress> seeds,
            int unicastPort) {
        this(base, span, multicast, seeds, unicastPort, null);
    }

    /**
     * This spec, signed with {@code credentials} ({@code null} for the clear).
     *
     * @since 1.2
     */
    public DiscoverySpec withCredentials(PeerCredentials credentials) {
        return new DiscoverySpec(base, span, multicast, seeds, unicastPort, credentials);
    }

    /**
     * Whether the endpoint signs and checks its datagrams.
     *
     * @since 1.2
     */
    public boolean secure() {
        return credentials != null;
    }

    @Override
    public String toString() {
        return "DiscoverySpec[base=" + base + ", span=" + span + ", multicast=" + multicast + ", seeds=" + seeds
                + ", unicastPort=" + unicastPort + ", credentials="
                + (credentials == null ? "none (in the clear)" : credentials.identity()) + "]";
    }
}
