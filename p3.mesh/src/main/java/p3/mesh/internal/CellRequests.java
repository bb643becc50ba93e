package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoveryTimeoutException;

/**
 * The asking side of discovery (report, Listing 2: RequestCell, RequestParent), for {@link Join}
 * and the root's {@link Placement}: a request to a cell over the discovery endpoint, whose replies
 * come back decoded, checked and on the strand. The answering side is {@link Placement}.
 */
final class CellRequests {

    private static final System.Logger LOG = System.getLogger(CellRequests.class.getName());

    private final String self;
    private final MeshSettings s;
    private final PeerRole role;
    private final Strand strand;
    private final ControlCodec codec;
    private final PeerMetrics metrics;
    private DiscoveryEndpoint discovery;

    CellRequests(PeerContext c) {
        this.self = c.self();
        this.s = c.settings();
        this.role = s.role();
        this.strand = c.strand();
        this.codec = c.codec();
        this.metrics = c.metrics();
    }

    /** Strand: the endpoint to ask through, once the peer has opened it. */
    void start(DiscoveryEndpoint d) {
        this.discovery = d;
    }


    /**
     * RequestParent: the records of the super-peers of a cell, from discovery; empty when none answers.
     *
     * @param first stop at the first answer rather than wait for every super-peer of the cell
     */
    void requestParent(CellId parentCell, boolean first, Consumer<List<PeerRecord>> then) {
        requestParent(parentCell, first, s.discoveryTimeoutMs(), then);
    }

    /** {@link #requestParent(CellId, boolean, Consumer)}, waiting at most {@code timeoutMs} for the answers. */
    void requestParent(CellId parentCell, boolean first, long timeoutMs, Consumer<List<PeerRecord>> then) {
        Control request = Control.of(Control.Kind.REQUEST_PARENT, 0, role.name());
        ask(parentCell, request, first ? 1 : s.shape().superPeers(parentCell), timeoutMs, (replies, unsent) -> {
            List<PeerRecord> found = new ArrayList<>();
            for (Control c : replies) {
                if (c.kind() == Control.Kind.PARENT && !c.records().isEmpty()) {
                    found.add(c.records().get(0));
                } else if (c.kind() == Control.Kind.REFUSED) {
                    LOG.log(Level.INFO, "{0}: cell {1} refused: {2}", self, parentCell, c.text());
                }
            }
            then.accept(found);
        });
    }

    /**
     * The root's check of a cell it placed a joiner under: the bound super-peers' records, and how
     * many super-peers answered at all (those rebinding in the cell refuse, and are alive).
     */
    void checkCell(CellId checked, BiConsumer<List<PeerRecord>, Integer> then) {
        Control request = Control.of(Control.Kind.REQUEST_PARENT, Placement.CELL_CHECK, role.name());
        ask(checked, request, s.shape().superPeers(checked), replies -> {
            List<PeerRecord> found = new ArrayList<>();
            for (Control c : replies) {
                if (c.kind() == Control.Kind.PARENT && !c.records().isEmpty()) {
                    found.add(c.records().get(0));
                }
            }
            then.accept(found, replies.size());
        });
    }

    /** What came of a request, on the strand. */
    interface Answer {
        /**
         * @param replies the replies that decode
         * @param unsent  the request could not be sent at all (this host has no network): its silence
         *                says nothing of who is there
         */
        void accept(List<Control> replies, boolean unsent);
    }

    /** One discovery request; the replies that decode go to {@code then}, on the strand. */
    void ask(CellId target, Control request, int replies, Consumer<List<Control>> then) {
        ask(target, request, replies, (got, unsent) -> then.accept(got));
    }

    /** One discovery request; what came of it goes to {@code then}, on the strand. */
    void ask(CellId target, Control request, int replies, Answer then) {
        ask(target, request, replies, s.discoveryTimeoutMs(), then);
    }

    private void ask(CellId target, Control request, int replies, long timeoutMs, Answer then) {
        discovery.request(target.toString(), codec.encode(request), Duration.ofMillis(timeoutMs), replies)
                .whenComplete((got, failure) -> strand.execute(() -> {
                    List<Control> decoded = new ArrayList<>();
                    if (got != null) {
                        for (DiscoveryReply r : got) {
                            try {
                                Control reply = codec.decode(r.payload());
                                if (!Authorization.replyTrusted(r.sender(), reply)) {
                                    metrics.unauthorized.increment();
                                    LOG.log(Level.WARNING, "{0}: ignored a discovery reply from {1} signed by {2}", self,
                                            r.from(), r.sender());
                                    continue;
                                }
                                decoded.add(reply);
                            } catch (ControlCodec.MalformedControlException e) {
                                metrics.malformed.increment();
                                LOG.log(Level.WARNING, "{0}: dropped a malformed discovery reply from {1}: {2}", self,
                                        r.from(), e.getMessage());
                            }
                        }
                    }
                    then.accept(decoded, unsent(failure));
                }));
    }

    /** A failure other than silence: nothing was sent. */
    private static boolean unsent(Throwable failure) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return f != null && !(f instanceof DiscoveryTimeoutException);
    }
}
