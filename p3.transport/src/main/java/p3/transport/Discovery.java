package p3.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Discovery datagrams: requests to a cell over UDP multicast at the cell's tree_pos_address, with
 * a unicast seed list where multicast is unavailable, and replies by unicast.
 */
@ProviderType
public interface Discovery {

    /**
     * Opens an endpoint for one peer.
     *
     * @throws TransportException when its sockets cannot be bound
     */
    DiscoveryEndpoint open(DiscoverySpec spec) throws TransportException;
}
