package p3.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Discovery datagrams: requests to a cell over UDP multicast at the cell's tree_pos_address, with
 * a unicast seed list where multicast is unavailable, and replies by unicast.
 *
 * <p>An endpoint opened with credentials ({@link DiscoverySpec#credentials()}) signs every request
 * and reply it sends, with a timestamp and a nonce of its own per destination, and takes only
 * datagrams signed by a certificate its trust accepts, fresh ({@link DiscoverySettings#freshness()})
 * and not seen before: others are dropped and counted under {@link Rejection#UNSIGNED},
 * {@link Rejection#UNTRUSTED}, {@link Rejection#BAD_SIGNATURE}, {@link Rejection#STALE},
 * {@link Rejection#REPLAYED} or {@link Rejection#REPLAY_CACHE_FULL}. The signer reaches the
 * responder ({@link DiscoveryResponder#answer(String, byte[], java.net.InetSocketAddress, p3.security.PeerIdentity)})
 * and the requester ({@link DiscoveryReply#sender()}), whose roles the mesh checks. Without
 * credentials discovery runs in the clear and names no sender.
 */
@ProviderType
public interface Discovery {

    /**
     * Opens an endpoint for one peer.
     *
     * @throws TransportException when its sockets cannot be bound
     */
    DiscoveryEndpoint open(DiscoverySpec spec) throws TransportException;

    /**
     * What discovery refused since the service started, by reason, in
     * {@link TransportStats#rejections()} (unreadable, unsigned, badly signed, untrusted, stale or
     * replayed datagrams); the frame and link counters stay zero. An implementation that counts
     * nothing returns zeros.
     *
     * @since 1.2
     */
    default TransportStats stats() {
        return NoStats.INSTANCE;
    }
}
