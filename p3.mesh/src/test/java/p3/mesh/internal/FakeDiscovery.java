package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import p3.transport.Discovery;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryHandler;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoveryResponder;
import p3.transport.DiscoverySpec;
import p3.transport.DiscoveryTimeoutException;
import p3.transport.TransportException;
import p3.transport.TreeAddress;

/**
 * Discovery in memory. {@code serveAsync} registers a responder for a cell (at once, unless the
 * test made that cell fail); {@code request} asks every responder of the cell at once, on the
 * caller's thread, and gathers what their stages complete with (a responder on a busy strand
 * answers when its strand turns). The request completes once {@code maxReplies} responders have
 * answered; with fewer, only when the test's virtual clock passes the timeout, with what came, or
 * with a {@link DiscoveryTimeoutException} when nothing did: what the UDP endpoint does. A closed
 * endpoint fails its requests and answers nothing more, even from a stage completed later.
 *
 * <p>A test may serve a cell with a stub responder of its own ({@link #serve}), and change or lose
 * replies on their way ({@link #replies}).
 */
final class FakeDiscovery implements Discovery {

    /** One request as it left, for assertions. */
    record Asked(InetSocketAddress from, String cellId, byte[] payload) {
    }

    private final FakeTransport net;
    private final Map<String, List<Served>> byCell = new ConcurrentHashMap<>();
    private final AtomicInteger ports = new AtomicInteger(30_000);
    /** Cells whose serving fails, as when their multicast socket cannot be bound. */
    final Set<String> unservable = ConcurrentHashMap.newKeySet();
    /** Every request, in order. */
    final List<Asked> asked = new CopyOnWriteArrayList<>();
    /** No request can be sent, as on a host whose interface is down: each fails at once, as the UDP endpoint's. */
    volatile boolean unreachable;
    /** A reply on its way, by cell: the bytes that arrive, or null to lose it. */
    volatile BiFunction<String, byte[], byte[]> replies = (cell, bytes) -> bytes;

    FakeDiscovery(FakeTransport net) {
        this.net = net;
    }

    @Override
    public DiscoveryEndpoint open(DiscoverySpec spec) {
        return new Endpoint(spec, new InetSocketAddress(FakeTransport.LOOPBACK, ports.incrementAndGet()));
    }

    /** Serves a cell with a stub of the test's, from an address of its own. @return the handle that stops it */
    AutoCloseable serve(String cellId, DiscoveryResponder responder) {
        Served s = new Served(cellId, responder, new InetSocketAddress(FakeTransport.LOOPBACK,
                ports.incrementAndGet()), null);
        byCell.computeIfAbsent(cellId, k -> new CopyOnWriteArrayList<>()).add(s);
        return s;
    }

    /** How many responders serve a cell now. */
    int serving(String cellId) {
        return byCell.getOrDefault(cellId, List.of()).size();
    }

    /** One responder of one cell; the handle that releases it. */
    private final class Served implements AutoCloseable {
        final String cellId;
        final DiscoveryResponder responder;
        final InetSocketAddress address;
        final Endpoint owner;
        volatile boolean closed;

        Served(String cellId, DiscoveryResponder responder, InetSocketAddress address, Endpoint owner) {
            this.cellId = cellId;
            this.responder = responder;
            this.address = address;
            this.owner = owner;
        }

        @Override
        public void close() {
            closed = true;
            byCell.getOrDefault(cellId, List.of()).remove(this);
            if (owner != null) {
                owner.served.remove(this);
            }
        }
    }

    /** The replies to one request. */
    private static final class Gathering {
        final String cellId;
        final int maxReplies;
        final CompletableFuture<List<DiscoveryReply>> result;
        final Map<InetSocketAddress, DiscoveryReply> replies = new LinkedHashMap<>();
        Scheduler.Timer timer = Scheduler.Timer.NONE;

        Gathering(String cellId, int maxReplies, CompletableFuture<List<DiscoveryReply>> result) {
            this.cellId = cellId;
            this.maxReplies = maxReplies;
            this.result = result;
        }

