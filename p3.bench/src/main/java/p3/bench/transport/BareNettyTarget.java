package p3.bench.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import p3.transport.LinkSettings;

/**
 * The baseline: the least Netty needs to carry the same frames. A client and a server on one group
 * of NIO event loops, TCP_NODELAY and the watermarks of the P3 defaults; each frame is a 4-byte
 * length ({@link LengthFieldPrepender}) and the stamped {@code byte[]} payload, written with one
 * {@code writeAndFlush} as a P3 link does, and read with a {@link LengthFieldBasedFrameDecoder}.
 * The server is registered first and the client second, as in the P3 run, so that the two ends of
 * the connection sit on different loops in both.
 */
final class BareNettyTarget implements BenchTarget {

    static final String LOOP_PREFIX = "bare-netty";
    private static final int LENGTH_FIELD = 4;

    private final EventLoopGroup loops;
    private final ChannelGroup channels = new DefaultChannelGroup("bare netty bench", ImmediateEventExecutor.INSTANCE);
    private final int payloadBytes;
    private Channel client;

    private BareNettyTarget(int ioThreads, int payloadBytes) {
        this.loops = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory(LOOP_PREFIX, true),
                NioIoHandler.newFactory());
        this.payloadBytes = payloadBytes;
    }

    static BenchTarget open(int ioThreads, int payloadBytes, Arrivals arrivals) throws Exception {
        BareNettyTarget t = new BareNettyTarget(ioThreads, payloadBytes);
        try {
            t.connect(arrivals);
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    private void connect(Arrivals arrivals) throws InterruptedException {
        LinkSettings p3 = LinkSettings.defaults();
        WriteBufferWaterMark waterMarks = new WriteBufferWaterMark(p3.lowWaterMark(), p3.highWaterMark());
        int maxFrame = payloadBytes + LENGTH_FIELD;
        Channel server = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMarks)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(
                                new LengthFieldBasedFrameDecoder(maxFrame, 0, LENGTH_FIELD, 0, LENGTH_FIELD),
                                new Receiver(arrivals));
                    }
                })
                .bind(new InetSocketAddress(Loopback.ADDRESS, 0)).sync().channel();
        channels.add(server);
        client = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMarks)
                .handler(new LengthFieldPrepender(LENGTH_FIELD))
                .connect(server.localAddress()).sync().channel();
        channels.add(client);
    }

    @Override
    public boolean send(long sequence, long sendNanos) {
        if (!client.isWritable()) {
            return false;
        }
        client.writeAndFlush(Unpooled.wrappedBuffer(BenchTarget.payload(payloadBytes, sendNanos, sequence)),
                client.voidPromise());
        return true;
    }

    @Override
    public boolean isWritable() {
        return client.isWritable();
    }

    @Override
    public String loopThreadPrefix() {
        return LOOP_PREFIX;
    }

    @Override
    public int wireBytesPerFrame() {
        return LENGTH_FIELD + payloadBytes;
    }

    @Override
    public void close() {
        try {
            channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        } finally {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Reads the stamp of each frame. Not sharable: one per accepted connection. */
    private static final class Receiver extends ChannelInboundHandlerAdapter {
        private final Arrivals arrivals;

        Receiver(Arrivals arrivals) {
            this.arrivals = arrivals;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            ByteBuf frame = (ByteBuf) msg;
            try {
                int at = frame.readerIndex();
                arrivals.arrived(frame.getLong(at + 8), frame.getLong(at), now);
            } finally {
                frame.release();
            }
        }
    }
}
