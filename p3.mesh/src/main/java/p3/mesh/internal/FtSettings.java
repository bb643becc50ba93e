package p3.mesh.internal;

import java.util.Locale;

/**
 * A peer's fault-tolerance settings, checked once.
 *
 * @param strategy      the strategy a super-peer prefers (active, passive, hybrid); another one
 *                      available stands in while it is not
 * @param sensorMemory  a sensor keeps its FT messages until acknowledged and sends them again
 *                      after a rebind (beyond the report; off reproduces the report's sensors)
 * @param retransmitMs  a held message not acknowledged after this long is sent again (report,
 *                      Listing 5's timer)
 * @param ackIntervalMs a client acknowledges what arrived in batches this far apart
 * @param storeCapacity at most this many FT messages held by one peer
 * @param storeBytes    at most this many bytes of FT messages held by one peer. Beyond either bound
 *                      a super-peer refuses to hold (and so to pass on) a message, which the
 *                      neighbour below keeps and sends again later; a sensor gives up its oldest
 * @param leaseMs       a client's subscription lasts this long unless renewed (a sensor stops
 *                      streaming to a client gone longer), and a held message waits at most this
 *                      long for its acknowledgement
 */
record FtSettings(String strategy, boolean sensorMemory, int retransmitMs, int ackIntervalMs, int storeCapacity,
        long storeBytes, int leaseMs) {

    /**
     * 32 MiB, within a peer process of {@code -Xmx128m}: three and a half minutes of one sensor's
     * Table I traffic, or 13 s of what a root super-peer holds and keeps as its mate's replicas in
     * the report's tree (8 sensors, 1.3 MB/s each way).
     */
    static final long STORE_BYTES = 32L << 20;
    /** The least a store may be given: a few of the largest frames. */
    static final long MIN_STORE_BYTES = 64L << 10;
    /** A client renews its subscriptions three times per lease, on the peer's 1 s housekeeping rounds. */
    static final int MIN_LEASE_MS = 3000;

    static final FtSettings DEFAULTS = new FtSettings("hybrid", true, 1000, 25, 65_536, STORE_BYTES, 30_000);

    FtSettings {
        strategy = strategy == null ? "" : strategy.trim().toLowerCase(Locale.ROOT);
        if (!strategy.matches("[a-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("ftStrategy must name a strategy (active, passive, hybrid): " + strategy);
        }
        if (retransmitMs < 10) {
            throw new IllegalArgumentException("ftRetransmitMs must be at least 10: " + retransmitMs);
        }
        if (ackIntervalMs < 1 || ackIntervalMs * 4 > retransmitMs) {
            throw new IllegalArgumentException("ftAckIntervalMs must be positive and at most a quarter of ftRetransmitMs: "
                    + ackIntervalMs);
        }
        if (storeCapacity < 1) {
            throw new IllegalArgumentException("ftStoreCapacity must be positive: " + storeCapacity);
        }
        if (storeBytes < MIN_STORE_BYTES) {
            throw new IllegalArgumentException("ftStoreBytes must be at least " + MIN_STORE_BYTES + ": " + storeBytes);
        }
        if (leaseMs < MIN_LEASE_MS || leaseMs < 2 * retransmitMs) {
            throw new IllegalArgumentException("subscriptionLeaseMs must be at least " + MIN_LEASE_MS
                    + " and twice ftRetransmitMs: " + leaseMs);
        }
    }

    FtSettings withStrategy(String name) {
        return new FtSettings(name, sensorMemory, retransmitMs, ackIntervalMs, storeCapacity, storeBytes, leaseMs);
    }

    FtSettings withSensorMemory(boolean on) {
        return new FtSettings(strategy, on, retransmitMs, ackIntervalMs, storeCapacity, storeBytes, leaseMs);
    }

    FtSettings withStore(int capacity, long maxBytes) {
        return new FtSettings(strategy, sensorMemory, retransmitMs, ackIntervalMs, capacity, maxBytes, leaseMs);
    }

    FtSettings withLease(int ms) {
        return new FtSettings(strategy, sensorMemory, retransmitMs, ackIntervalMs, storeCapacity, storeBytes, ms);
    }

    FtSettings withTimers(int retransmit, int ackInterval) {
        return new FtSettings(strategy, sensorMemory, retransmit, ackInterval, storeCapacity, storeBytes, leaseMs);
    }
}
