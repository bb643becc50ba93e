package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import p3.security.PeerIdentity;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryHandler;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoveryResponder;
import p3.transport.DiscoverySettings;
import p3.transport.DiscoverySpec;
import p3.transport.DiscoveryTimeoutException;
import p3.transport.TransportException;
import p3.transport.Rejection;
import p3.transport.TransportException;
import p3.transport.TreeAddress;

/**
 * A peer's discovery sockets: one unicast socket that sends requests and replies and receives
 * replies and seed requests, and one multicast socket per served cell, bound to the cell's
 * tree_pos_address. All handlers run on the discovery event loop; a responder's stage may complete
 * on any thread, and its reply leaves from there (a datagram write is safe from any thread).
 *
 * <p>With credentials ({@link DiscoverySpec#credentials()}) every datagram leaves signed
 * (version 2 of {@link DiscoveryDatagram}), each send to each destination with its own timestamp
 * and nonce, and every datagram that would be answered or taken as a reply is checked first by
 * {@link DatagramSeals}: an unsigned, untrusted, wrongly signed, stale or replayed one is dropped,
 * counted under its {@link Rejection} and logged at a bounded rate. What nobody here waits for
 * (a request to a cell not served, a reply to no pending request) is dropped before any check, as
 * before. The signer's identity goes to the responder and into the {@link DiscoveryReply}.
 *
 * <p>In the clear (no credentials) the endpoint sends version 1 and reads both versions, ignoring
 * a version 2's signature: it checks nothing, so it names no sender ({@code null}). A secured
 * endpoint and one in the clear therefore do not talk: the secured one refuses the other's
 * unsigned datagrams.
 *
 * <p>What the seal does not cover: the source address (a reply goes where the datagram came from,
 * and {@code from} is not vouched for) and the destination. Nonces are remembered per endpoint, so
 * a copy replayed within the window to an endpoint that never received the original (one that
 * serves the cell by seed only, or started serving it since) is taken once there. A flood of
 * datagrams that must be checked costs a signature check each (about 1 to 2 ms on one core with
 * the JDK 17 provider, more when not cached): it can slow discovery, not pass it.
 */
final class UdpDiscoveryEndpoint implements DiscoveryEndpoint {

