package p3.mesh.internal;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.mesh.spi.FtPolicy;
import p3.mesh.spi.FtStrategy;
import p3.transport.TrafficClass;

/**
 * Which fault-tolerance strategy a super-peer uses (the report's future work: strategies swapped at
 * runtime). The strategies come and go with their bundles; the peer uses the one it prefers when it
 * is there, else the first there of {@link #FALLBACK}. The new policy is attached before the old one
 * detaches, so that every held message is seen by one of them; the changes not yet sent stay in the
 * {@link ReplicationQueue} for the new one.
 *
 * <p>Every call into a strategy is guarded: its failure (a RuntimeException, or a LinkageError or
 * AssertionError, as the {@link Strand} guards) is logged and counted, never a dead peer.
 * Selection runs on the strand; {@link #held} and {@link #acknowledged} on the data path read the
 * policy in place.
 */
final class StrategySelection {

    private static final System.Logger LOG = System.getLogger(StrategySelection.class.getName());
    /** The order in which a missing strategy is stood in for: the safest first. */
    private static final List<String> FALLBACK = List.of("active", "hybrid", "passive");

    private final String self;
    private final PeerRole role;
    private final ReplicationQueue cell;
    private final RateLimitedLog failing = new RateLimitedLog(LOG, 5000);
    private final Map<String, FtStrategy> strategies = new HashMap<>();
    /** Orders to change strategy that travelled the tree, so that each is obeyed and passed on once. */
    private final Set<Long> orders = new HashSet<>();
    private String preferred;
    /** Crashed or left: no strategy attaches any more. Set by a crash from any thread. */
    private volatile boolean stopped;
    private volatile FtStrategy strategy;
    private volatile FtPolicy policy;

    /** Calls into a strategy that threw. */
    final LongAdder failures = new LongAdder();

    StrategySelection(String self, PeerRole role, String preferred, ReplicationQueue cell) {
        this.self = self;
        this.role = role;
        this.preferred = preferred;
        this.cell = cell;
    }

    // ---------------------------------------------------------------------------------------
    // Strand

    void added(FtStrategy s) {
        strategies.put(s.name(), s);
        reselect();
    }

    void removed(FtStrategy s) {
        strategies.remove(s.name(), s);
        reselect();
    }

    /** Prefers a strategy from now on; the name was checked by the caller. */
    void use(String name) {
        preferred = name;
        reselect();
    }

    /** An order that travelled the tree: obeyed once. @return whether it is new */
    boolean firstTime(long order) {
        return orders.add(order);
    }

    /** Crashed or left: the policy detaches, and no strategy attaches any more. */
    void stop() {
        stopped = true;
        FtPolicy p = policy;
        policy = null;
        strategy = null;
        cell.stopRecording(); // nothing will send them any more
        if (p != null) {
            guard("detach", p::detach);
        }
    }

    void viewChanged(List<String> members, List<String> gone, List<String> joined) {
        if (!joined.isEmpty() && members.size() > 1) {
            cell.snapshot(); // a newcomer has none of what this peer holds
        }
        FtPolicy p = policy;
        if (p != null && (!gone.isEmpty() || !joined.isEmpty())) {
            guard("a view change", () -> p.viewChanged(members, gone));
        }
    }

    void suspected(String mate) {
        FtPolicy p = policy;
        if (p != null) {
            guard("a suspicion", () -> p.suspected(mate));
        }
    }

    /** Every super-peer of a child cell is gone: the parent's part of Listing 8. */
    void childCellLost(CellId lost) {
        FtPolicy p = policy;
        if (p != null) {
            guard("a lost cell", () -> p.childCellLost(lost.toString()));
        }
    }

    /** The preferred strategy if it is there, else the first there of {@link #FALLBACK}, else any. */
    private FtStrategy choose() {
        FtStrategy s = strategies.get(preferred);
        if (s != null) {
            return s;
        }
        for (String name : FALLBACK) {
            s = strategies.get(name);
            if (s != null) {
                return s;
            }
        }
        Map<String, FtStrategy> sorted = new TreeMap<>(strategies);
        return sorted.isEmpty() ? null : sorted.values().iterator().next();
    }

    private void reselect() {
        if (stopped || role != PeerRole.SUPER) {
            return;
        }
        FtStrategy next = choose();
        FtStrategy was = strategy;
        if (next == was) {
            return;
        }
        FtPolicy old = policy;
        FtPolicy attached = null;
        if (next != null) {
            cell.startRecording(); // the cell has nothing of what was held while no strategy ran
            try {
                attached = next.attach(cell);
            } catch (RuntimeException | LinkageError | AssertionError x) {
                failures.increment();
                LOG.log(Level.WARNING, () -> self + ": strategy " + next.name() + " failed to attach", x);
            }
        }
        policy = attached;
        strategy = attached == null ? null : next;
        if (attached == null) {
            cell.stopRecording();
        }
        if (old != null) {
            guard("detach", old::detach);
        }
        LOG.log(Level.INFO, "{0}: fault tolerance {1} -> {2}", self, was == null ? "none" : was.name(), name());
    }

    // ---------------------------------------------------------------------------------------
    // Data path: the transport's threads

    void held(TrafficClass cls) {
        FtPolicy p = policy;
        if (p != null) {
            guard("a held message", () -> p.held(cls.id()));
        }
    }

    void acknowledged(int count) {
        FtPolicy p = policy;
        if (p != null) {
            guard("an acknowledgement", () -> p.acknowledged(count));
        }
    }

    /** The strategy in use, or {@code none}. */
    String name() {
        FtStrategy s = strategy;
        return s == null ? "none" : s.name();
    }

    private void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError | AssertionError x) {
            // a LinkageError too: a strategy bundle refreshed or uninstalled under an attached policy
            failures.increment();
            failing.log(Level.WARNING, () -> self + ": strategy " + name() + " failed on " + what, x);
        }
    }
}
