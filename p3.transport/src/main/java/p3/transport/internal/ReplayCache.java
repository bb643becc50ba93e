package p3.transport.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The nonces of the signed datagrams one endpoint has accepted lately, so that a copy replayed
 * while its timestamp is still fresh is refused. A nonce is kept for twice the freshness window
 * after it was recorded: a timestamp accepted at {@code t} lies within {@code t ± window}, so no
 * copy can be fresh after {@code t + 2 window}. Kept by the receiver's monotonic clock, the
 * entries expire in the order they came: forgetting is a walk from the oldest. Bounded: a full
 * cache refuses rather than forgets a fresh nonce. Thread-safe (the endpoint's sockets share it).
 */
final class ReplayCache {

    enum Verdict {
        FRESH, SEEN, FULL
    }

    private record Nonce(long hi, long lo) {
        static Nonce of(byte[] b) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | (b[i] & 0xff);
                lo = lo << 8 | (b[8 + i] & 0xff);
            }
            return new Nonce(hi, lo);
        }
    }

    private record Entry(Nonce nonce, long expiresNanos) {
    }

    private final long keepNanos;
    private final int capacity;
    private final Set<Nonce> seen = new HashSet<>();
    private final ArrayDeque<Entry> byAge = new ArrayDeque<>();

    /** @param windowNanos the freshness window, either way */
    ReplayCache(long windowNanos, int capacity) {
        this.keepNanos = 2 * windowNanos;
        this.capacity = capacity;
    }

    /** Whether a nonce would be taken now, before its signature is checked: nothing is recorded. */
    synchronized Verdict check(byte[] nonce, long nowNanos) {
        forget(nowNanos);
        if (seen.contains(Nonce.of(nonce))) {
            return Verdict.SEEN;
        }
        return seen.size() >= capacity ? Verdict.FULL : Verdict.FRESH;
    }

    /** Records a nonce whose signature was checked; SEEN when another copy got in first. */
    synchronized Verdict record(byte[] nonce, long nowNanos) {
        forget(nowNanos);
        Nonce n = Nonce.of(nonce);
        if (seen.contains(n)) {
            return Verdict.SEEN;
        }
        if (seen.size() >= capacity) {
            return Verdict.FULL;
        }
        seen.add(n);
        byAge.addLast(new Entry(n, nowNanos + keepNanos));
        return Verdict.FRESH;
    }

    synchronized int size() {
        return seen.size();
    }

    private void forget(long nowNanos) {
        Entry oldest;
        while ((oldest = byAge.peekFirst()) != null && nowNanos - oldest.expiresNanos >= 0) {
            byAge.removeFirst();
            seen.remove(oldest.nonce);
        }
    }
}
