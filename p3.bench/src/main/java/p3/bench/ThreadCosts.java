package p3.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and heap allocation of a set of threads (the event loops of one transport), read from
 * the JVM's per-thread counters, so that a benchmark can say what one frame costs them.
 */
public final class ThreadCosts {

    private static final com.sun.management.ThreadMXBean THREADS = threadBean();

    /** CPU nanoseconds and allocated bytes of each thread at one instant; -1 where a thread was gone. */
    public record Snapshot(long[] cpuNanos, long[] allocatedBytes) {

        /** CPU nanoseconds used since {@code earlier}, summed over the threads alive at both instants. */
        public long cpuNanosSince(Snapshot earlier) {
            return since(cpuNanos, earlier.cpuNanos);
        }

        /** Bytes allocated since {@code earlier}, summed over the threads alive at both instants. */
        public long allocatedBytesSince(Snapshot earlier) {
            return since(allocatedBytes, earlier.allocatedBytes);
        }

        private static long since(long[] now, long[] then) {
            long sum = 0;
            for (int i = 0; i < now.length; i++) {
                if (now[i] >= 0 && then[i] >= 0) {
                    sum += now[i] - then[i];
                }
            }
            return sum;
        }
    }

    private ThreadCosts() {
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean) {
            if (bean.isThreadCpuTimeSupported() && !bean.isThreadCpuTimeEnabled()) {
                bean.setThreadCpuTimeEnabled(true);
            }
            if (bean.isThreadAllocatedMemorySupported() && !bean.isThreadAllocatedMemoryEnabled()) {
                bean.setThreadAllocatedMemoryEnabled(true);
            }
            return bean;
        }
        return null;
    }

    /** Whether this JVM reports per-thread CPU time and allocation. */
    public static boolean supported() {
        return THREADS != null && THREADS.isThreadCpuTimeSupported() && THREADS.isThreadAllocatedMemorySupported();
    }

    /** The live threads whose name starts with {@code prefix}. */
    public static long[] threadsNamed(String prefix) {
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                ids.add(t.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    public static Snapshot of(long[] threadIds) {
        if (!supported()) {
            return new Snapshot(new long[0], new long[0]);
        }
        return new Snapshot(THREADS.getThreadCpuTime(threadIds), THREADS.getThreadAllocatedBytes(threadIds));
    }
}
