package p3.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How busy the machine was while a benchmark ran, and with what: the CPU that this JVM used, that
 * other processes used, and that the hypervisor stole, as fractions of all CPUs. Read from
 * {@code /proc/stat} (Linux, USER_HZ of 100); elsewhere nothing is known.
 */
public final class MachineLoad {

    private static final Path STAT = Path.of("/proc/stat");
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Counters at one instant; {@code total} is zero when /proc/stat cannot be read. */
    public record Sample(long busyTicks, long stealTicks, long totalTicks, long processCpuNanos) {
    }

    /** Fractions of the machine's CPU time between two samples. */
    public record Load(double self, double others, double steal, int cpus) {

        public boolean known() {
            return !Double.isNaN(self);
        }

        /** Whether other work took enough of the machine to disturb the figures. */
        public boolean disturbed() {
            return known() && (others > 0.10 || steal > 0.02);
        }
    }

    private MachineLoad() {
    }

    public static Sample sample() {
        long process = processCpuNanos();
        try {
            List<String> lines = Files.readAllLines(STAT);
            for (String line : lines) {
                if (line.startsWith("cpu ")) {
                    return parse(line, process);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: unknown
        }
        return new Sample(0, 0, 0, process);
    }

    /** Reads the aggregate line of /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice]. */
    static Sample parse(String cpuLine, long processCpuNanos) {
        String[] f = cpuLine.trim().split("\\s+");
        long[] v = new long[8];
        for (int i = 0; i < v.length && i + 1 < f.length; i++) {
            v[i] = Long.parseLong(f[i + 1]);
        }
        long busy = v[0] + v[1] + v[2] + v[5] + v[6];
        long total = busy + v[3] + v[4] + v[7];
        return new Sample(busy, v[7], total, processCpuNanos);
    }

    public static Load between(Sample a, Sample b) {
        int cpus = Runtime.getRuntime().availableProcessors();
        long total = b.totalTicks() - a.totalTicks();
        if (a.totalTicks() == 0 || total <= 0) {
            return new Load(Double.NaN, Double.NaN, Double.NaN, cpus);
        }
        double capacity = (double) total * NANOS_PER_TICK;
        double self = (b.processCpuNanos() - a.processCpuNanos()) / capacity;
        double busy = (b.busyTicks() - a.busyTicks()) * NANOS_PER_TICK / capacity;
        double steal = (b.stealTicks() - a.stealTicks()) * NANOS_PER_TICK / capacity;
        return new Load(self, Math.max(0, busy - self), steal, cpus);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
