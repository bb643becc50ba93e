package p3.transport.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import p3.transport.Rejection;
import p3.transport.TransportStats;

/** The counters of one transport service; LongAdders because every event loop writes them. */
final class Counters implements TransportStats {
    final LongAdder framesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder framesReceived = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder framesRefused = new LongAdder();
    final LongAdder linksOpened = new LongAdder();
    final LongAdder linksClosed = new LongAdder();
    /** Not in {@link TransportStats} (its API is versioned): a test reads it, and they are in framesSent too. */
    final LongAdder heartbeatsSent = new LongAdder();
    private final LongAdder[] rejections = new LongAdder[Rejection.values().length];

    Counters() {
        for (int i = 0; i < rejections.length; i++) {
            rejections[i] = new LongAdder();
        }
    }

    void reject(Rejection reason) {
        rejections[reason.ordinal()].increment();
    }


    @Override
    public long framesSent() {
        return framesSent.sum();
    }

    @Override
    public long bytesSent() {
        return bytesSent.sum();
    }

    @Override
    public long framesReceived() {
        return framesReceived.sum();
    }

    @Override
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    @Override
    public long framesRefused() {
        return framesRefused.sum();
    }

    @Override
    public long linksOpened() {
        return linksOpened.sum();
    }

    @Override
    public long linksClosed() {
        return linksClosed.sum();
    }

    @Override
    public Map<Rejection, Long> rejections() {
        Map<Rejection, Long> seen = new EnumMap<>(Rejection.class);
        for (Rejection r : Rejection.values()) {
            long n = rejections[r.ordinal()].sum();
            if (n > 0) {
                seen.put(r, n);
            }
        }
        return seen;
    }
}
