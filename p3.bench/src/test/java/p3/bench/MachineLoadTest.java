package p3.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineLoadTest {

    @Test
    void separatesThisProcessOthersAndStealFromProcStat() {
        // user nice system idle iowait irq softirq steal guest guest_nice, in ticks of 10 ms
        MachineLoad.Sample a = MachineLoad.parse("cpu  1000 0 500 8000 100 0 0 10 0 0", 0);
        // 1000 ticks later: 600 busy (400 user, 150 system, 50 softirq), 390 idle, 10 steal
        MachineLoad.Sample b = MachineLoad.parse("cpu  1400 0 650 8390 100 0 50 20 0 0", 4_000_000_000L);
        assertThat(a.totalTicks()).isEqualTo(9610);
        assertThat(b.totalTicks() - a.totalTicks()).isEqualTo(1000);

        MachineLoad.Load load = MachineLoad.between(a, b);
        assertThat(load.self()).isCloseTo(0.40, within(1e-9)); // 4 s of 10 s of CPU
        assertThat(load.others()).isCloseTo(0.20, within(1e-9)); // 6 s busy, 4 s of them ours
        assertThat(load.steal()).isCloseTo(0.01, within(1e-9));
        assertThat(load.disturbed()).isTrue();
    }

    @Test
    void unknownWithoutProcStat() {
        MachineLoad.Sample none = new MachineLoad.Sample(0, 0, 0, 5);
        assertThat(MachineLoad.between(none, none).known()).isFalse();
        assertThat(MachineLoad.between(none, none).disturbed()).isFalse();
    }
}
