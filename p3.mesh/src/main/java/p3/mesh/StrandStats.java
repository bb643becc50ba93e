package p3.mesh;

/**
 * A peer's strand, the serial executor that owns its state: how deep its queue is, what it ran,
 * and whether the watchdog finds it stalled.
 *
 * @param depth   tasks waiting now
 * @param run     tasks run since the peer started
 * @param failed  tasks that threw (logged, and the strand went on)
 * @param refused tasks refused because the queue was full
 * @param stalled whether it has had work and not turned for longer than the watchdog allows
 * @since 1.2
 */
public record StrandStats(int depth, long run, long failed, long refused, boolean stalled) {
}
