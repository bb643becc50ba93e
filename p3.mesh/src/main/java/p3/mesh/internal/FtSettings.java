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
 * @param storeCapacity at most this many FT messages held by one peer; beyond, messages are
 *                      forwarded without being held, and counted
 */
record FtSettings(String strategy, boolean sensorMemory, int retransmitMs, int ackIntervalMs, int storeCapacity) {

    static final FtSettings DEFAULTS = new FtSettings("hybrid", true, 1000, 25, 65_536);

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
    }

    FtSettings withStrategy(String name) {
        return new FtSettings(name, sensorMemory, retransmitMs, ackIntervalMs, storeCapacity);
    }

    FtSettings withSensorMemory(boolean on) {
        return new FtSettings(strategy, on, retransmitMs, ackIntervalMs, storeCapacity);
    }

    FtSettings withTimers(int retransmit, int ackInterval) {
        return new FtSettings(strategy, sensorMemory, retransmit, ackInterval, storeCapacity);
    }
}
