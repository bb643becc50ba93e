package p3.bench.mesh;

import java.util.Collection;
import java.util.Locale;

/**
 * A mean and a standard deviation over {@code n} values: the report's "mean +/- jitter". Standard
 * deviations are of the population (divided by n), so that pooling runs gives the same figure
 * as one run over all their values.
 */
record MeanSd(double mean, double sd, long n) {

    static final MeanSd NONE = new MeanSd(0, 0, 0);

    static MeanSd of(Collection<Double> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return new MeanSd(mean, Math.sqrt(squares / values.size()), values.size());
    }

    /** All the values of the parts as one set: means weighted by n, spread within and between parts. */
    static MeanSd pool(Collection<MeanSd> parts) {
        long n = parts.stream().mapToLong(MeanSd::n).sum();
        if (n == 0) {
            return NONE;
        }
        double mean = parts.stream().mapToDouble(p -> p.mean * p.n).sum() / n;
        double squares = parts.stream()
                .mapToDouble(p -> p.n * (p.sd * p.sd + (p.mean - mean) * (p.mean - mean))).sum();
        return new MeanSd(mean, Math.sqrt(squares / n), n);
    }

    boolean empty() {
        return n == 0;
    }

    /** {@code 21 ± 2}; with decimals below 10 ms, as loopback latencies are far below the report's. */
    String format() {
        int decimals = mean >= 10 ? 0 : mean >= 1 ? 1 : 2;
        return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", mean, sd);
    }
}
