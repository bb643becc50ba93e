package p3.mesh.spi;

import p3.mesh.Qos;

/**
 * The shape of a traffic class (report, Table I).
 *
 * @param ratePerSecond  frames per second of one source
 * @param frameBytes     payload size of a frame
 * @param randomArrivals whether frames arrive at random (exponential gaps) rather than at a fixed rate
 * @param priority       the report's relative priority (video and audio 1, events 3, mesh control 10)
 * @param qos            what a client asks for unless it says otherwise
 */
public record TrafficProfile(double ratePerSecond, int frameBytes, boolean randomArrivals, int priority, Qos qos) {
    public TrafficProfile {
        if (!(ratePerSecond > 0) || ratePerSecond > 100_000) {
            throw new IllegalArgumentException("rate must be within (0, 100000] frames/s: " + ratePerSecond);
        }
        if (frameBytes < 16 || frameBytes > 512 * 1024) {
            throw new IllegalArgumentException("frame size must be within 16..524288 bytes: " + frameBytes);
        }
    }
}
