package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The retransmission time learned from round trips: its floor and ceiling, and Karn's backoff. */
class RoundTripTest {

    static final long MS = 1_000_000;
    final RoundTrip rt = new RoundTrip(100 * MS, 3);

    @Test
    void withoutSamplesItIsTheConfiguredPeriodDoubledForEachResend() {
        assertThat(rt.timeoutNanos(0, 0)).isEqualTo(100 * MS);
        assertThat(rt.timeoutNanos(1, 0)).isEqualTo(200 * MS);
        assertThat(rt.timeoutNanos(9, 0)).as("at most 2^3 times").isEqualTo(800 * MS);
    }

    @Test
    void aSteadyRoundTripBecomesTheTimeoutWithLittleMargin() {
        for (int i = 0; i < 50; i++) {
            rt.sample(300 * MS);
        }
        assertThat(rt.timeoutNanos(0, 0)).isBetween(300 * MS, 310 * MS);
    }

    @Test
    void aFastPathNeverGoesBelowTheConfiguredPeriodAndASlowOneNeverAboveTheCeiling() {
        for (int i = 0; i < 50; i++) {
            rt.sample(MS);
        }
        assertThat(rt.timeoutNanos(0, 0)).isEqualTo(100 * MS);
        for (int i = 0; i < 50; i++) {
            rt.sample(5_000 * MS);
        }
        assertThat(rt.timeoutNanos(0, 0)).isEqualTo(800 * MS);
    }

    @Test
    void aTimeoutDoublesTheWaitOfMessagesSentAfterItUntilASampleComes() {
        rt.timedOut(1_000 * MS);
        assertThat(rt.timeoutNanos(0, 999 * MS)).as("sent before: already overdue, it goes at once").isEqualTo(100 * MS);
        assertThat(rt.timeoutNanos(0, 1_000 * MS)).isEqualTo(200 * MS);
        rt.timedOut(1_200 * MS);
        assertThat(rt.timeoutNanos(0, 1_300 * MS)).isEqualTo(400 * MS);

        rt.sample(150 * MS);
        assertThat(rt.timeoutNanos(0, 1_300 * MS)).as("150 ms plus four times its first deviation, 75 ms")
                .isEqualTo(450 * MS);
    }

    @Test
    void aNegativeSampleIsIgnored() {
        rt.sample(-5);
        assertThat(rt.timeoutNanos(0, 0)).isEqualTo(100 * MS);
    }
}
