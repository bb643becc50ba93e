package p3.transport.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import p3.security.PeerIdentity;
import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.Rejection;
import p3.transport.TrafficClass;
import p3.transport.TransportException;

/**
 * One link: the last handler of a connection's pipeline and the {@link Link} that callers hold.
 * Not sharable. The connecting side says HELLO first (its peer and the link's class); the accepting
 * side answers HELLO with its own peer; only then is the link open. Anything but HELLO before
 * that is a protocol error. Over TLS, each side's HELLO must name the peer of its certificate.
 */
final class NettyLink extends ChannelInboundHandlerAdapter implements Link {

    private static final System.Logger LOG = System.getLogger(NettyLink.class.getName());
    private static final byte[] NONE = new byte[0];

    private final Channel channel;
    private final String localPeer;
    private final LinkHandler handler;
    private final Counters counters;
    private final Refusals refusals;
    private final boolean connecting;
    private final boolean markIpTos;
    /** Over TLS: the remote peer's certificate names it, and its HELLO must too. */
    private final boolean secured;
    /** Completes when the link is open; fails when it closes before. */
    final CompletableFuture<Link> opened = new CompletableFuture<>();

    private volatile TrafficClass trafficClass;
    private volatile String remotePeer = "";
    private volatile PeerIdentity remoteIdentity;
    private volatile CloseReason closeReason;
    private boolean open; // event loop only

    NettyLink(Channel channel, String localPeer, TrafficClass trafficClass, LinkHandler handler, Counters counters,
            Refusals refusals, boolean connecting, boolean markIpTos, boolean secured) {
        this.refusals = refusals;
        this.markIpTos = markIpTos;
        this.secured = secured;
        this.channel = channel;
        this.localPeer = localPeer;
        this.trafficClass = trafficClass;
        this.handler = handler;
        this.counters = counters;
        this.connecting = connecting;
    }

    @Override
    public String remotePeer() {
        return remotePeer;
    }

    @Override
    public PeerIdentity remoteIdentity() {
        return remoteIdentity;
    }

    @Override
    public TrafficClass trafficClass() {
        return trafficClass;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public boolean send(Frame frame) {
        if (!channel.isWritable()) { // false when closed, too
            counters.framesRefused.increment();
            return false;
        }
        write(channel, frame);
        return true;
    }

    /** Encodes on the caller's thread, so that the frame is the caller's again once this returns. */
    private void write(Channel ch, Frame frame) {
        ByteBuf bytes = FrameEncoder.encode(ch.alloc(), frame);
        counters.framesSent.increment();
        counters.bytesSent.add(bytes.readableBytes());
        ch.writeAndFlush(bytes, ch.voidPromise());
    }

    /** For a test: the loop this link runs on. */
    io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        closeWith(CloseReason.CLOSED, false);
    }

    @Override
    public void abort() {
        closeWith(CloseReason.ABORTED, true);
    }

