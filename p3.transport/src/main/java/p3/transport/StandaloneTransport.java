package p3.transport;

import p3.transport.internal.JGroupsCellGroups;
import p3.transport.internal.NettyLinks;
import p3.transport.internal.UdpDiscovery;

/**
 * The transport's three services built by hand, outside OSGi: for the bench and for tests, which
 * would otherwise reach into the implementation package. In a framework, use the services that
 * the {@code p3.transport} bundle registers instead.
 * <p>
 * It owns what it starts (event loops, pools, the groups still joined): {@link #close()} stops it
 * all. The services are shared by every peer given them, as a runtime's services are.
 *
 * @since 1.1
 */
public final class StandaloneTransport implements AutoCloseable {

    private final NettyLinks links;
    private final JGroupsCellGroups groups;
    private final UdpDiscovery discovery;

    private StandaloneTransport(NettyLinks links, JGroupsCellGroups groups, UdpDiscovery discovery) {
        this.links = links;
        this.groups = groups;
        this.discovery = discovery;
    }

    /**
     * Starts links, cell groups and discovery with these settings.
     *
     * @throws IllegalArgumentException when the discovery address is not one of this host's
     */
    public static StandaloneTransport open(LinkSettings linkSettings, GroupSettings groupSettings,
            DiscoverySettings discoverySettings) {
        NettyLinks links = new NettyLinks(linkSettings);
        JGroupsCellGroups groups = null;
        try {
            groups = new JGroupsCellGroups(groupSettings);
            return new StandaloneTransport(links, groups, new UdpDiscovery(discoverySettings));
        } catch (RuntimeException | Error e) {
            // what started before the failure stops with it
            if (groups != null) {
                groups.close();
            }
            links.close();
            throw e;
        }
    }

    /** Starts the transport with the runtime's defaults: loopback, IP multicast groups. */
    public static StandaloneTransport open() {
        return open(LinkSettings.defaults(), GroupSettings.defaults(), DiscoverySettings.defaults());
    }

    public Links links() {
        return links;
    }

    public CellGroups groups() {
        return groups;
    }

    public Discovery discovery() {
        return discovery;
    }

    /** Discovery's counters: datagrams refused as not ours, under {@link Rejection#BAD_DATAGRAM}. */
    public TransportStats discoveryStats() {
        return discovery.stats();
    }

    /**
     * Leaves every group still joined, all at once, and keeps the links and discovery: a caller that
     * tears down many peers lets their groups go together rather than one crash at a time, when each
     * crash sets the remaining members suspecting and asking the crashed one again.
     *
     * @since 2.0
     */
    public void leaveGroups() {
        groups.close();
    }

    /**
     * Leaves the groups still joined, closes discovery and the links, and stops their threads, each
     * within a few seconds. The endpoints, listeners and links opened through it close with it.
     */
    @Override
    public void close() {
        try {
            groups.close();
        } finally {
            try {
                discovery.close();
            } finally {
                links.close();
            }
        }
    }
}
