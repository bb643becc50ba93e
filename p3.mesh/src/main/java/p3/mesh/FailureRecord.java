package p3.mesh;

/**
 * What one peer saw of one failure: when it noticed, how it rebound, and when it was bound again.
 * Times are {@link System#nanoTime()}, shared by the processes of one host.
 *
 * @param observer       the peer that saw the failure
 * @param failed         the peer that failed
 * @param how            what revealed it: {@code link} (a parent's or child's link closed) or {@code view}
 *                       (the cell group's view)
 * @param detectedNanos  when it was noticed
 * @param rebind         how the observer rebound, or {@code null} when it did not need to
 * @param boundNanos     when it was bound again (0 while it is not, or when it did not need to)
 */
public record FailureRecord(String observer, String failed, String how, long detectedNanos, RebindKind rebind,
        long boundNanos) {

    /** Rebind duration in milliseconds, or -1 when there was none (yet). */
    public double rebindMillis() {
        return rebind == null || boundNanos == 0 ? -1 : (boundNanos - detectedNanos) / 1e6;
    }
}
