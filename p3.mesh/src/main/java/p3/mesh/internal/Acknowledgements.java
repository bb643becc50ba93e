package p3.mesh.internal;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import p3.mesh.CellId;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * The client's acknowledgements of FT messages (report, Listing 6's FT_REPLY, sent by the client
 * rather than the root): what arrived, new or again, is acknowledged in batches, as ranges of
 * sequence numbers per stream and class, to the root super-peer it came through; from there each
 * hop passes the acknowledgement down the way the messages came up.
 *
 * <p>{@link #arrived} runs on the data path; the batch is sent on the strand every
 * {@code ackIntervalMs}. The pending ranges are the one structure they share, behind a lock held
 * only to add a number or to take the whole batch.
 */
final class Acknowledgements {

    private record Route(String parent, String origin, String originCell) {
    }

    private final String self;
    private final Routing routing;
    private final Scheduler time;
    private final int intervalMs;
    private final Map<Route, Map<TrafficClass, Ranges>> pending = new HashMap<>();
    private Scheduler.Timer flushing = Scheduler.Timer.NONE;

    Acknowledgements(String self, Routing routing, Scheduler time, int intervalMs) {
        this.self = self;
        this.routing = routing;
        this.time = time;
        this.intervalMs = intervalMs;
    }

    void start() {
        flushing = time.every(intervalMs, TimeUnit.MILLISECONDS, this::flush);
    }

    void stop() {
        flushing.cancel();
    }

    /** An FT message arrived through a parent (new or again: the first acknowledgement may have been lost). */
    void arrived(Frame f, String parent) {
        Route route = new Route(parent, f.sourcePeer(), f.sourceCell());
        synchronized (pending) {
            pending.computeIfAbsent(route, k -> new EnumMap<>(TrafficClass.class))
                    .computeIfAbsent(f.trafficClass(), k -> new Ranges()).add(f.sequence());
        }
    }

    /** Strand: one acknowledgement per stream, to the parent its messages came through, else any way down. */
    void flush() {
        Map<Route, Map<TrafficClass, Ranges>> due;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            due = new HashMap<>(pending);
            pending.clear();
        }
        CellId mine = routing.table().cell();
        String cell = mine == null ? "" : mine.toString();
        for (Map.Entry<Route, Map<TrafficClass, Ranges>> e : due.entrySet()) {
            Route r = e.getKey();
            Frame ack = new Frame(FrameType.ACK, TrafficClass.MESH, 0, self, cell, r.origin(), r.originCell(), 0,
                    time.nanoTime(), FtCodec.ack(e.getValue()));
            if (!routing.sendTo(r.parent(), ack)) {
                routing.routeOn(ack, false); // that parent is gone: any other finds the way
            }
        }
    }
}
