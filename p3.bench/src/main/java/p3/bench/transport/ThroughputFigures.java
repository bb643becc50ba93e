package p3.bench.transport;

/**
 * The most one link carried: frames received in the measured window.
 *
 * @param seconds                length of the measured window
 * @param frames                 frames received in it
 * @param refused                sends refused in it (outbound buffer over the high watermark); the
 *                               sender then backs off until the link is writable
 * @param maxInFlight            most frames accepted but not yet received, seen when a send was refused:
 *                               what the high watermark let queue (task queue, outbound buffer, sockets)
 * @param lost                   frames accepted over the whole run that never arrived
 * @param payloadBytes           payload of one frame
 * @param wireBytes              one frame on the wire
 * @param loopCpuUsPerFrame      CPU time of the event loops per received frame
 * @param loopAllocBytesPerFrame heap the event loops allocated per received frame
 * @param saturatedP50Us         median latency from the actual send call to arrival while saturated: how
 *                               long a frame waits in what the watermarks let queue
 * @param saturatedP99Us         99th percentile of the same
 */
record ThroughputFigures(double seconds, long frames, long refused, long maxInFlight, long lost, int payloadBytes,
        int wireBytes, double loopCpuUsPerFrame, double loopAllocBytesPerFrame, double saturatedP50Us,
        double saturatedP99Us) {

    double framesPerSecond() {
        return seconds > 0 ? frames / seconds : Double.NaN;
    }

    /** Payload megabytes (10^6 bytes) per second. */
    double payloadMBps() {
        return framesPerSecond() * payloadBytes / 1e6;
    }

    /** Megabytes per second on the wire, framing and headers included. */
    double wireMBps() {
        return framesPerSecond() * wireBytes / 1e6;
    }
}
