package p3.bench.mesh;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One traffic class as the bench streams it from every sensor (the report's Table I by default).
 * The bounds are {@code p3.mesh.spi.TrafficProfile}'s: a frame of {@value #MAX_BYTES} bytes and its
 * header fit the links' default largest frame (1 MiB, {@code LinkSettings.defaults()}).
 *
 * @param name   audio, video or event
 * @param rate   frames per second of one sensor
 * @param bytes  payload bytes of a frame ({@code size} in results.json)
 * @param random exponential gaps between frames instead of a fixed rate (the report's events)
 */
public record Traffic(String name, double rate, @JsonProperty("size") int bytes, boolean random) {

    public static final double MAX_RATE = 100_000;
    public static final int MIN_BYTES = 16;
    public static final int MAX_BYTES = 512 * 1024;

    public Traffic {
        Check.oneOf("name", name, RunResult.Classes.NAMES);
        if (!(rate > 0) || rate > MAX_RATE) {
            throw new IllegalArgumentException(name + " rate must be within (0, 100000] frames/s: " + rate);
        }
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException(name + " size must be within " + MIN_BYTES + ".." + MAX_BYTES
                    + " bytes (what a frame may carry): " + bytes);
        }
    }

    /** {@code audio 38/s of 418 B}, {@code event 25/s of 1024 B at random}. */
    String describe() {
        String r = rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
        return name + " " + r + "/s of " + bytes + " B" + (random ? " at random" : "");
    }
}
