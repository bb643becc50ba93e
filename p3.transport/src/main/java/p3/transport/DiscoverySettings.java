package p3.transport;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The settings of discovery, checked once: a bad value names its property.
 *
 * @param bindAddress the address the unicast sockets bind to; its interface carries the multicast
 *                    (it must be an address of this host, which opening the transport checks)
 * @param ipTtl       multicast TTL of the requests (0 keeps them on this host)
 * @since 1.1
 */
public record DiscoverySettings(InetAddress bindAddress, int ipTtl) {

    public DiscoverySettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (ipTtl < 0 || ipTtl > 255) {
            throw new IllegalArgumentException("ipTtl must be within 0..255: " + ipTtl);
        }
    }

    /** Loopback, TTL 1: the runtime's defaults. */
    public static DiscoverySettings defaults() {
        return new DiscoverySettings(InetAddress.getLoopbackAddress(), 1);
    }
}