        void reply(InetSocketAddress from, byte[] payload) {
            List<DiscoveryReply> done;
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                replies.putIfAbsent(from, new DiscoveryReply(from, payload));
                if (replies.size() < maxReplies) {
                    return;
                }
                done = List.copyOf(replies.values());
            }
            timer.cancel();
            result.complete(done);
        }

        void expire(Duration timeout) {
            List<DiscoveryReply> done;
            synchronized (this) {
                done = List.copyOf(replies.values());
            }
            if (done.isEmpty()) {
                result.completeExceptionally(new DiscoveryTimeoutException("fake: no reply from cell " + cellId
                        + " within " + timeout.toMillis() + " ms"));
            } else {
                result.complete(done);
            }
        }
    }

    private final class Endpoint implements DiscoveryEndpoint {
        private final DiscoverySpec spec;
        private final InetSocketAddress unicast;
        final List<Served> served = new CopyOnWriteArrayList<>();
        private final List<Gathering> pending = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        Endpoint(DiscoverySpec spec, InetSocketAddress unicast) {
            this.spec = spec;
            this.unicast = unicast;
        }

        @Override
        public InetSocketAddress unicastAddress() {
            return unicast;
        }

        @Override
        public AutoCloseable serve(String cellId, DiscoveryHandler handler) throws TransportException {
            throw new TransportException("fake: the mesh serves with serveAsync");
        }

        @Override
        public CompletionStage<AutoCloseable> serveAsync(String cellId, DiscoveryResponder responder) {
            FakeTransport.Watched<AutoCloseable> done = net.stage("serving of cell " + cellId);
            if (closed || unservable.contains(cellId)) {
                done.completeExceptionally(new TransportException("fake: cannot serve cell " + cellId));
                return done;
            }
            Served s = new Served(cellId, responder, unicast, this);
            served.add(s);
            byCell.computeIfAbsent(cellId, k -> new CopyOnWriteArrayList<>()).add(s);
            done.complete(s);
            return done;
        }

        @Override
        public CompletionStage<List<DiscoveryReply>> request(String cellId, byte[] payload, Duration timeout,
                int maxReplies) {
            TreeAddress.checkCell(cellId, spec.span());
            FakeTransport.Watched<List<DiscoveryReply>> result = net.stage("discovery request to cell " + cellId);
            asked.add(new Asked(unicast, cellId, payload));
            if (closed) {
                result.completeExceptionally(new TransportException("fake: discovery endpoint closed"));
                return result;
            }
            if (unreachable) {
                result.completeExceptionally(new TransportException("fake: the request could not be sent"));
                return result;
            }
            Gathering g = new Gathering(cellId, Math.max(1, maxReplies), result);
            pending.add(g);
            result.whenComplete((r, e) -> pending.remove(g));
            g.timer = net.time.after(timeout.toMillis(), TimeUnit.MILLISECONDS, () -> g.expire(timeout));
            for (Served s : new ArrayList<>(byCell.getOrDefault(cellId, List.of()))) {
                if (s.closed) {
                    continue;
                }
                CompletionStage<byte[]> answer = net.call("responder of cell " + cellId,
                        () -> s.responder.answer(cellId, payload, unicast));
                if (answer == null) {
                    continue;
                }
                answer.whenComplete((bytes, failure) -> {
                    if (bytes == null || s.closed) {
                        return; // silent, or released meanwhile
                    }
                    byte[] arriving = replies.apply(cellId, bytes);
                    if (arriving != null) {
                        g.reply(s.address, arriving);
                    }
                });
            }
            return result;
        }

        @Override
        public void close() {
            closed = true;
            for (Gathering g : pending) {
                g.timer.cancel();
                g.result.completeExceptionally(new TransportException("fake: discovery endpoint closed"));
            }
            for (Served s : List.copyOf(served)) {
                s.close();
            }
        }
    }
}
