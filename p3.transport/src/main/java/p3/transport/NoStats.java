package p3.transport;

import java.util.Map;

/** Counters that stay zero, for a {@link CellGroups} or {@link Discovery} that counts nothing. */
final class NoStats implements TransportStats {

    static final TransportStats INSTANCE = new NoStats();

    private NoStats() {
    }

    @Override
    public long framesSent() {
        return 0;
    }

    @Override
    public long bytesSent() {
        return 0;
    }

    @Override
    public long framesReceived() {
        return 0;
    }

    @Override
    public long bytesReceived() {
        return 0;
    }

    @Override
    public long framesRefused() {
        return 0;
    }

    @Override
    public long linksOpened() {
        return 0;
    }

    @Override
    public long linksClosed() {
        return 0;
    }

    @Override
    public Map<Rejection, Long> rejections() {
        return Map.of();
    }
}
