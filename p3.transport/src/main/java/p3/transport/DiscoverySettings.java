package p3.transport;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of discovery, checked once: a bad value names its property.
 *
 * @param bindAddress        the address the unicast sockets bind to; its interface carries the multicast
 *                           (it must be an address of this host, which opening the transport checks)
 * @param ipTtl              multicast TTL of the requests (0 keeps them on this host)
 * @param freshness          how far a signed datagram's timestamp may be from the receiver's clock, either
 *                           way; older or later ones are refused as {@link Rejection#STALE}. It bounds
 *                           the clock skew between hosts, and how long each endpoint remembers the
 *                           nonces it has seen (since 1.2)
 * @param replayCacheSize    how many nonces each endpoint remembers at most within the freshness window;
 *                           a signed datagram that finds it full is refused as
 *                           {@link Rejection#REPLAY_CACHE_FULL} rather than forgetting a fresh nonce
 *                           (since 1.2)
 * @param certificateRecheck how long an endpoint trusts a sender's certificate it has checked before it
 *                           checks it again (the CA's signature, validity, revocation); within it a
 *                           datagram costs one signature check (since 1.2)
 * @since 1.1
 */
public record DiscoverySettings(InetAddress bindAddress, int ipTtl, Duration freshness, int replayCacheSize,
        Duration certificateRecheck) {

    /** ±10 s: hosts of a mesh keep their clocks by NTP, well within it. */
    public static final Duration DEFAULT_FRESHNESS = Duration.ofSeconds(10);
    /**
     * 4096 nonces (about 100 bytes each with the map's share): 200 signed datagrams a second to one
     * endpoint within a 20 s span of timestamps, far above what a cell's joiners send.
     */
    public static final int DEFAULT_REPLAY_CACHE_SIZE = 4096;
    /** A revoked or expired certificate is refused by discovery at most 5 s after the trust knows. */
    public static final Duration DEFAULT_CERTIFICATE_RECHECK = Duration.ofSeconds(5);

    public DiscoverySettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (ipTtl < 0 || ipTtl > 255) {
            throw new IllegalArgumentException("ipTtl must be within 0..255: " + ipTtl);
        }
        Objects.requireNonNull(freshness, "freshness");
        if (freshness.toMillis() < 1 || freshness.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("freshness must be within 1 ms..10 min: " + freshness);
        }
        if (replayCacheSize < 16 || replayCacheSize > 1 << 20) {
            throw new IllegalArgumentException("replayCacheSize must be within 16..1048576: " + replayCacheSize);
        }
        Objects.requireNonNull(certificateRecheck, "certificateRecheck");
        if (certificateRecheck.isNegative() || certificateRecheck.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("certificateRecheck must be within 0..1 h: " + certificateRecheck);
        }
    }

    /** With the default freshness, replay cache and recheck (the 1.1 form). */
    public DiscoverySettings(InetAddress bindAddress, int ipTtl) {
        this(bindAddress, ipTtl, DEFAULT_FRESHNESS, DEFAULT_REPLAY_CACHE_SIZE, DEFAULT_CERTIFICATE_RECHECK);
    }

    /** Loopback, TTL 1, ±10 s, 4096 nonces, 5 s: the runtime's defaults. */
    public static DiscoverySettings defaults() {
        return new DiscoverySettings(InetAddress.getLoopbackAddress(), 1);
    }

    /**
     * These settings with other checks of signed datagrams.
     *
     * @since 1.2
     */
    public DiscoverySettings withSignedDatagrams(Duration freshness, int replayCacheSize, Duration certificateRecheck) {
        return new DiscoverySettings(bindAddress, ipTtl, freshness, replayCacheSize, certificateRecheck);
    }
}
