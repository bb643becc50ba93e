package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.mesh.StrandStats;

/**
 * The strand, a peer's serial executor: one task at a time, in order, on a shared pool; guarded,
 * bounded and closable; and the threads of {@link PeerThreads}: the watchdog that flags a stalled
 * strand, and a close that ends every thread.
 */
class StrandTest {

    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    private ExecutorService pool(int threads) {
        ExecutorService p = Executors.newFixedThreadPool(threads);
        pools.add(p);
        return p;
    }

    @Test
    void tasksFromManyThreadsRunOneAtATimeInTheOrderEachProducerGaveThem() throws Exception {
        int producers = 4;
        int perProducer = 2500;
        Strand strand = new Strand("serial", pool(4), producers * perProducer);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        // strand only: a plain list, which is safe only if the strand runs one task at a time
        List<int[]> ran = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService producing = pool(producers);
        List<java.util.concurrent.Future<Integer>> offered = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            offered.add(producing.submit(() -> {
                start.await();
                int accepted = 0;
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    if (strand.offer(() -> {
                        if (running.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        ran.add(new int[] { producer, seq });
                        running.decrementAndGet();
                    })) {
                        accepted++;
                    }
                }
                return accepted;
            }));
        }
        start.countDown();
        int accepted = 0;
        for (var f : offered) {
            accepted += f.get(10, TimeUnit.SECONDS);
        }
        assertThat(accepted).isEqualTo(producers * perProducer);
        await().atMost(Duration.ofSeconds(10)).until(() -> strand.stats().run() == producers * perProducer);