    /** The first reason given wins; an abrupt close resets the connection instead of a FIN. */
    void closeWith(CloseReason reason, boolean reset) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (!reset) {
            channel.close();
        } else if (channel.eventLoop().inEventLoop()) {
            reset();
        } else {
            try {
                channel.eventLoop().execute(this::reset);
            } catch (RejectedExecutionException e) {
                channel.close(); // the loop is gone, and the socket with it
            }
        }
    }

    /** On the event loop, so that the socket cannot close between the check and the option. */
    private void reset() {
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException e) {
                // closing anyway
            }
        }
        channel.close();
    }

    /** The class's DSCP on the socket; where the platform refuses it, the link works unmarked. */
    void markTrafficClass() {
        if (markIpTos && trafficClass != null) {
            try {
                channel.config().setOption(ChannelOption.IP_TOS, trafficClass.ipTos());
            } catch (ChannelException e) {
                LOG.log(Level.DEBUG, "{0}: IP_TOS refused on {1}: {2}", localPeer, channel, e.toString());
            }
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        markTrafficClass();
        if (connecting) {
            write(ctx.channel(), hello());
        }
        ctx.fireChannelActive();
    }

    private Frame hello() {
        return new Frame(FrameType.HELLO, trafficClass, 0, localPeer, "", "", "", 0, System.nanoTime(), NONE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        try {
            read(ctx, frame);
        } finally {
            frame.release(); // a handler that keeps the frame has retained or copied it
        }
    }

    private void read(ChannelHandlerContext ctx, Frame frame) {
        if (!open) {
            if (frame.type() != FrameType.HELLO) {
                reject(Rejection.NO_HELLO, frame.type() + " before HELLO");
                return;
            }
            if (secured && !certified(ctx, frame.sourcePeer())) {
                return;
            }
            open = true;
            remotePeer = frame.sourcePeer();
            if (!connecting) {
                trafficClass = frame.trafficClass();
                markTrafficClass();
                if (!Liveness.watches(trafficClass)) {
                    Liveness.unwatch(ctx.pipeline());
                }
                write(ctx.channel(), hello());
            }
            counters.linksOpened.increment();
            guard("onOpen", () -> handler.onOpen(this));
            opened.complete(this);
            return;
        }
        if (frame.type() == FrameType.HELLO || frame.type() == FrameType.HEARTBEAT) {
            return;
        }
        try {
            handler.onFrame(this, frame);
        } catch (RuntimeException e) {
            // a faulty handler costs its frame, never the link
            LOG.log(Level.WARNING, () -> localPeer + ": link handler failed on " + frame, e);
        }
    }

    /**
     * Whether the HELLO's peer is the one the certificate names; the handshake has checked the
     * certificate already (the mesh's CA, validity, revocation). Refuses the link when not.
     */
    private boolean certified(ChannelHandlerContext ctx, String hello) {
        PeerIdentity who;
        try {
            Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            who = PeerIdentity.of((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException | CertificateException | RuntimeException e) {
            reject(Rejection.UNTRUSTED_PEER, "no usable certificate (" + e.getMessage() + ")");
            return false;
        }
        if (!who.peerId().equals(hello)) {
            reject(Rejection.IMPERSONATION, "HELLO as " + hello + " with the certificate of " + who);
            return false;
        }
        remoteIdentity = who;
        return true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (!handshake.isSuccess()) {
                handshakeFailed(handshake.cause());
            }
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                LOG.log(Level.INFO, "{0}: link {1} to {2} idle, closing", localPeer, trafficClass, describe());
                closeWith(CloseReason.IDLE, true);
            } else if (idle.state() == IdleState.WRITER_IDLE && open) {
                counters.heartbeatsSent.increment();
                write(ctx.channel(), new Frame(FrameType.HEARTBEAT, trafficClass, 0, "", "", "", "", 0, 0, NONE));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A handshake that failed here is a refusal (counted): the other end presented no certificate
     * of this mesh, or spoke no TLS. One that the other end refused (an alert received) is its
     * refusal, counted there; here the link just fails to open.
     */
    private void handshakeFailed(Throwable cause) {
        String why = String.valueOf(cause.getMessage());
        if (why.contains("Received fatal alert") || abandoned(why) || cause instanceof ClosedChannelException
                || !channel.isActive()) {
            // refused by the other end, or the connection went away mid-handshake (a child that gave up)
            LOG.log(Level.DEBUG, "{0}: TLS to {1} refused by the other end: {2}", localPeer, describe(), why);
            closeWith(CloseReason.RESET, true);
        } else {
            reject(Rejection.UNTRUSTED_PEER, "TLS handshake failed: " + why);
        }
    }

    /**
     * A record of two bytes that does not decrypt: an alert sent before the other end had the
     * handshake's keys, which is how the JDK's engine says that it gave up (its connect timed out,
     * say). Counted as an untrusted peer, these made a busy machine's own peers look like hundreds of
     * impostors.
     */
    private static boolean abandoned(String why) {
        return why.contains("AEAD cipher fragment (2)");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof RejectedFrameException rejected) {
            reject(rejected.reason, rejected.getMessage());
        } else if (secured && !open && (cause instanceof DecoderException || cause instanceof SSLException)) {
            handshakeFailed(cause.getCause() != null ? cause.getCause() : cause);
        } else if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, "{0}: link {1} to {2} failed: {3}", localPeer, trafficClass, describe(), cause);
            closeWith(CloseReason.RESET, true);
        } else {
            LOG.log(Level.WARNING, () -> localPeer + ": link " + trafficClass + " to " + describe() + " failed", cause);
            closeWith(CloseReason.RESET, true);
        }
    }

    private void reject(Rejection reason, String detail) {
        if (closeReason != null) {
            return; // the rest of a connection already refused
        }
        refusals.refuse(reason, localPeer, "closed the connection of " + describe() + ": " + detail);
        closeWith(CloseReason.PROTOCOL_ERROR, true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        CloseReason reason = closeReason != null ? closeReason : CloseReason.REMOTE_CLOSED;
        if (open) {
            counters.linksClosed.increment();
            guard("onClose", () -> handler.onClose(this, reason));
        } else {
            opened.completeExceptionally(new TransportException(
                    "link " + trafficClass + " to " + channel.remoteAddress() + " closed before HELLO: " + reason));
        }
        ctx.fireChannelInactive();
    }

    private void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> localPeer + ": link handler failed in " + what, e);
        }
    }

    private String describe() {
        return (remotePeer.isEmpty() ? "" : remotePeer + " ") + channel.remoteAddress();
    }

    @Override
    public String toString() {
        return "Link[" + localPeer + " -> " + describe() + ", " + trafficClass + "]";
    }
}
