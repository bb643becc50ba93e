package p3.bench.mesh;

import java.util.List;
import java.util.Objects;

/**
 * Argument checks of the result records. Messages name the field as results.json spells it, so
 * that a malformed file and a runner's bug read the same.
 */
final class Check {

    private Check() {
    }

    static String oneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ": " + value);
        }
        return value;
    }

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return value;
    }

    static <T> T present(String field, T value) {
        return Objects.requireNonNull(value, () -> field + " is missing");
    }

    static long count(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
        return value;
    }

    static double amount(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(field + " must be a finite number, not negative: " + value);
        }
        return value;
    }

    /** An immutable copy of durations or sizes, each checked like {@link #amount}. */
    static List<Double> amounts(String field, List<Double> values) {
        present(field, values);
        for (int i = 0; i < values.size(); i++) {
            amount(field + "[" + i + "]", present(field + "[" + i + "]", values.get(i)));
        }
        return List.copyOf(values);
    }
}
