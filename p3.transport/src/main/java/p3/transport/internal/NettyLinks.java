package p3.transport.internal;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import p3.security.PeerCredentials;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.LinkSettings;
import p3.transport.Links;
import p3.transport.TrafficClass;
import p3.transport.TransportException;
import p3.transport.TransportStats;

/** Links over Netty TCP, on one set of event loops shared by every link of the runtime. */
@Component(service = Links.class, immediate = true, configurationPid = NettyLinks.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NettyLinks.Config.class)
public final class NettyLinks implements Links {

    public static final String PID = "p3.transport.links";
    private static final String TLS_1_3 = "TLSv1.3";

    @ObjectClassDefinition(name = "P3 links", description = "TCP links between peers, one per traffic class")
    public @interface Config {
        @AttributeDefinition(description = "Event loop threads shared by all links of this runtime")
        int ioThreads() default 2;

        @AttributeDefinition(description = "Disable Nagle's algorithm (true sends every frame at once)")
        boolean tcpNoDelay() default true;

        @AttributeDefinition(description = "Largest frame accepted, header included, in bytes")
        int maxFrameLength() default 1 << 20;

        @AttributeDefinition(description = "Outbound bytes under which a full link accepts frames again")
        int writeBufferLowWaterMark() default 256 << 10;

        @AttributeDefinition(description = "Outbound bytes over which a link refuses frames")
        int writeBufferHighWaterMark() default 1 << 20;

        @AttributeDefinition(description = "Time a connection, its TLS handshake and its HELLO exchange may take, in ms")
        int connectTimeoutMs() default 8000;

        @AttributeDefinition(description = "A MESH link idle for this long sends a heartbeat, in ms (links of the other classes send none)")
        int heartbeatMs() default 200;

        @AttributeDefinition(description = "A MESH link that received nothing for this long is closed as dead, in ms (the mesh then closes the links of the other classes to that peer)")
        int idleTimeoutMs() default 1000;

        @AttributeDefinition(description = "Mark each class's sockets with its DSCP (IP traffic class)")
        boolean ipTos() default true;

        @AttributeDefinition(description = "TLS implementation of the links: the JDK's, or OpenSSL through "
                + "netty-tcnative (its native library must be present)", options = {
                        @Option(value = "jdk", label = "JDK (SunJSSE)"), @Option(value = "openssl", label = "OpenSSL") })
        String tlsProvider() default "jdk";
    }

    private final LinkSettings settings;
    private final EventLoopGroup loops;
    private final Counters counters = new Counters();
    private final Refusals refusals = new Refusals(counters, "link");
    /** Each local peer's TLS contexts, made on its first link; weak, so a peer gone takes its own along. */
    private final Map<PeerCredentials, TlsContexts> tls = Collections.synchronizedMap(new WeakHashMap<>());
    /** Each event loop's liveness timer, which ticks all the links of that loop. */
    private final Map<EventLoop, Liveness.Ticker> tickers = new ConcurrentHashMap<>();

    @Activate
    public NettyLinks(Config c) {
        this(new LinkSettings(c.ioThreads(), c.tcpNoDelay(), c.maxFrameLength(), c.writeBufferLowWaterMark(),
                c.writeBufferHighWaterMark(), c.connectTimeoutMs(), c.heartbeatMs(), c.idleTimeoutMs(), c.ipTos(),
                LinkSettings.TlsProvider.parse(c.tlsProvider())));
    }

