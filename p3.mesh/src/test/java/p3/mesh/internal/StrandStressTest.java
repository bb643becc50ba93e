package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.CloseReason;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoverySpec;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.GroupSpec;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.TrafficClass;

/**
 * A storm at one peer on a strand of a real pool: from several threads at once, children open
 * links, BIND, JOIN, LEAVE and vanish; its parents send it control and reset its links (so it
 * rebinds, again and again); cell-mates come and go and talk; discovery asks it for cells and
 * parents; garbage comes on every path; and its timers fire on virtual time. Halfway through, it
 * crashes, and the storm goes on. Its neighbours are stubs (as in JGroups' VERIFY_SUSPECT_Test).
 * No task may die on its strand, nothing may throw out of a transport callback, and a crashed peer
 * runs nothing more and holds no link open.
 */
class StrandStressTest {

    private static final int EVENTS_PER_THREAD = 3000;
    private static final CellId ROOT = CellId.ROOT;

    private FakeMesh mesh;
    private PeerThreads pool;
    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void stop() {
        executors.forEach(ExecutorService::shutdownNow);
        if (pool != null) {
            pool.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    /** A parent in the root cell: binds whoever asks, unless told to refuse; keeps the ends the peer opened to it. */
    private final class StubParent implements LinkHandler {
        final String id;
        final InetSocketAddress address;
        final List<Link> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean refuse;

        StubParent(String id) {
            this.id = id;
            this.address = mesh.net.links.listen(null, id, this).address();
        }

        @Override
        public void onOpen(Link link) {
            accepted.add(link);
        }

        @Override
        public void onFrame(Link link, Frame frame) {
            Control c;
            try {
                c = mesh.codec.decode(frame.payload());
            } catch (ControlCodec.MalformedControlException e) {
                return;
            }
            if (c.kind() == Control.Kind.BIND) {
                link.send(control(id, refuse ? Control.of(Control.Kind.REFUSED, c.id(), "busy")
                        : Control.of(Control.Kind.BOUND, c.id(), "")));
            }
        }

        @Override
        public void onClose(Link link, CloseReason reason) {
            accepted.remove(link);
        }

        PeerRecord record() {
            return new PeerRecord(id, PeerRole.SUPER, ROOT, "", address, 1);
        }
    }

    private Frame control(String from, Control c) {
        return new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, from, "", "", "", 0, 0, mesh.codec.encode(c));
    }

    private static Frame garbage(String from, Random r) {
        byte[] junk = new byte[r.nextInt(40)];
        r.nextBytes(junk);
        return new Frame(FrameType.CONTROL, TrafficClass.MESH, 0, from, "", "", "", 0, 0, junk);
    }

    private PeerRecord record(String peer, PeerRole role, String cell, String parent, long epoch) {
        return new PeerRecord(peer, role, cell == null ? null : CellId.of(cell, 2), parent,
                new InetSocketAddress(FakeTransport.LOOPBACK, 1), epoch);
    }

    @Test
    void aPeerUnderAStormWhileRebindingAndAfterItsCrashLosesNoTaskAndThrowsNothing() throws Exception {
        mesh = new FakeMesh(2, 1, List.of(2, 1), 4);
        pool = new PeerThreads(2, 65_536, 60_000);
        StubParent root1 = new StubParent("root1");
        StubParent root2 = new StubParent("root2");
        AtomicBoolean rootSilent = new AtomicBoolean();
        for (StubParent parent : List.of(root1, root2)) {
            mesh.net.discovery.serve("0", (cell, payload, from) -> {
                if (rootSilent.get()) {
                    return null;
                }
                Control c;
                try {
                    c = mesh.codec.decode(payload);
                } catch (ControlCodec.MalformedControlException e) {
                    return null; // the storm's garbage, meant for the peer
                }
                return CompletableFuture.completedFuture(switch (c.kind()) {
                case REQUEST_CELL -> parent == root1 ? mesh.codec.encode(Control.of(Control.Kind.CELL, 0, "01")) : null;
                case REQUEST_PARENT -> mesh.codec.encode(Control.records(Control.Kind.PARENT, 0,
                        List.of(parent.record())));
                default -> null;
                });
            });
        }

        Strand strand = pool.strand("sp");
        Peer sp = mesh.start("sp", PeerRole.SUPER, strand);
        await().atMost(Duration.ofSeconds(10)).until(() -> sp.state() == PeerState.BOUND);
        assertThat(sp.cell()).isEqualTo(CellId.of("01", 2));
        InetSocketAddress spAddress = mesh.net.links.addressOf("sp");
        String cluster = FakeMesh.cluster(CellId.of("01", 2));

        CountDownLatch halfway = new CountDownLatch(4);
        AtomicLong fired = new AtomicLong();
        ExecutorService storm = Executors.newFixedThreadPool(5);
        executors.add(storm);
        List<Future<?>> done = new ArrayList<>();

        // children: open links, BIND (good or not), JOIN, LEAVE, TREE_QUERY, garbage, then close or vanish
        done.add(storm.submit(() -> {
            Random r = new Random(1);
            for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                if (i == EVENTS_PER_THREAD / 2) {
                    halfway.countDown();
                }
                String child = "child" + (i % 50);
                Link link = mesh.net.links.connect(spAddress, child, TrafficClass.values()[r.nextInt(4)],
                        new LinkHandler() {
                            @Override
                            public void onFrame(Link l, Frame f) {
                            }
                        }).toCompletableFuture().exceptionally(e -> null).getNow(null);
                fired.incrementAndGet();
                if (link == null) {
                    continue; // it crashed: nobody listens any more
                }
                for (int k = r.nextInt(4); k >= 0; k--) {
                    long epoch = r.nextInt(5);
                    Frame f = switch (r.nextInt(7)) {
                    case 0 -> control(child, Control.records(Control.Kind.BIND, i, List.of(record(child,
                            PeerRole.SENSOR, "01", "sp", epoch))));
                    case 1 -> control(child, Control.records(Control.Kind.BIND, i, List.of(record(child,
                            PeerRole.SUPER, r.nextBoolean() ? "011" : "02", "sp", epoch))));
                    case 2 -> control(child, Control.records(Control.Kind.JOIN, i, List.of(record("x" + i,
                            PeerRole.SENSOR, "01", child, epoch))));
                    case 3 -> control(child, Control.records(Control.Kind.LEAVE, i, List.of(record(child,
                            PeerRole.SENSOR, "01", "sp", epoch))));
                    case 4 -> control(child, Control.of(Control.Kind.TREE_QUERY, i, ""));
                    case 5 -> control(child, Control.of(Control.Kind.values()[r.nextInt(Control.Kind.values().length)],
                            i, "?"));
                    default -> garbage(child, r);
                    };
                    link.send(f);
                    fired.incrementAndGet();
                }
                if (r.nextBoolean()) {
                    link.close();
                } else {
                    link.abort();
                }
                fired.incrementAndGet();
            }
        }));

        // parents: control down the peer's uplinks, and resets that make it rebind; sometimes they refuse
        done.add(storm.submit(() -> {
            Random r = new Random(2);
            for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                if (i == EVENTS_PER_THREAD / 2) {
                    halfway.countDown();
                }
                StubParent parent = r.nextBoolean() ? root1 : root2;
                parent.refuse = r.nextInt(10) == 0;
                List<Link> ends = List.copyOf(parent.accepted);
                fired.incrementAndGet();
                if (ends.isEmpty()) {
                    continue;
                }
                Link end = ends.get(r.nextInt(ends.size()));
                switch (r.nextInt(9)) {
                case 0 -> ((FakeLinks.End) end).reset();
                case 1 -> end.send(control(parent.id, Control.of(Control.Kind.BOUND, r.nextInt(20), "")));
                case 2 -> end.send(control(parent.id, Control.of(Control.Kind.REFUSED, r.nextInt(20), "no")));
                case 3 -> end.send(control(parent.id, Control.of(Control.Kind.JOINED, r.nextInt(20), "")));
                case 4 -> end.send(control(parent.id, Control.records(Control.Kind.TREE, i,
                        List.of(record("s" + i, PeerRole.SENSOR, "01", "sp", 1)))));
                case 5 -> end.send(control(parent.id, Control.of(Control.Kind.FT_USE, r.nextLong(),
                        r.nextBoolean() ? "active" : "no such strategy!")));
                case 6 -> end.send(control(parent.id, Control.of(Control.Kind.CELL, i, "0x")));
                case 7 -> end.send(Frame.data(TrafficClass.MESH, parent.id, "0", "sp", "01", i, new byte[8]));
                default -> end.send(garbage(parent.id, r));
                }
            }
        }));

