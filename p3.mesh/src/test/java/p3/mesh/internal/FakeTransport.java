package p3.mesh.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An in-memory network for unit tests of the peer's state machines, standing in for the transport
 * ({@link FakeLinks}, {@link FakeCellGroups}, {@link FakeDiscovery}); tests over real sockets are
 * elsewhere ({@link InProcessMesh}).
 *
 * <p>Design: every call into the mesh (a link's frame, open or close; a group's view or message; a
 * discovery request to a responder; the completion of a connect, a join or a request) is made at
 * once, on the thread that caused it, unless the test holds that kind of event to release it
 * later; discovery timeouts run on the test's virtual clock. With the peers' strands inline on the
 * test's thread, a test is a single deterministic thread that waits for nothing.
 *
 * <p>A real transport catches what a handler throws and logs it; this one catches it too and keeps
 * it in {@link #escaped}, so that a test fails on it. The stages it hands out do the same for the
 * continuations the mesh hangs on them (which a plain {@link CompletableFuture} would swallow).
 */
final class FakeTransport {

    static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 });
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The network's view of the test's clock: its timers (discovery timeouts) run where the clock is advanced. */
    final ManualScheduler time;
    /** What a callback into the mesh threw: a real transport would only have logged it. */
    final List<Throwable> escaped = new CopyOnWriteArrayList<>();
    final FakeLinks links = new FakeLinks(this);
    final FakeCellGroups groups = new FakeCellGroups(this);
    final FakeDiscovery discovery = new FakeDiscovery(this);

    /** @param clock the test's virtual time; the network gets a view of it that runs its timers inline */
    FakeTransport(ManualScheduler clock) {
        this.time = clock.on(ManualScheduler.inline());
    }

    /** Calls into the mesh, as a transport's event loop would: what it throws is kept, not thrown. */
    void call(String what, Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            escaped.add(new AssertionError(what + " threw " + t, t));
        }
    }

    <T> T call(String what, Supplier<T> callback) {
        try {
            return callback.get();
        } catch (Throwable t) {
            escaped.add(new AssertionError(what + " threw " + t, t));
            return null;
        }
    }

    /** A stage for the mesh: the continuations it hangs on it are watched for what they throw. */
    <T> Watched<T> stage(String what) {
        return new Watched<>(this, what);
    }

    /**
     * A future whose continuations are guarded: an exception thrown by one is kept in
     * {@link #escaped} (and still completes the dependent stage exceptionally, as it would).
     */
    static final class Watched<T> extends CompletableFuture<T> {
        private final FakeTransport net;
        private final String what;

        Watched(FakeTransport net, String what) {
            this.net = net;
            this.what = what;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new Watched<>(net, what);
        }

        private RuntimeException kept(Throwable t) {
            net.escaped.add(new AssertionError("a continuation of " + what + " threw " + t, t));
            return t instanceof RuntimeException r ? r : new RuntimeException(t);
        }

        @Override
        public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
            return super.whenComplete((v, e) -> {
                try {
                    action.accept(v, e);
                } catch (Throwable t) {
                    throw kept(t);
                }
            });
        }

        @Override
        public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
            return super.handle((v, e) -> {
                try {
                    return fn.apply(v, e);
                } catch (Throwable t) {
                    throw kept(t);
                }
            });
        }

        @Override
        public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
            return super.thenAccept(v -> {
                try {
                    action.accept(v);
                } catch (Throwable t) {
                    throw kept(t);
                }
            });
        }

        @Override
        public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
            return super.thenApply(v -> {
                try {
                    return fn.apply(v);
                } catch (Throwable t) {
                    throw kept(t);
                }
            });
        }

        @Override
        public CompletableFuture<T> toCompletableFuture() {
            return this;
        }

        @Override
        public CompletionStage<T> minimalCompletionStage() {
            return this;
        }
    }
}
