package p3.bench.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The traffic of the report's Table I and the time scale of a run. {@code quick} runs each run for
 * about 15 seconds of measurement; {@code paper} for the report's packet counts (video 6120 frames
 * at 24/s and events 6375 at 25/s: 255 s; audio 9790 at 38/s is 258 s, the report's own mismatch).
 *
 * @param warmup  streaming before measurement starts (JIT, first rebinds of prebinding)
 * @param measure how long the measured part lasts at least
 * @param faultAt when the first fault strikes, from the start of measurement
 * @param faultGap between two faults of one run
 * @param settle  after the last fault, at least this long before the sources stop
 */
record BenchSettings(String profile, List<Traffic> traffic, Duration deadline, Duration warmup, Duration measure,
        Duration faultAt, Duration faultGap, Duration settle) {

    BenchSettings {
        traffic = List.copyOf(traffic);
    }

    static final List<Traffic> TABLE_I = List.of(new Traffic("audio", 38, 418, false),
            new Traffic("video", 24, 4180, false), new Traffic("event", 25, 1024, true));

    static BenchSettings of(String profile) {
        return switch (profile) {
        case "quick" -> new BenchSettings(profile, TABLE_I, Duration.ofMillis(100), Duration.ofSeconds(3),
                Duration.ofSeconds(12), Duration.ofSeconds(4), Duration.ofMillis(1500), Duration.ofSeconds(5));
        case "paper" -> new BenchSettings(profile, TABLE_I, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(255), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30));
        default -> throw new IllegalArgumentException("profile must be quick or paper: " + profile);
        };
    }

    /**
     * These settings with Table I's classes at other rates and sizes, by class name; a class not
     * named keeps Table I's.
     *
     * @throws IllegalArgumentException naming an unknown class, or a rate or size out of bounds
     */
    BenchSettings withTraffic(Map<String, Double> rates, Map<String, Integer> sizes) {
        for (String name : rates.keySet()) {
            Check.oneOf("class", name, RunResult.Classes.NAMES);
        }
        for (String name : sizes.keySet()) {
            Check.oneOf("class", name, RunResult.Classes.NAMES);
        }
        List<Traffic> out = new ArrayList<>();
        for (Traffic t : traffic) {
            out.add(new Traffic(t.name(), rates.getOrDefault(t.name(), t.rate()),
                    sizes.getOrDefault(t.name(), t.bytes()), t.random()));
        }
        return new BenchSettings(profile, out, deadline, warmup, measure, faultAt, faultGap, settle);
    }

    /** These settings with another length of the measured part (a fault run still lasts as its faults need). */
    BenchSettings withMeasure(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the measured part must last a while: " + d);
        }
        return new BenchSettings(profile, traffic, deadline, warmup, d, faultAt, faultGap, settle);
    }

    /** How long the measured part of a run with {@code faults} faults lasts. */
    Duration measureFor(int faults) {
        Duration needed = faultAt.plus(faultGap.multipliedBy(Math.max(0, faults - 1))).plus(settle);
        return faults == 0 || needed.compareTo(measure) < 0 ? measure : needed;
    }
}
