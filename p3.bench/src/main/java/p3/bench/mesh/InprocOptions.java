package p3.bench.mesh;

import java.time.Duration;

/**
 * What the inproc isolation may set differently from the runtime's defaults, to look at a large mesh
 * in one JVM.
 *
 * @param linkHeartbeat the links' heartbeat interval (their idle timeout 5 times as long), or null for the runtime's
 * @param storeBytes    each peer's pending store in bytes ({@code ftStoreBytes}), or null for the runtime's 32 MiB:
 *                      671 peers in one JVM cannot each have what a peer process of its own has
 */
record InprocOptions(Duration linkHeartbeat, Long storeBytes) {

    static final InprocOptions DEFAULTS = new InprocOptions(null, null);
}
