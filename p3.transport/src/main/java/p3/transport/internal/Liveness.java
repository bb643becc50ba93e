package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import p3.transport.TrafficClass;

/**
 * A link's liveness, counted in ticks of its event loop rather than in wall-clock time. Not
 * sharable. Each tick, a link that wrote nothing since the last one is told {@link
 * IdleStateEvent#WRITER_IDLE_STATE_EVENT} (it sends a heartbeat), and one that read nothing for
 * {@code idleTicks} ticks in a row {@link IdleStateEvent#READER_IDLE_STATE_EVENT} (it closes as dead).
 *
 * <p>Only MESH links are watched ({@link #watches}): the liveness of a pair of peers rides on their
 * MESH link, and the mesh closes the pair's other links when that one dies. Links of the other
 * classes send no heartbeats and are not closed for silence; they still close on a TCP close or
 * reset, a write that fails, a TLS error, or when the mesh closes them. Why: at scale (500 sensors
 * and 170 super-peers in one JVM on 2 cores, thousands of links) the heartbeats of every link took
 * most of the event loops. The receiving end of a data link never writes, so it sent 4 heartbeats a
 * second on every inbound data link, and idle backup links sent them both ways, while one link per
 * pair of peers is enough to tell that the other end is alive. An accepted link learns its class
 * from the HELLO: it is watched until then (a connection that never says HELLO is closed as idle),
 * and {@link #unwatch} takes it off its loop's ticks once the class is known not to be MESH.
 *
 * <p>Why ticks and not Netty's {@code IdleStateHandler}: that one compares timestamps, so a pause of
 * the whole process longer than the idle timeout (a GC pause, a starved process) closes every link
 * at once, though nothing was wrong with the other ends: their heartbeats are sitting unread in the
 * sockets. Seen forming 500 sensors in one JVM on a shared 2-core machine: a 4.9 s young pause while
 * the JVM got 10 to 25 % of a core, then hundreds of links closed as idle within the same second,
 * every child rebinding at once, and the mesh never formed. A late tick counts as one tick, and the
 * loop reads what arrived during the pause before it runs the tick, so only a far end that stays
 * silent while this loop runs is closed. It is also one timer per loop instead of two per link.
 */
final class Liveness extends ChannelDuplexHandler {

    private final Ticker ticker;
    private final int idleTicks;
    private boolean read; // event loop only, like the rest
    private boolean wrote;
    private int silentTicks;
    /** Position in the ticker's list, for a removal in constant time; -1 when not registered. */
    private int slot = -1;
    private ChannelHandlerContext ctx;

    Liveness(Ticker ticker, int idleTicks) {
        this.ticker = ticker;
        this.idleTicks = idleTicks;
    }

    /** Whether links of that class are watched: MESH only (see above); null, an accepted link before its HELLO, is. */
    static boolean watches(TrafficClass cls) {
        return cls == null || cls == TrafficClass.MESH;
    }

    /** Stops watching a link, on its event loop: its class is known now, and it is not MESH. */
    static void unwatch(ChannelPipeline pipeline) {
        if (pipeline.get(Liveness.class) != null) {
            pipeline.remove(Liveness.class); // its handlerRemoved takes it off the ticks
        }
    }

    /** Ticks of silence after which a link is dead: the idle timeout over the heartbeat, at least 2. */
    static int idleTicks(int heartbeatMs, int idleTimeoutMs) {
        return Math.max(2, (idleTimeoutMs + heartbeatMs - 1) / heartbeatMs);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            ticker.add(this);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ticker.add(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ticker.remove(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ticker.remove(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        read = true; // any input is life, a part of a frame too
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        wrote = true;
        ctx.write(msg, promise);
    }

    /** On the event loop. */
    private void tick() {
        if (read) {
            read = false;
            silentTicks = 0;
        } else if (++silentTicks >= idleTicks) {
            silentTicks = 0;
            ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
            return;
        }
        if (!wrote) {
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        }
        wrote = false; // the heartbeat just written is no traffic: the next idle tick sends one again

    }

    /**
     * The one timer of an event loop: ticks every link of the loop, each heartbeat interval after the
     * last tick ended, so that a loop that fell behind does not tick again and again to catch up.
     */
    static final class Ticker {
        private static final System.Logger LOG = System.getLogger(Ticker.class.getName());

        private final EventLoop loop;
        private final long periodMs;
        private final List<Liveness> links = new ArrayList<>(); // event loop only
        private boolean scheduled;
        /** Failures of a link's tick, caught so that one link cannot stop the timer of all. */
        final LongAdder failures = new LongAdder();

        Ticker(EventLoop loop, long periodMs) {
            this.loop = loop;
            this.periodMs = periodMs;
        }

        private void add(Liveness l) {
            if (l.slot >= 0) {
                return;
            }
            l.slot = links.size();
            links.add(l);
            if (!scheduled) {
                scheduled = true;
                schedule();
            }
        }

        private void remove(Liveness l) {
            int i = l.slot;
            if (i < 0) {
                return;
            }
            Liveness last = links.remove(links.size() - 1);
            if (last != l) {
                links.set(i, last);
                last.slot = i;
            }
            l.slot = -1;
        }

        private void schedule() {
            loop.schedule(this::tick, periodMs, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            // a link closed by its tick leaves the list at once, moving the last one into its slot: go backwards
            for (int i = links.size() - 1; i >= 0; i--) {
                if (i >= links.size()) {
                    continue;
                }
                Liveness l = links.get(i);
                try {
                    l.tick();
                } catch (RuntimeException e) {
                    failures.increment();
                    LOG.log(Level.WARNING, () -> "liveness tick failed on " + l.ctx.channel(), e);
                }
            }
            if (links.isEmpty()) {
                scheduled = false;
            } else {
                schedule();
            }
        }

        /** For a test: how many links this loop ticks, asked on the loop. */
        int size() {
            return loop.submit(links::size).syncUninterruptibly().getNow();
        }
    }
}