        assertThat(overlaps).hasValue(0);
        List<int[]> all = strand.ask(() -> List.copyOf(ran), List.of(), 5000);
        assertThat(all).hasSize(producers * perProducer);
        int[] next = new int[producers];
        for (int[] r : all) {
            assertThat(r[1]).as("producer %d's task %d", r[0], r[1]).isEqualTo(next[r[0]]);
            next[r[0]]++;
        }
        assertThat(strand.stats()).isEqualTo(new StrandStats(0, producers * perProducer + 1, 0, 0, false));
    }

    @Test
    void aTaskThatThrowsIsCountedAndLoggedAndTheNextOnesStillRun() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(Strand.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            Strand strand = ManualScheduler.inlineStrand("p-throws");
            List<String> ran = new ArrayList<>();
            strand.execute(() -> ran.add("before"));
            strand.execute(() -> {
                throw new IllegalStateException("boom");
            });
            strand.execute(() -> ran.add("after"));
            strand.execute(() -> {
                throw new AssertionError("an assert in a task");
            });
            strand.execute(() -> ran.add("last"));

            assertThat(ran).containsExactly("before", "after", "last");
            assertThat(strand.stats().failed()).isEqualTo(2);
            assertThat(strand.stats().run()).isEqualTo(3);
            assertThat(logged).anySatisfy(r -> {
                assertThat(r.getMessage()).startsWith("p-throws: a task failed");
                assertThat(r.getThrown()).hasMessage("boom");
            });
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void offersBeyondCapacityAreRefusedAndCounted() {
        List<Runnable> handedToPool = new ArrayList<>();
        Strand strand = new Strand("full", handedToPool::add, 2); // a pool that never runs anything
        assertThat(strand.offer(() -> { })).isTrue();
        assertThat(strand.offer(() -> { })).isTrue();
        assertThat(strand.offer(() -> { })).isFalse();
        assertThat(strand.offer(() -> { })).isFalse();
        assertThat(strand.stats().depth()).isEqualTo(2);
        assertThat(strand.stats().refused()).isEqualTo(2);

        handedToPool.forEach(Runnable::run); // the pool turns: the two waiting run, room again
        assertThat(strand.stats().run()).isEqualTo(2);
        assertThat(strand.offer(() -> { })).isTrue();
    }

    @Test
    void afterCloseOffersAreRefusedAndWaitingTasksAreDropped() {
        List<Runnable> handedToPool = new ArrayList<>();
        Strand strand = new Strand("closing", handedToPool::add, 10);
        AtomicInteger ran = new AtomicInteger();
        strand.offer(ran::incrementAndGet);
        strand.close();

        assertThat(strand.isClosed()).isTrue();
        assertThat(strand.offer(ran::incrementAndGet)).isFalse();
        handedToPool.forEach(Runnable::run);
        assertThat(ran).hasValue(0);
        assertThat(strand.stats().depth()).isZero();
    }

    @Test
    void aTaskThatNeverRunsLetsGoOfWhatItHeld() {
        List<Runnable> handedToPool = new ArrayList<>();
        Strand strand = new Strand("holding", handedToPool::add, 2);
        List<String> letGo = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        assertThat(strand.offer(() -> ran.add("a"), () -> letGo.add("a"))).isTrue();
        assertThat(strand.offer(() -> ran.add("b"), () -> letGo.add("b"))).isTrue();
        assertThat(strand.offer(() -> ran.add("full"), () -> letGo.add("full"))).isFalse();
        assertThat(letGo).containsExactly("full");

        strand.close(); // a and b wait: dropped
        assertThat(letGo).containsExactly("full", "a", "b");
        assertThat(strand.offer(() -> ran.add("late"), () -> letGo.add("late"))).isFalse();
        handedToPool.forEach(Runnable::run);

        assertThat(ran).isEmpty();
        assertThat(letGo).containsExactly("full", "a", "b", "late");
        assertThat(strand.stats().depth()).isZero();
        assertThat(strand.stats().failed()).isZero();
    }

    @Test
    void askAnswersFromOutsideAndRefusesFromInside() throws Exception {
        Strand strand = new Strand("asking", pool(2), 100);
        assertThat(strand.ask(() -> "answer", "none", 5000)).isEqualTo("answer");

        AtomicReference<Throwable> fromInside = new AtomicReference<>();
        assertThat(strand.ask(() -> {
            try {
                strand.ask(() -> "never", "none", 5000);
            } catch (IllegalStateException e) {
                fromInside.set(e);
            }
            return "outer";
        }, "none", 5000)).isEqualTo("outer");
        assertThat(fromInside.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("asking").hasMessageContaining("never waits for itself");

        Strand inline = ManualScheduler.inlineStrand("inline");
        inline.execute(() -> assertThatThrownBy(() -> inline.ask(() -> 1, 0, 10))
                .isInstanceOf(IllegalStateException.class));
        assertThat(inline.stats().failed()).isZero();

        strand.close();
        assertThat(strand.ask(() -> "late", "none", 5000)).isEqualTo("none");
    }

    @Test
    void theWatchdogFlagsAStrandWhoseTaskBlocksAndClearsTheFlagAfter() throws Exception {
        try (PeerThreads threads = new PeerThreads(2, 100, 50)) {
            Strand strand = threads.strand("stuck");
            CountDownLatch release = new CountDownLatch(1);
            strand.execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            strand.execute(() -> { }); // work waiting behind it
            await().atMost(Duration.ofSeconds(5)).until(() -> strand.stats().stalled());

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> !strand.stats().stalled());
            assertThat(strand.stats().run()).isEqualTo(2);
            assertThat(strand.stats().failed()).isZero();
        }
    }

    @Test
    void anIdleStrandIsNeverFlagged() throws Exception {
        try (PeerThreads threads = new PeerThreads(1, 100, 50)) {
            Strand strand = threads.strand("idle");
            strand.execute(() -> { });
            CountDownLatch watched = new CountDownLatch(1);
            // a few watchdog rounds (250 ms apart) pass, measured on the timer thread itself
            threads.scheduler(strand).after(800, TimeUnit.MILLISECONDS, watched::countDown);
            assertThat(watched.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(strand.stats().stalled()).isFalse();
        }
    }

    @Test
    void closeEndsEveryThreadItMade() throws Exception {
        Set<Thread> before = p3Threads();
        PeerThreads threads = new PeerThreads(3, 100, 50);
        Strand strand = threads.strand("busy");
        CountDownLatch used = new CountDownLatch(3);
        strand.execute(used::countDown);
        threads.scheduler(strand).after(1, TimeUnit.MILLISECONDS, used::countDown);
        threads.sources().execute(used::countDown);
        assertThat(used.await(5, TimeUnit.SECONDS)).isTrue();
        Set<Thread> made = p3Threads();
        made.removeAll(before);
        assertThat(made).extracting(Thread::getName)
                .anyMatch(n -> n.startsWith("p3-peer")).anyMatch(n -> n.startsWith("p3-timer"))
                .anyMatch(n -> n.startsWith("p3-sources"));

        threads.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> made.stream().noneMatch(Thread::isAlive));
        Set<Thread> after = p3Threads();
        after.removeAll(before);
        assertThat(after).isEmpty();
        assertThat(threads.terminated()).isTrue();
        assertThat(strand.offer(() -> { })).as("a strand of a closed runtime takes nothing").isFalse();
    }

    private static Set<Thread> p3Threads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.startsWith("p3-peer") || n.startsWith("p3-timer") || n.startsWith("p3-sources")) {
                out.add(t);
            }
        }
        return out;
    }
}
