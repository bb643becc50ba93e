package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import p3.security.PeerCredentials;
import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.Links;
import p3.transport.Rejection;
import p3.transport.TrafficClass;
import p3.transport.TransportException;
import p3.transport.TransportStats;

/**
 * Links in memory: a listener is an address in a table, a connect to it makes a pair of ends whose
 * frames go straight to the other end's handler. Both handlers hear {@code onOpen} (the listener's
 * first, as the real HELLO exchange has it), then the connect completes. Closing one end is heard
 * at both: {@code CLOSED} or {@code ABORTED} here, {@code REMOTE_CLOSED} or {@code RESET} there.
 * A connect to an address nobody listens at fails at once.
 *
 * <p>A test may hold frames ({@link #hold}) to deliver or drop them later, and hold connects
 * ({@link #holdConnects}); it reads every frame that left an end in {@link #log}.
 */
final class FakeLinks implements Links {

    /** A frame that left one end for the other. */
    record Sent(End from, End to, Frame frame) {
        String fromPeer() {
            return from.localPeer;
        }

        String toPeer() {
            return to.localPeer;
        }
    }

    private final FakeTransport net;
    private final Map<InetSocketAddress, Server> servers = new ConcurrentHashMap<>();
    private final AtomicInteger ports = new AtomicInteger(20_000);
    /** Every end made, both sides of every link. */
    final List<End> ends = new CopyOnWriteArrayList<>();
    /** Every frame an end accepted, in order. */
    final List<Sent> log = new CopyOnWriteArrayList<>();
    private final List<Sent> held = new ArrayList<>();
    private final List<Runnable> heldConnects = new ArrayList<>();
    private volatile boolean holding;
    private volatile boolean holdingConnects;

    FakeLinks(FakeTransport net) {
        this.net = net;
    }

    // ---------------------------------------------------------------------------------------
    // Links

    @Override
    public LinkServer listen(InetSocketAddress bind, String localPeer, LinkHandler handler) {
        InetSocketAddress at = new InetSocketAddress(FakeTransport.LOOPBACK, ports.incrementAndGet());
        Server s = new Server(at, localPeer, handler);
        servers.put(at, s);
        return s;
    }

    @Override
    public CompletionStage<Link> connect(InetSocketAddress remote, String localPeer, TrafficClass trafficClass,
            LinkHandler handler) {
        FakeTransport.Watched<Link> done = net.stage("connect of " + localPeer + " to " + remote);
        Runnable attempt = () -> {
            Server s = servers.get(remote);
            if (s == null) {
                done.completeExceptionally(new TransportException("fake: nobody listens at " + remote));
                return;
            }
            InetSocketAddress from = new InetSocketAddress(FakeTransport.LOOPBACK, ports.incrementAndGet());
            End client = new End(localPeer, s.peer, trafficClass, remote, handler);
            End accepted = new End(s.peer, localPeer, trafficClass, from, s.handler);
            client.other = accepted;
            accepted.other = client;
            ends.add(client);
            ends.add(accepted);
            s.accepted.add(accepted);
            net.call(s.peer + ": onOpen", () -> accepted.handler.onOpen(accepted));
            net.call(localPeer + ": onOpen", () -> client.handler.onOpen(client));
            done.complete(client);
        };
        if (holdingConnects) {
            synchronized (heldConnects) {
                heldConnects.add(attempt);
            }
        } else {
            attempt.run();
        }
        return done;
    }

    /** Fake links carry no TLS: a peer with credentials is named by its PeerId, as in the clear. */
    @Override
    public LinkServer listen(InetSocketAddress bind, PeerCredentials credentials, LinkHandler handler) {
        return listen(bind, credentials.identity().peerId(), handler);
    }

    @Override
    public CompletionStage<Link> connect(InetSocketAddress remote, PeerCredentials credentials,
            TrafficClass trafficClass, LinkHandler handler) {
        return connect(remote, credentials.identity().peerId(), trafficClass, handler);
    }

    @Override
    public TransportStats stats() {
        return new TransportStats() {
            @Override
            public long framesSent() {
                return log.size();
            }

            @Override
            public long bytesSent() {
                return log.stream().mapToLong(s -> s.frame().payload().length).sum();
            }

            @Override
            public long framesReceived() {
                return framesSent();
            }

            @Override
            public long bytesReceived() {
                return bytesSent();
            }

            @Override
            public long framesRefused() {
                return 0;
            }

            @Override
            public long linksOpened() {
                return ends.size();
            }

            @Override
            public long linksClosed() {
                return ends.stream().filter(e -> !e.isOpen()).count();
            }

            @Override
            public Map<Rejection, Long> rejections() {
                return Map.of();
            }
        };
    }

    // ---------------------------------------------------------------------------------------
    // What a test does with the network

    /** From now on, frames wait until {@link #deliverHeld} or {@link #dropHeld}; false delivers them at once again. */
    void hold(boolean on) {
        holding = on;
    }

    /** Frames waiting, oldest first. */
    List<Sent> held() {
        synchronized (held) {
            return List.copyOf(held);
        }
    }

    /** Delivers the waiting frames that match, in order; a frame for an end closed meanwhile is lost. */
    int deliverHeld(Predicate<Sent> which) {
        List<Sent> go = take(which);
        go.forEach(this::deliver);
        return go.size();
    }