    private static final System.Logger LOG = System.getLogger(UdpDiscoveryEndpoint.class.getName());
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime());
    /** The serving a cell socket was opened for: its requests go to that one, not to a later one. */
    private static final AttributeKey<Served> SERVED = AttributeKey.valueOf("p3.discovery.served");

    /** Large enough for any datagram: Netty's default of 2048 bytes would cut a signed one with a long payload. */
    private static final int MAX_DATAGRAM = 65_536;

    private final DiscoverySpec spec;
    /** Signs and checks; {@code null} in the clear. */
    private final DatagramSeals seals;
    private final RefusalLog refusals;
    private final EventLoopGroup loop;
    private final NetworkInterface multicastInterface;
    private final Counters counters;
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final List<Channel> cellSockets = new ArrayList<>();
    private Channel unicast;
    private volatile boolean closed;

    private UdpDiscoveryEndpoint(DiscoverySpec spec, DiscoverySettings settings, EventLoopGroup loop,
            NetworkInterface multicastInterface, Counters counters, RefusalLog refusals) {
        this.spec = spec;
        this.seals = spec.credentials() == null ? null : new DatagramSeals(spec.credentials(), settings);
        this.refusals = refusals;
        this.loop = loop;
        this.multicastInterface = multicastInterface;
        this.counters = counters;
    }

    static UdpDiscoveryEndpoint open(DiscoverySpec spec, DiscoverySettings settings, EventLoopGroup loop,
            InetAddress bindAddress, NetworkInterface multicastInterface, Counters counters, RefusalLog refusals)
            throws TransportException {
        UdpDiscoveryEndpoint e;
        try {
            e = new UdpDiscoveryEndpoint(spec, settings, loop, multicastInterface, counters, refusals);
        } catch (IllegalArgumentException bad) {
            throw new TransportException("discovery: " + bad.getMessage(), bad);
        }
        ChannelFuture bound = datagramBootstrap(e, loop)
                .option(ChannelOption.IP_MULTICAST_IF, multicastInterface)
                .option(ChannelOption.IP_MULTICAST_TTL, settings.ipTtl())
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false)
                .bind(new InetSocketAddress(bindAddress, spec.unicastPort())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new TransportException("discovery: cannot bind " + bindAddress + ":" + spec.unicastPort() + ": "
                    + bound.cause(), bound.cause());
        }
        e.unicast = bound.channel();
        return e;
    }

    private static Bootstrap datagramBootstrap(UdpDiscoveryEndpoint e, EventLoopGroup loop) {
        return new Bootstrap().group(loop)
                .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(e.new Receiver());
    }

    /** How log lines name this endpoint: its peer when it has credentials, else its address. */
    private String name() {
        if (seals != null) {
            return seals.identity().peerId();
        }
        Channel u = unicast;
        return u == null ? "?" : String.valueOf(u.localAddress());
    }

    @Override
    public InetSocketAddress unicastAddress() {
        return (InetSocketAddress) unicast.localAddress();
    }

    /**
     * The 1.0 form: waits for the cell's socket, as it always did; the handler's reply leaves at once.
     * Not on the discovery event loop, which would wait for itself.
     */
    @Override
    public AutoCloseable serve(String cellId, DiscoveryHandler handler) throws TransportException {
        for (EventExecutor e : loop) {
            if (e.inEventLoop()) {
                throw new IllegalStateException("discovery: serve waits for a socket, not on the discovery loop: "
                        + "use serveAsync");
            }
        }
        DiscoveryResponder responder = new DiscoveryResponder() {
            @Override
            public CompletionStage<byte[]> answer(String cell, byte[] payload, InetSocketAddress from) {
                return answer(cell, payload, from, null);
            }

            @Override
            public CompletionStage<byte[]> answer(String cell, byte[] payload, InetSocketAddress from,
                    PeerIdentity sender) {
                byte[] reply = handler.onRequest(cell, payload, from, sender);
                return reply == null ? null : CompletableFuture.completedFuture(reply);
            }
        };
        try {
            return serveAsync(cellId, responder).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TransportException t) {
                throw t;
            }
            throw new TransportException("discovery: cannot serve cell " + cellId + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public CompletionStage<AutoCloseable> serveAsync(String cellId, DiscoveryResponder responder) {
        TreeAddress.checkCell(cellId, spec.span());
        CompletableFuture<AutoCloseable> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new TransportException("discovery: cannot serve cell " + cellId
                    + ": the endpoint is closed"));
            return result;
        }
        Served s = new Served(cellId, responder);
        if (served.putIfAbsent(cellId, s) != null) {
            result.completeExceptionally(
                    new TransportException("discovery: cell " + cellId + " is already served by this endpoint"));
            return result;
        }
        // seeds are answered from now on; the cell's multicast socket follows
        if (!spec.multicast()) {
            result.complete(s);
            return result;
        }
        InetSocketAddress group = TreeAddress.of(spec.base(), cellId, spec.span());
        ChannelFuture bound = datagramBootstrap(this, loop)
                .option(ChannelOption.SO_REUSEADDR, true)
                .attr(SERVED, s)
                .bind(group);
        bound.addListener((ChannelFuture b) -> {
            if (!b.isSuccess()) {
                s.fail(result, new TransportException("discovery: cannot bind " + group + " for cell " + cellId + ": "
                        + b.cause(), b.cause()));
                return;
            }
            s.socket = b.channel();
            ((DatagramChannel) b.channel()).joinGroup(group, multicastInterface).addListener((ChannelFuture j) -> {
                if (!j.isSuccess()) {
                    s.fail(result, new TransportException("discovery: cannot join " + group + " on "
                            + multicastInterface.getName() + " for cell " + cellId + ": " + j.cause(), j.cause()));
                    return;
                }
                synchronized (cellSockets) {
                    if (!closed && !s.closed) {
                        cellSockets.add(j.channel());
                        result.complete(s);
                        return;
                    }
                }
                // closed while the socket opened: nobody holds it
                s.fail(result, new TransportException("discovery: cell " + cellId + " was released while its socket "
                        + "opened"));
            });
        });
        return result;
    }

    @Override
    public CompletionStage<List<DiscoveryReply>> request(String cellId, byte[] payload, Duration timeout,
            int maxReplies) {
        CompletableFuture<List<DiscoveryReply>> result = new CompletableFuture<>();
        if (payload.length > DiscoveryDatagram.MAX_PAYLOAD) {
            result.completeExceptionally(new IllegalArgumentException("discovery payload over "
                    + DiscoveryDatagram.MAX_PAYLOAD + " bytes: " + payload.length));
            return result;
        }
        TreeAddress.checkCell(cellId, spec.span());
        long id = IDS.incrementAndGet();
        List<InetSocketAddress> targets = new ArrayList<>(spec.seeds());
        if (spec.multicast()) {
            targets.add(0, TreeAddress.of(spec.base(), cellId, spec.span()));
        }
        if (targets.isEmpty()) {
            result.completeExceptionally(new DiscoveryTimeoutException(
                    "discovery: nowhere to ask for cell " + cellId + ": multicast is off and there are no seeds"));
            return result;
        }
        Pending p = new Pending(cellId, Math.max(1, maxReplies), result, targets);
        pending.put(id, p);
        p.timer = loop.next().schedule(() -> p.expire(id, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        DiscoveryDatagram request = new DiscoveryDatagram(true, id, cellId, payload);
        for (InetSocketAddress target : targets) {
            send(request, target).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    p.unsent(id, target, f.cause());
                }
            });
        }
        return result;
    }

    /** Sends one datagram to one destination: signed, its own nonce, when the endpoint has credentials. */
    private ChannelFuture send(DiscoveryDatagram d, InetSocketAddress to) {
        ByteBuf buf;
        if (seals != null) {
            buf = seals.seal(d);
        } else {
            buf = unicast.alloc().buffer(64 + d.payload().length);
            d.write(buf);
        }
        ChannelFuture sent = unicast.writeAndFlush(new DatagramPacket(buf, to));
        sent.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                LOG.log(Level.DEBUG, "discovery: cannot send to {0}: {1}", to, f.cause());
            }
        });
        return sent;
    }

    @Override
    public void close() {
        closed = true;
        for (Pending p : pending.values()) {
            p.result.completeExceptionally(new TransportException("discovery endpoint closed"));
        }
        pending.clear();
        List<Channel> sockets;
        synchronized (cellSockets) {
            sockets = new ArrayList<>(cellSockets);
            cellSockets.clear();
        }
        for (Served s : served.values()) {
            s.closed = true;
        }
        served.clear();
        for (Channel c : sockets) {
            c.close().awaitUninterruptibly();
        }
        unicast.close().awaitUninterruptibly();
    }

    /** One cell served; also the handle that releases it. */
    private final class Served implements AutoCloseable {
        final String cellId;
        final DiscoveryResponder responder;
        /** Set once released: no reply leaves after that, even from a stage completed later. */
        volatile boolean closed;
        /** The cell's multicast socket once bound; written on the loop, read by close() anywhere. */
        volatile Channel socket;

        Served(String cellId, DiscoveryResponder responder) {
            this.cellId = cellId;
            this.responder = responder;
        }

        /** Stops answering at once; the socket closes in the background. */
        @Override
        public void close() {
            closed = true;
            served.remove(cellId, this);
            Channel c = socket;
            if (c != null) {
                synchronized (cellSockets) {
                    cellSockets.remove(c);
                }
                c.close();
            }
        }

        void fail(CompletableFuture<AutoCloseable> result, TransportException e) {
            close();
            result.completeExceptionally(e);
        }

        /** Asks the responder, on the loop; the reply leaves when and where its stage completes. */
        void answer(DiscoveryDatagram d, InetSocketAddress from, PeerIdentity sender) {
            CompletionStage<byte[]> reply;
            try {
                reply = responder.answer(d.cellId(), d.payload(), from, sender);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> "discovery: responder of cell " + cellId + " failed", e);
                return;
            }
            if (reply == null) {
                return; // silent
            }
            reply.whenComplete((bytes, failure) -> {
                if (failure != null) {
                    LOG.log(Level.DEBUG, "discovery: responder of cell {0} failed to answer {1}: {2}", cellId, from,
                            failure);
                } else if (bytes != null && bytes.length > DiscoveryDatagram.MAX_PAYLOAD) {
                    LOG.log(Level.WARNING, "discovery: responder of cell {0} answered {1} bytes, over {2}: not sent",
                            cellId, bytes.length, DiscoveryDatagram.MAX_PAYLOAD);
                } else if (bytes != null && !closed) {
                    send(new DiscoveryDatagram(false, d.id(), d.cellId(), bytes), from);
                }
            });
        }
    }

    /** Replies gathered for one request, kept by responder so that a seed that is also reached by multicast counts once. */
    private final class Pending {
        final String cellId;
        final int maxReplies;
        final CompletableFuture<List<DiscoveryReply>> result;
        final List<InetSocketAddress> targets;
        final Map<InetSocketAddress, DiscoveryReply> replies = new LinkedHashMap<>();
        ScheduledFuture<?> timer;
        /** Destinations the request could not be sent to. */
        int unsent;

        Pending(String cellId, int maxReplies, CompletableFuture<List<DiscoveryReply>> result,
                List<InetSocketAddress> targets) {
            this.cellId = cellId;
            this.maxReplies = maxReplies;
            this.result = result;
            this.targets = targets;
        }

        synchronized void reply(long id, InetSocketAddress from, byte[] payload, PeerIdentity sender) {
            replies.putIfAbsent(from, new DiscoveryReply(from, payload, sender));
            if (replies.size() >= maxReplies && pending.remove(id) != null) {
                timer.cancel(false);
                result.complete(List.copyOf(replies.values()));
            }
        }

        /**
         * A send failed. When none left this host (its interface is down, it has no route) the request
         * fails at once, and not as a timeout: silence would be evidence that nobody is there, which a
         * cut host must not act on (one founded a root cell of its own).
         */
        synchronized void unsent(long id, InetSocketAddress to, Throwable cause) {
            if (++unsent < targets.size() || pending.remove(id) == null) {
                return;
            }
            timer.cancel(false);
            result.completeExceptionally(new TransportException("discovery: the request to cell " + cellId
                    + " could not be sent to " + targets + " (" + cause.getMessage() + ")", cause));
        }

        synchronized void expire(long id, Duration timeout) {
            if (pending.remove(id) == null) {
                return;
            }
            if (replies.isEmpty()) {
                result.completeExceptionally(new DiscoveryTimeoutException("discovery: no reply from cell " + cellId
                        + " at " + targets + " within " + timeout.toMillis() + " ms"));
            } else {
                result.complete(List.copyOf(replies.values()));
            }
        }
    }

    /** Sharable: one instance serves every socket of the endpoint. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            DiscoveryDatagram d = DiscoveryDatagram.read(packet.content());
            if (d == null) {
                refuse(Rejection.BAD_DATAGRAM, Level.DEBUG, packet.sender(), "not one of ours");
                return;
            }
            if (d.request()) {
                Served s = servedFor(ctx.channel(), d);
                if (s == null) {
                    return; // a seed asked about a cell this peer does not serve, or no longer: nothing to check
                }
                DatagramSeals.Verdict v = admit(d, packet.sender());
                if (v != null) {
                    s.answer(d, packet.sender(), v.sender());
                }
            } else {
                Pending p = pending.get(d.id());
                if (p == null || !p.cellId.equals(d.cellId())) {
                    return; // late, or not an answer to what was asked
                }
                DatagramSeals.Verdict v = admit(d, packet.sender());
                if (v != null) {
                    p.reply(d.id(), packet.sender(), d.payload(), v.sender());
                }
            }
        }

        /** @return the verdict of an accepted datagram (no sender in the clear), or null once refused */
        private DatagramSeals.Verdict admit(DiscoveryDatagram d, InetSocketAddress from) {
            if (seals == null) {
                return DatagramSeals.Verdict.accept(null); // in the clear: a signature, if any, is ignored
            }
            DatagramSeals.Verdict v = seals.check(d, System.currentTimeMillis(), System.nanoTime());
            if (v.refused() != null) {
                refuse(v.refused(), Level.WARNING, from, (d.request() ? "request to cell " : "reply from cell ")
                        + d.cellId() + ": " + v.why());
                return null;
            }
            return v;
        }

        private void refuse(Rejection reason, Level level, InetSocketAddress from, String why) {
            counters.reject(reason);
            // why may quote a certificate's subject, which the sender wrote: no control characters into the log
            refusals.refused(reason, level, () -> "discovery " + name() + ": refused " + reason + " from " + from
                    + ", " + why.replaceAll("\\p{Cntrl}", "?"), System.nanoTime());
        }

        private Served servedFor(Channel socket, DiscoveryDatagram d) {
            // a cell socket answers for the serving it was opened for (a socket still closing must not
            // answer for a later serving of the cell); the unicast socket for whoever serves the cell now
            Served s = socket.attr(SERVED).get();
            if (s == null) {
                s = served.get(d.cellId());
            } else if (!s.cellId.equals(d.cellId())) {
                s = null;
            }
            return s == null || s.closed ? null : s;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, "discovery: socket error: {0}", cause);
        }
    }
}
