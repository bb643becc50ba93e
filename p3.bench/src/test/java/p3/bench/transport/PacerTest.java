package p3.bench.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void framesAreDueAtExactFractionsOfASecondFromTheStart() {
        Pacer p = new Pacer(1_000, 10_000);
        assertThat(p.dueNanos(0)).isEqualTo(1_000);
        assertThat(p.dueNanos(1)).isEqualTo(1_000 + 100_000);
        assertThat(p.dueNanos(10_000)).isEqualTo(1_000 + 1_000_000_000L);
    }

    @Test
    void roundingNeverAccumulates() {
        Pacer p = new Pacer(0, 3); // 333,333,333.3 ns apart
        assertThat(p.dueNanos(1)).isEqualTo(333_333_333L);
        assertThat(p.dueNanos(2)).isEqualTo(666_666_666L);
        assertThat(p.dueNanos(3)).isEqualTo(1_000_000_000L);
        // a day at 3/s lands on the second, although each step is rounded down
        assertThat(p.dueNanos(3L * 86_400)).isEqualTo(86_400_000_000_000L);
    }

    @Test
    void staysExactBeyondWhereFramesTimesNanosOverflow() {
        long rate = 1_000_000;
        long frames = 10_000_000_000L; // frames * 1e9 overflows a long
        assertThat(new Pacer(0, rate).dueNanos(frames)).isEqualTo(10_000_000_000_000L);
    }

    @Test
    void countsTheFramesOfADuration() {
        assertThat(Pacer.framesIn(Duration.ofSeconds(4), 10_000)).isEqualTo(40_000);
        assertThat(Pacer.framesIn(Duration.ofMillis(500), 10_000)).isEqualTo(5_000);
        assertThat(Pacer.framesIn(Duration.ofMillis(1500), 3)).isEqualTo(4); // rounded down
        assertThat(Pacer.framesIn(Duration.ZERO, 10_000)).isZero();
    }

    @Test
    void refusesARateOfNothing() {
        assertThatThrownBy(() -> new Pacer(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
    }

    @Test
    void awaitingATimeAlreadyPastReturnsAtOnce() {
        long before = System.nanoTime();
        Pacer.awaitNanos(before - 1_000_000);
        assertThat(System.nanoTime() - before).isLessThan(Duration.ofSeconds(1).toNanos());
    }
}
