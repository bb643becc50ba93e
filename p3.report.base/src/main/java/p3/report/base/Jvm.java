package p3.report.base;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * The runtime's CPU time and heap: one JVM hosts all the peers of a runtime, so these are the
 * runtime's, not one peer's.
 */
public final class Jvm {

    private Jvm() {
    }

    /** The process's CPU time in seconds, or -1 where the JDK's extension is not visible to the bundle. */
    public static double cpuSeconds() {
        try {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return sun.getProcessCpuTime() / 1e9;
            }
        } catch (LinkageError e) {
            // com.sun.management not imported by this bundle: the figure is unknown
        }
        return -1;
    }

    public static MemoryUsage heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    public static double heapMb() {
        return heap().getUsed() / (1024.0 * 1024.0);
    }
}
