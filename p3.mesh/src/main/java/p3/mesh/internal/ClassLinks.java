package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import p3.transport.CloseReason;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.Links;
import p3.transport.TrafficClass;

/**
 * The links of each traffic class to the parents and the backup, beside their MESH link: opened and
 * closed as the classes' services come and go, and opened again when one class's link goes while
 * its parent is still there (a reset, a write that failed), or the class would stop flowing
 * until the next rebind. One attempt at a time per binding and class; housekeeping tries again.
 *
 * <p>Strand only.
 */
final class ClassLinks {

    private static final System.Logger LOG = System.getLogger(ClassLinks.class.getName());

    private final String self;
    private final Strand strand;
    private final Links links;
    private final Supplier<List<TrafficClass>> classes;
    private final Supplier<List<Binding>> held;
    private final Function<Binding, LinkHandler> handler;
    private final RateLimitedLog repairs = new RateLimitedLog(LOG, 5000);

    /**
     * @param classes the classes with a service here
     * @param held    the bindings and the backup, whose class links this keeps
     * @param handler the handler of a binding's links
     */
    ClassLinks(PeerContext c, Links links, Supplier<List<TrafficClass>> classes, Supplier<List<Binding>> held,
            Function<Binding, LinkHandler> handler) {
        this.self = c.self();
        this.strand = c.strand();
        this.links = links;
        this.classes = classes;
        this.held = held;
        this.handler = handler;
    }

    /** A class's service came: its link to each parent and the backup. */
    void connect(TrafficClass cls) {
        for (Binding b : held.get()) {
            reconnect(b, cls);
        }
    }

    /**
     * A binding made or a backup taken: the links of the classes whose service came while it was being
     * opened (it opened links for the classes there were then; {@link #connect} did not know it yet).
     */
    void fill(Binding b) {
        for (TrafficClass cls : classes.get()) {
            reconnect(b, cls);
        }
    }

    /** A class's service went: its links to the parents and the backup close. */
    void drop(TrafficClass cls) {
        for (Binding b : held.get()) {
            Link l = b.links.remove(cls);
            if (l != null) {
                l.close();
            }
        }
    }

    /**
     * A class's link of a binding closed, and it was the binding's one. It is opened again even when
     * the binding's MESH link is not there yet: a parent drops the links of a child that rebinds to it
     * when the old binding's MESH link closes, and some of the new binding's may be among them.
     */
    void closed(Binding b, Link link, CloseReason reason) {
        boolean ours = reason == CloseReason.CLOSED || reason == CloseReason.ABORTED || reason == CloseReason.SHUTDOWN;
        if (!ours && classes.get().contains(link.trafficClass())) {
            reconnect(b, link.trafficClass());
        }
    }

    /** Housekeeping: a class's link to a live parent that is missing or closed (a reopen failed, a close went unheard). */
    void repair() {
        for (Binding b : held.get()) {
            if (!b.links.meshOpen()) {
                continue; // the binding itself is lost, or being opened
            }
            for (TrafficClass cls : classes.get()) {
                Link l = b.links.get(cls);
                if (l != null && !l.isOpen()) {
                    b.links.clear(l);
                    l = null;
                }
                if (l == null && !b.connecting.contains(cls)) {
                    repairs.log(Level.WARNING, () -> self + ": no open " + cls.id() + " link to " + b.peer()
                            + ": opening it again");
                    reconnect(b, cls);
                }
            }
        }
    }

    private void reconnect(Binding b, TrafficClass cls) {
        if (b.links.get(cls) != null || b.closedByUs || !b.connecting.add(cls)) {
            return;
        }
        links.connect(b.parent.links(), self, cls, handler.apply(b)).whenComplete((l, e) -> strand.offer(() -> {
            b.connecting.remove(cls);
            if (l == null) {
                repairs.log(Level.INFO, () -> self + ": cannot open its " + cls.id() + " link to " + b.peer()
                        + " again: " + e.getMessage());
            } else if (b.closedByUs || !classes.get().contains(cls)) {
                l.close();
            } else if (Authorization.parentRefusal(l, b.peer()) != null) {
                l.abort(); // an address now answered by another peer: not this binding's parent
                repairs.log(Level.WARNING, () -> self + ": " + Authorization.parentRefusal(l, b.peer()));
            } else if (l.isOpen()) {
                b.links.set(l);
            } // else it closed before it got here, and its close was ignored: housekeeping opens it again
        }, () -> {
            if (l != null) {
                l.abort(); // the peer is gone
            }
        }));
    }
}
