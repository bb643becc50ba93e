package p3.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * What a client asks of a class of data: fault tolerance or not, and a deadline past which a frame
 * counts as late.
 */
public record Qos(boolean faultTolerant, Duration deadline) {
    public Qos {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
    }
}
