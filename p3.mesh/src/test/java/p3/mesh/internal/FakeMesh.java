package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.FrameType;
import p3.transport.TransportException;

/**
 * Peers on the {@link FakeTransport}, on one virtual clock, each on a strand inline on the test's
 * thread (unless a test gives one): a test of join and rebind that runs on one thread and waits
 * for nothing. The runtime's threads ({@link PeerThreads}) are there because a peer needs a pacing
 * thread for its sources; no source runs in these tests.
 */
final class FakeMesh implements AutoCloseable {

    static final int DISCOVERY_MS = 250;
    static final int BIND_MS = 1000;
    static final int STAGGER_MS = 200;
    /** How long the first super-peer of a mesh takes to found the root: it asks twice, a stagger apart. */
    static final int FOUNDING_MS = 2 * DISCOVERY_MS + STAGGER_MS;

    final ManualScheduler clock = new ManualScheduler(ManualScheduler.inline());
    final FakeTransport net = new FakeTransport(clock);
    final TreeShape shape;
    final ControlCodec codec;
    final PeerThreads threads = new PeerThreads(1, 1024, 60_000);
    final Map<String, Peer> peers = new LinkedHashMap<>();
    final Map<String, Strand> strands = new LinkedHashMap<>();
    /** Whether peers started from now on pre-bind a backup parent. */
    boolean prebind = true;

    FakeMesh(int span, int depth, List<Integer> superPeersPerCell, int sensorsPerCell) {
        this.shape = new TreeShape(span, depth, superPeersPerCell, sensorsPerCell);
        this.codec = new ControlCodec(span);
    }

    MeshSettings settings(String id, PeerRole role) {
        return new MeshSettings("fake", id, role, shape, FakeTransport.LOOPBACK,
                new InetSocketAddress("228.1.2.3", 1000), new InetSocketAddress("228.1.2.2", 1000), true, List.of(), 0,
                DISCOVERY_MS, BIND_MS, STAGGER_MS, prebind, FtSettings.DEFAULTS);
    }

    /** A peer on a strand inline on the calling thread, started: it asks for a cell at once. */
    Peer start(String id, PeerRole role) throws TransportException {
        return start(id, role, ManualScheduler.inlineStrand(id));
    }

    /** A peer on the given strand, with the mesh's clock running its timers there, started. */
    Peer start(String id, PeerRole role, Strand strand) throws TransportException {
        Peer p = new Peer(settings(id, role), net.links, net.groups, net.discovery, threads, strand,
                clock.on(strand));
        peers.put(id, p);
        strands.put(id, strand);
        p.start();
        return p;
    }

    Peer peer(String id) {
        return peers.get(id);
    }

    void advanceMs(long ms) {
        clock.advance(Duration.ofMillis(ms));
    }

    /** The name of a cell's group in this mesh. */
    static String cluster(CellId cell) {
        return "p3.fake.cell." + cell;
    }

    List<String> members(CellId cell) {
        return net.groups.members(cluster(cell));
    }

    /** The control messages a peer sent on its links, in order, with whom they went to. */
    List<Sent> controlsSentBy(String peer) {
        List<Sent> out = new ArrayList<>();
        for (FakeLinks.Sent s : net.links.sentBy(peer)) {
            if (s.frame().type() == FrameType.CONTROL && s.frame().targetPeer().isEmpty()) {
                out.add(new Sent(s.toPeer(), codec.decode(s.frame().payload())));
            }
        }
        return out;
    }

    /** BINDs a peer sent, by the parent they went to. */
    List<String> bindsBy(String peer) {
        return controlsSentBy(peer).stream().filter(s -> s.control().kind() == Control.Kind.BIND).map(Sent::to)
                .toList();
    }

    /** The discovery requests of a kind to a cell, in order (every peer's). */
    List<Control> asked(String cellId, Control.Kind kind) {
        return net.discovery.asked.stream().filter(a -> a.cellId().equals(cellId)).map(a -> codec.decode(a.payload()))
                .filter(c -> c.kind() == kind).toList();
    }

    /** A test's end: no task failed and no callback threw (said with where every peer stands), then closed. */
    void closeChecked() {
        try {
            org.assertj.core.api.Assertions.assertThat(troubles()).as(describe()).isEmpty();
        } finally {
            close();
        }
    }

    /** Every strand's failed tasks and every callback that threw: what a test of the state machines must find empty. */
    List<String> troubles() {
        List<String> out = new ArrayList<>();
        strands.forEach((id, s) -> {
            if (s.stats().failed() > 0) {
                out.add(id + ": " + s.stats().failed() + " tasks failed");
            }
        });
        net.escaped.forEach(t -> out.add(t.getMessage()));
        return out;
    }

    /** Who is where: what a failed assertion prints. */
    String describe() {
        StringBuilder out = new StringBuilder();
        peers.values().forEach(p -> out.append(p).append(" parents=").append(p.parents()).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        threads.close();
    }

    /** A control message that left on a link, and to whom. */
    record Sent(String to, Control control) {
    }
}
