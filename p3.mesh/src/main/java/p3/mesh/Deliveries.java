package p3.mesh;

import java.util.List;

/**
 * What a client delivered of one traffic class, for a checker that judges it from outside, as
 * Jepsen does: per source, how many distinct frames, how many deliveries, which arrived out of
 * order and which sequence numbers are still missing; per slot of send time, the longest delay.
 * Times are {@link System#nanoTime()}, shared by the processes of one host. @since 1.5
 *
 * @param trafficClass audio, video or event
 * @param slotNanos    the width of a slot
 * @param streams      one per source, by source
 * @param slots        since latency was last restarted, oldest first, only slots in which a frame was sent
 */
public record Deliveries(String trafficClass, long slotNanos, List<Stream> streams, List<Slot> slots) {

    public Deliveries {
        streams = List.copyOf(streams);
        slots = List.copyOf(slots);
    }

    /**
     * One source's stream.
     *
     * @param sent        frames the source said it produced for this client (its last report)
     * @param distinct    distinct sequence numbers delivered
     * @param deliveries  frames delivered: more than {@code distinct} means some were delivered twice
     * @param outOfOrder  frames delivered after a later one of the same stream
     * @param holes       the missing sequence numbers, each run with the send time of the frame that showed it
     * @param holesLeftOff holes not kept, past the bound on how many a stream keeps
     */
    public record Stream(String source, long sent, long distinct, long deliveries, long outOfOrder, List<Hole> holes,
            long holesLeftOff) {

        public Stream {
            holes = List.copyOf(holes);
        }

        /** Sent and never delivered. */
        public long lost() {
            return Math.max(0, sent - distinct);
        }

        public long deliveredTwice() {
            return deliveries - distinct;
        }
    }

    /**
     * Sequence numbers {@code first} to {@code last} of a stream, of which {@code missing} never
     * arrived. {@code sentNanos} is when the frame after them was sent, or -1 for the tail of a
     * stream (sent, and nothing after them ever arrived).
     */
    public record Hole(long first, long last, long missing, long sentNanos) {
    }

    /**
     * Frames of every source sent from {@code startNanos} for a slot's width: how many were
     * delivered, the longest delay among them (send to delivery), and how many came out of order.
     */
    public record Slot(long startNanos, long frames, long maxDelayMicros, long outOfOrder) {
    }
}
