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
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryHandler;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoverySpec;
import p3.transport.DiscoveryTimeoutException;
import p3.transport.Rejection;
import p3.transport.TransportException;
import p3.transport.TreeAddress;

/**
 * A peer's discovery sockets: one unicast socket that sends requests and replies and receives
 * replies and seed requests, and one multicast socket per served cell, bound to the cell's
 * tree_pos_address. All handlers run on the discovery event loop.
 */
final class UdpDiscoveryEndpoint implements DiscoveryEndpoint {

    private static final System.Logger LOG = System.getLogger(UdpDiscoveryEndpoint.class.getName());
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime());

    private final DiscoverySpec spec;
    private final EventLoopGroup loop;
    private final NetworkInterface multicastInterface;
    private final Counters counters;
    private final Map<String, DiscoveryHandler> served = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final List<Channel> cellSockets = new ArrayList<>();
    private Channel unicast;

    private UdpDiscoveryEndpoint(DiscoverySpec spec, EventLoopGroup loop, NetworkInterface multicastInterface,
            Counters counters) {
        this.spec = spec;
        this.loop = loop;
        this.multicastInterface = multicastInterface;
        this.counters = counters;
    }

    static UdpDiscoveryEndpoint open(DiscoverySpec spec, EventLoopGroup loop, InetAddress bindAddress,
            NetworkInterface multicastInterface, int ipTtl, Counters counters) throws TransportException {
        UdpDiscoveryEndpoint e = new UdpDiscoveryEndpoint(spec, loop, multicastInterface, counters);
        ChannelFuture bound = datagramBootstrap(e, loop)
                .option(ChannelOption.IP_MULTICAST_IF, multicastInterface)
                .option(ChannelOption.IP_MULTICAST_TTL, ipTtl)
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
                .handler(e.new Receiver());
    }

    @Override
    public InetSocketAddress unicastAddress() {
        return (InetSocketAddress) unicast.localAddress();
    }

    @Override
    public AutoCloseable serve(String cellId, DiscoveryHandler handler) throws TransportException {
        TreeAddress.checkCell(cellId, spec.span());
        if (served.putIfAbsent(cellId, handler) != null) {
            throw new TransportException("discovery: cell " + cellId + " is already served by this endpoint");
        }
        Channel socket = null;
        if (spec.multicast()) {
            InetSocketAddress group = TreeAddress.of(spec.base(), cellId, spec.span());
            ChannelFuture bound = datagramBootstrap(this, loop)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .bind(group).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                served.remove(cellId);
                throw new TransportException("discovery: cannot bind " + group + " for cell " + cellId + ": "
                        + bound.cause(), bound.cause());
            }
            ChannelFuture joined = ((DatagramChannel) bound.channel()).joinGroup(group, multicastInterface)
                    .awaitUninterruptibly();
            if (!joined.isSuccess()) {
                bound.channel().close();
                served.remove(cellId);
                throw new TransportException("discovery: cannot join " + group + " on " + multicastInterface.getName()
                        + " for cell " + cellId + ": " + joined.cause(), joined.cause());
            }
            socket = bound.channel();
            synchronized (cellSockets) {
                cellSockets.add(socket);
            }
        }
        Channel cellSocket = socket;
        return () -> {
            served.remove(cellId, handler);
            if (cellSocket != null) {
                synchronized (cellSockets) {
                    cellSockets.remove(cellSocket);
                }
                cellSocket.close().awaitUninterruptibly();
            }
        };
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
            send(request, target);
        }
        return result;
    }

    private void send(DiscoveryDatagram d, InetSocketAddress to) {
        ByteBuf buf = unicast.alloc().buffer(64 + d.payload().length);
        d.write(buf);
        unicast.writeAndFlush(new DatagramPacket(buf, to)).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                LOG.log(Level.DEBUG, "discovery: cannot send to {0}: {1}", to, f.cause());
            }
        });
    }

    @Override
    public void close() {
        for (Pending p : pending.values()) {
            p.result.completeExceptionally(new TransportException("discovery endpoint closed"));
        }
        pending.clear();
        List<Channel> sockets;
        synchronized (cellSockets) {
            sockets = new ArrayList<>(cellSockets);
            cellSockets.clear();
        }
        served.clear();
        for (Channel c : sockets) {
            c.close().awaitUninterruptibly();
        }
        unicast.close().awaitUninterruptibly();
    }

    /** Replies gathered for one request, kept by responder so that a seed that is also reached by multicast counts once. */
    private final class Pending {
        final String cellId;
        final int maxReplies;
        final CompletableFuture<List<DiscoveryReply>> result;
        final List<InetSocketAddress> targets;
        final Map<InetSocketAddress, DiscoveryReply> replies = new LinkedHashMap<>();
        ScheduledFuture<?> timer;

        Pending(String cellId, int maxReplies, CompletableFuture<List<DiscoveryReply>> result,
                List<InetSocketAddress> targets) {
            this.cellId = cellId;
            this.maxReplies = maxReplies;
            this.result = result;
            this.targets = targets;
        }

        synchronized void reply(long id, InetSocketAddress from, byte[] payload) {
            replies.putIfAbsent(from, new DiscoveryReply(from, payload));
            if (replies.size() >= maxReplies && pending.remove(id) != null) {
                timer.cancel(false);
                result.complete(List.copyOf(replies.values()));
            }
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
                counters.reject(Rejection.BAD_DATAGRAM);
                LOG.log(Level.DEBUG, "discovery: dropped a datagram from {0} that is not ours", packet.sender());
                return;
            }
            if (d.request()) {
                answer(d, packet.sender());
            } else {
                Pending p = pending.get(d.id());
                if (p != null) {
                    p.reply(d.id(), packet.sender(), d.payload());
                }
            }
        }

        private void answer(DiscoveryDatagram d, InetSocketAddress from) {
            DiscoveryHandler handler = served.get(d.cellId());
            if (handler == null) {
                return; // a seed asked about a cell this peer does not serve
            }
            byte[] reply;
            try {
                reply = handler.onRequest(d.cellId(), d.payload(), from);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> "discovery: handler of cell " + d.cellId() + " failed", e);
                return;
            }
            if (reply != null) {
                send(new DiscoveryDatagram(false, d.id(), d.cellId(), reply), from);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, "discovery: socket error: {0}", cause);
        }
    }
}