    /** Loses the waiting frames that match. */
    int dropHeld(Predicate<Sent> which) {
        return take(which).size();
    }

    private List<Sent> take(Predicate<Sent> which) {
        List<Sent> out = new ArrayList<>();
        synchronized (held) {
            held.removeIf(s -> which.test(s) && out.add(s));
        }
        return out;
    }

    /** From now on, connects wait until {@link #releaseConnects}. */
    void holdConnects(boolean on) {
        holdingConnects = on;
    }

    /** How many connects wait. */
    int heldConnects() {
        synchronized (heldConnects) {
            return heldConnects.size();
        }
    }

    /** Makes the connects that waited, in order. @return how many */
    int releaseConnects() {
        List<Runnable> go;
        synchronized (heldConnects) {
            go = List.copyOf(heldConnects);
            heldConnects.clear();
        }
        go.forEach(Runnable::run);
        return go.size();
    }

    /** Where {@code peer} listens, or null. */
    InetSocketAddress addressOf(String peer) {
        return servers.values().stream().filter(s -> s.peer.equals(peer)).map(s -> s.address).findFirst()
                .orElse(null);
    }

    /** The frames that left {@code peer}'s ends, in order. */
    List<Sent> sentBy(String peer) {
        return log.stream().filter(s -> s.fromPeer().equals(peer)).toList();
    }

    /** The ends held by {@code peer} that are still open. */
    List<End> openEndsOf(String peer) {
        return ends.stream().filter(e -> e.localPeer.equals(peer) && e.isOpen()).toList();
    }

    /** The open ends of links between two peers, at {@code peer}'s side. */
    List<End> openEnds(String peer, String remote) {
        return ends.stream().filter(e -> e.localPeer.equals(peer) && e.remotePeer.equals(remote) && e.isOpen())
                .toList();
    }

    private void deliver(Sent s) {
        End to = s.to();
        if (to.isOpen()) {
            net.call(to.localPeer + ": onFrame", () -> to.handler.onFrame(to, s.frame()));
        }
    }

    // ---------------------------------------------------------------------------------------

    /** One end of a link: what {@code localPeer} holds. */
    final class End implements Link {
        final String localPeer;
        final String remotePeer;
        final TrafficClass cls;
        final InetSocketAddress remoteAddress;
        final LinkHandler handler;
        volatile End other;
        private final AtomicBoolean open = new AtomicBoolean(true);
        /** How this end closed, once it has. */
        volatile CloseReason closedWith;

        End(String localPeer, String remotePeer, TrafficClass cls, InetSocketAddress remoteAddress,
                LinkHandler handler) {
            this.localPeer = localPeer;
            this.remotePeer = remotePeer;
            this.cls = cls;
            this.remoteAddress = remoteAddress;
            this.handler = handler;
        }

        @Override
        public String remotePeer() {
            return remotePeer;
        }

        @Override
        public TrafficClass trafficClass() {
            return cls;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remoteAddress;
        }

        @Override
        public boolean send(Frame frame) {
            if (!isOpen()) {
                return false;
            }
            Sent s = new Sent(this, other, frame);
            log.add(s);
            if (holding) {
                synchronized (held) {
                    held.add(s);
                }
            } else {
                deliver(s);
            }
            return true;
        }

        @Override
        public boolean isWritable() {
            return isOpen();
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void close() {
            shut(CloseReason.CLOSED, CloseReason.REMOTE_CLOSED);
        }

        @Override
        public void abort() {
            shut(CloseReason.ABORTED, CloseReason.RESET);
        }

        /** The network breaks the link: both ends hear a reset. */
        void reset() {
            shut(CloseReason.RESET, CloseReason.RESET);
        }

        /**
         * This end's transport finds the other end silent (the other peer hung) and closes as idle; the
         * hung end's socket has the close waiting, which its peer reads when it runs again (its
         * handler's work goes to its strand, which a hung peer does not run).
         */
        void idle() {
            shut(CloseReason.IDLE, CloseReason.REMOTE_CLOSED);
        }

        private void shut(CloseReason here, CloseReason there) {
            if (closed(here)) {
                End o = other;
                if (o != null) {
                    o.closed(there);
                }
            }
        }

        private boolean closed(CloseReason why) {
            if (!open.compareAndSet(true, false)) {
                return false;
            }
            closedWith = why;
            net.call(localPeer + ": onClose", () -> handler.onClose(this, why));
            return true;
        }

        @Override
        public String toString() {
            return "End[" + localPeer + "->" + remotePeer + " " + cls.id() + (isOpen() ? "" : " " + closedWith) + "]";
        }
    }

    /** A listener: the ends it accepted close with it. */
    final class Server implements LinkServer {
        final InetSocketAddress address;
        final String peer;
        final LinkHandler handler;
        final List<End> accepted = new CopyOnWriteArrayList<>();

        Server(InetSocketAddress address, String peer, LinkHandler handler) {
            this.address = address;
            this.peer = peer;
            this.handler = handler;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void close() {
            servers.remove(address, this);
            accepted.forEach(End::close);
        }

        @Override
        public void abort() {
            servers.remove(address, this);
            accepted.forEach(End::abort);
        }
    }
}