    public NettyLinks(LinkSettings settings) {
        this.settings = settings;
        if (settings.tlsProvider() == LinkSettings.TlsProvider.OPENSSL && !OpenSsl.isAvailable()) {
            throw new IllegalArgumentException("tlsProvider openssl: netty-tcnative is not available: "
                    + OpenSsl.unavailabilityCause());
        }
        this.loops = new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("p3-link", true),
                NioIoHandler.newFactory());
    }

    @Deactivate
    public void close() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public LinkSettings settings() {
        return settings;
    }

    @Override
    public TransportStats stats() {
        return counters;
    }

    @Override
    public LinkServer listen(InetSocketAddress bind, String localPeer, LinkHandler handler) throws TransportException {
        return listen(bind, localPeer, null, handler);
    }

    @Override
    public LinkServer listen(InetSocketAddress bind, PeerCredentials credentials, LinkHandler handler)
            throws TransportException {
        return listen(bind, credentials.identity().peerId(), tls(credentials).server(), handler);
    }

    @Override
    public CompletionStage<Link> connect(InetSocketAddress remote, String localPeer, TrafficClass trafficClass,
            LinkHandler handler) {
        return connect(remote, localPeer, null, trafficClass, handler);
    }

    @Override
    public CompletionStage<Link> connect(InetSocketAddress remote, PeerCredentials credentials,
            TrafficClass trafficClass, LinkHandler handler) {
        try {
            return connect(remote, credentials.identity().peerId(), tls(credentials).client(), trafficClass, handler);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
    }

    /** @param tls the peer's server context, or null for links in the clear */
    private LinkServer listen(InetSocketAddress bind, String localPeer, SslContext tls, LinkHandler handler)
            throws TransportException {
        ChannelGroup accepted = new DefaultChannelGroup("links of " + localPeer, GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, settings.tcpNoDelay())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.lowWaterMark(), settings.highWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        compose(ch, tls, new NettyLink(ch, localPeer, null, handler, counters, refusals, false, settings.ipTos(),
                                tls != null));
                    }
                });
        ChannelFuture bound = b.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new TransportException(localPeer + ": cannot listen on " + bind + ": " + bound.cause(), bound.cause());
        }
        return new NettyLinkServer(bound.channel(), accepted);
    }

    /** @param tls the peer's client context, or null for a link in the clear */
    private CompletionStage<Link> connect(InetSocketAddress remote, String localPeer, SslContext tls,
            TrafficClass trafficClass, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, settings.tcpNoDelay())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMs())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.lowWaterMark(), settings.highWaterMark()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        NettyLink link = new NettyLink(ch, localPeer, trafficClass, handler, counters, refusals, true,
                                settings.ipTos(), tls != null);
                        compose(ch, tls, link);
                        link.opened.whenComplete((l, e) -> {
                            if (e == null) {
                                result.complete(l);
                            } else {
                                result.completeExceptionally(e);
                            }
                        });
                        // a listener that accepts but never says HELLO must not hang the caller
                        ch.eventLoop().schedule(() -> {
                            if (!link.opened.isDone()) {
                                link.opened.completeExceptionally(new TransportException(localPeer + ": no HELLO from "
                                        + remote + " within " + settings.connectTimeoutMs() + " ms"));
                                link.abort();
                            }
                        }, settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
                    }
                });
        b.connect(remote).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException(
                        localPeer + ": cannot connect " + trafficClass.id() + " link to " + remote + ": " + f.cause(),
                        f.cause()));
            }
        });
        return result;
    }

    /**
     * TLS when secured, then liveness (so that any input counts as life), framing and the link, which
     * encodes what it sends itself. The handshake must end within the connect timeout, like the HELLO
     * exchange after it. Liveness ticks on the channel's loop (see {@link Liveness} for why not
     * Netty's IdleStateHandler), for MESH links only; an accepted link, whose class its HELLO tells,
     * is watched until then.
     */
    private void compose(Channel ch, SslContext tls, NettyLink link) {
        if (tls != null) {
            // the handshake's tasks run on the loop. An executor for them was tried: it did not save a
            // busy machine's mesh in our loops, and Netty's pull request 14411 describes a stall of
            // TLS 1.3 with delegated tasks when data is written during the handshake, as HELLO is
            SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(settings.connectTimeoutMs());
            ch.pipeline().addLast(ssl);
        }
        if (Liveness.watches(link.trafficClass())) {
            ch.pipeline().addLast(new Liveness(ticker(ch.eventLoop()),
                    Liveness.idleTicks(settings.heartbeatMs(), settings.idleTimeoutMs())));
        }
        ch.pipeline().addLast(new FrameDecoder(settings.maxFrameLength(), counters), link);
    }

    private Liveness.Ticker ticker(EventLoop loop) {
        return tickers.computeIfAbsent(loop, l -> new Liveness.Ticker(l, settings.heartbeatMs()));
    }

    /** For a test: how many links the loops' liveness timers tick. */
    int tickedLinks() {
        return tickers.values().stream().mapToInt(Liveness.Ticker::size).sum();
    }

    private TlsContexts tls(PeerCredentials c) {
        return tls.computeIfAbsent(c, this::newTls);
    }

    /**
     * TLS 1.3 only, both ends authenticated by the mesh's trust. No host name check: a peer is known
     * by the PeerId in its certificate, which its HELLO must repeat, not by its address.
     */
    private TlsContexts newTls(PeerCredentials c) {
        SslProvider provider = settings.tlsProvider() == LinkSettings.TlsProvider.OPENSSL ? SslProvider.OPENSSL
                : SslProvider.JDK;
        try {
            SslContext server = SslContextBuilder.forServer(c.privateKey(), c.chain())
                    .trustManager(c.trust().trustManager()).clientAuth(ClientAuth.REQUIRE)
                    .protocols(TLS_1_3).sslProvider(provider).build();
            SslContext client = SslContextBuilder.forClient().keyManager(c.privateKey(), c.chain())
                    .trustManager(c.trust().trustManager()).endpointIdentificationAlgorithm(null)
                    .protocols(TLS_1_3).sslProvider(provider).build();
            return new TlsContexts(server, client);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make the TLS contexts of " + c.identity() + ": " + e, e);
        }
    }

    private record TlsContexts(SslContext server, SslContext client) {}

    private static final class NettyLinkServer implements LinkServer {
        private final Channel server;
        private final ChannelGroup accepted;

        NettyLinkServer(Channel server, ChannelGroup accepted) {
            this.server = server;
            this.accepted = accepted;
        }

        @Override
        public InetSocketAddress address() {
            return (InetSocketAddress) server.localAddress();
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
            for (Channel ch : accepted) {
                NettyLink link = ch.pipeline().get(NettyLink.class);
                if (link != null) {
                    link.close();
                } else {
                    ch.close();
                }
            }
        }

        @Override
        public void abort() {
            server.close().syncUninterruptibly();
            for (Channel ch : accepted) {
                NettyLink link = ch.pipeline().get(NettyLink.class);
                if (link != null) {
                    link.abort();
                } else {
                    ch.close();
                }
            }
        }
    }
}
