package p3.mesh.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** What a piece of code allocates on the calling thread (HotSpot's thread allocation counter). */
final class Allocation {

    private Allocation() {
    }

    /** The fewest bytes {@code code} allocated in a few runs (the first runs load classes and fill caches). */
    static long bytesOf(Runnable code) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "a JVM that counts allocations per thread");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = threads.getThreadAllocatedBytes(id);
            code.run();
            least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }
}
