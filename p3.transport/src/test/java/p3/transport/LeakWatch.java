package p3.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector at its paranoid level (every buffer tracked, with the stack of each access)
 * while a test runs, and the leaks it reports: a buffer garbage-collected before its last release.
 * Netty logs them through java.util.logging here (no other logging framework is on the tests' class
 * path), so a handler on its logger hears them. Test support, in the transport's test jar.
 */
public final class LeakWatch implements AutoCloseable {

    private static final Logger DETECTOR = Logger.getLogger(ResourceLeakDetector.class.getName());
    private static final ByteBufAllocator[] ALLOCATORS = { ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
            UnpooledByteBufAllocator.DEFAULT };

    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            if (m != null && m.contains("LEAK")) {
                leaks.add(m);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private final boolean printed = DETECTOR.getUseParentHandlers();

    private LeakWatch() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        DETECTOR.addHandler(handler);
        DETECTOR.setUseParentHandlers(false); // a test asserts on what it hears
    }

    /** Watches from now on; what earlier code leaked is reported before this returns, and forgotten. */
    public static LeakWatch paranoid() {
        LeakWatch w = new LeakWatch();
        w.collect();
        w.leaks.clear();
        return w;
    }

    /**
     * Lets the detector see what was freed: the collector finds the buffers nobody references, and
     * the detector reports those among them never released when it tracks the next buffers.
     *
     * @return every leak reported since this watch began
     */
    public List<String> collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (ByteBufAllocator a : ALLOCATORS) {
                a.directBuffer(64).release();
                a.heapBuffer(64).release();
            }
        }
        return List.copyOf(leaks);
    }

    @Override
    public void close() {
        DETECTOR.removeHandler(handler);
        DETECTOR.setUseParentHandlers(printed);
        ResourceLeakDetector.setLevel(before);
    }
}