        // cell-mates: join, talk, leave or crash
        done.add(storm.submit(() -> {
            Random r = new Random(3);
            CellGroupListener deaf = new CellGroupListener() {
                @Override
                public void onView(CellView view) {
                }

                @Override
                public void onMessage(String from, byte[] payload) {
                }
            };
            for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                if (i == EVENTS_PER_THREAD / 2) {
                    halfway.countDown();
                }
                var mate = (FakeCellGroups.Member) mesh.net.groups.joinAsync(new GroupSpec(cluster, "mate" + (i % 7),
                        new InetSocketAddress("228.1.2.2", 1000)), deaf).toCompletableFuture().getNow(null);
                fired.incrementAndGet();
                for (int k = r.nextInt(4); k >= 0; k--) {
                    byte[] payload = switch (r.nextInt(6)) {
                    case 0 -> mesh.codec.encode(Control.records(Control.Kind.CELL_RECORDS, 0,
                            List.of(record("s" + i, PeerRole.SENSOR, "01", mate.name, r.nextInt(3)))));
                    case 1 -> mesh.codec.encode(Control.records(Control.Kind.CELL_LEAVE, 0,
                            List.of(record("s" + (i - 1), PeerRole.SENSOR, "01", mate.name, r.nextInt(3)))));
                    case 2 -> mesh.codec.encode(Control.of(Control.Kind.FT_USE, r.nextLong(), "passive"));
                    case 3 -> mesh.codec.encode(Control.route(Frame.data(TrafficClass.MESH, mate.name, "01",
                            "s" + i, "01", i, new byte[4])));
                    case 4 -> {
                        byte[] replica = new byte[1 + r.nextInt(30)];
                        r.nextBytes(replica);
                        replica[0] = FtCodec.REPLICA_TAG;
                        yield replica;
                    }
                    default -> {
                        byte[] junk = new byte[r.nextInt(30)];
                        r.nextBytes(junk);
                        yield junk;
                    }
                    };
                    mate.offer(payload);
                    fired.incrementAndGet();
                }
                if (r.nextBoolean()) {
                    mate.leaveAsync();
                } else {
                    mate.crash();
                }
                fired.incrementAndGet();
            }
        }));

        // discovery: ask the peer's cell for parents and cells, and garbage; the root stubs fall silent at times
        done.add(storm.submit(() -> {
            Random r = new Random(4);
            DiscoveryEndpoint asker = mesh.net.discovery.open(new DiscoverySpec(new InetSocketAddress("228.1.2.3",
                    1000), 2, true, List.of(), 0));
            for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                if (i == EVENTS_PER_THREAD / 2) {
                    halfway.countDown();
                }
                rootSilent.set(r.nextInt(5) == 0);
                byte[] payload = switch (r.nextInt(5)) {
                case 0 -> mesh.codec.encode(Control.of(Control.Kind.REQUEST_PARENT, 0, "sensor"));
                case 1 -> mesh.codec.encode(Control.of(Control.Kind.REQUEST_PARENT, 0, "super"));
                case 2 -> mesh.codec.encode(Control.of(Control.Kind.REQUEST_CELL, 0, "super:q" + i));
                case 3 -> mesh.codec.encode(Control.of(Control.Kind.BOUND, 0, "nonsense:" + i));
                default -> {
                    byte[] junk = new byte[r.nextInt(30)];
                    r.nextBytes(junk);
                    yield junk;
                }
                };
                asker.request(r.nextBoolean() ? "01" : "0", payload, Duration.ofMillis(100), 1);
                fired.incrementAndGet();
            }
            asker.close();
        }));

        // the crash, halfway through the storm, from a thread of its own
        done.add(storm.submit(() -> {
            halfway.await(30, TimeUnit.SECONDS);
            sp.crash();
            return null;
        }));

        // timers: the test's thread moves virtual time on meanwhile
        Random r = new Random(5);
        while (!done.stream().allMatch(Future::isDone)) {
            mesh.advanceMs(1 + r.nextInt(300));
            fired.incrementAndGet();
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS); // what a storm thread threw fails the test here
        }
        mesh.advanceMs(60_000);

        assertThat(sp.state()).isEqualTo(PeerState.CRASHED);
        assertThat(fired.get()).isGreaterThan(4L * EVENTS_PER_THREAD);
        assertThat(sp.failures()).as("its parents' resets made it rebind").isNotEmpty();
        long ran = sp.strand().run();
        await().atMost(Duration.ofSeconds(10)).until(() -> strand.stats().depth() == 0);

        // crashed: more events and timers run nothing
        for (StubParent parent : List.of(root1, root2)) {
            for (Link end : parent.accepted) {
                end.send(control(parent.id, Control.of(Control.Kind.BOUND, 1, "")));
            }
        }
        mesh.advanceMs(60_000);
        assertThat(sp.strand().run()).isEqualTo(ran);

        assertThat(sp.strand().failed()).as("tasks that died on the strand").isZero();
        assertThat(mesh.net.escaped).as("what a transport callback threw").isEmpty();
        assertThat(mesh.net.links.openEndsOf("sp")).as("links a crashed peer still holds").isEmpty();
        assertThat(mesh.members(CellId.of("01", 2))).as("a crashed peer left in its cell").doesNotContain("sp");
    }
}
