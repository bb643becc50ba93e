package p3.bench.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays a {@link CampaignPlan} on a mesh of processes: at each fault's time it picks the targets
 * among the super-peers bound then (the busiest of a cell, so that the fault lies on a path),
 * strikes, and heals after the fault's hold. A killed peer starts again under the same PeerId on
 * a thread of its own, so that a slow start does not hold up the schedule.
 */
final class CampaignPlayer {

    /** How long a started-again peer may take to be bound, after the schedule ended. */
    private static final Duration REJOIN_BOUND = Duration.ofSeconds(60);

    /**
     * One fault as it happened; times are {@link System#nanoTime()}.
     *
     * @param healNanos  when it healed (a kill: when its victims started again); 0 if it never did
     * @param backNanos  when the last victim of a kill was bound again, else {@code healNanos}; 0 if never
     */
    record Window(CampaignPlan.Fault fault, List<String> targets, long startNanos, long healNanos, long backNanos,
            String note) {
    }

    private final ProcessSystem mesh;
    private final CampaignPlan plan;

    CampaignPlayer(ProcessSystem mesh, CampaignPlan plan) {
        this.mesh = mesh;
        this.plan = plan;
    }

    /** Plays every fault from {@code measureStart}; returns once every one healed and every restart ended. */
    List<Window> play(long measureStart, Consumer<String> status) throws Exception {
        List<Window> out = new ArrayList<>();
        ExecutorService restarts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "p3-bench-restart");
            t.setDaemon(true);
            return t;
        });
        Map<Integer, List<Future<Long>>> started = new HashMap<>();
        try {
            for (CampaignPlan.Fault f : plan.faults()) {
                ScenarioRunner.waitUntil(measureStart + f.at().toNanos(), status, "measuring");
                List<String> targets = targets(f, mesh.topology());
                long start = strike(f, targets);
                status.accept("fault " + f.kind().label() + " " + targets);
                ScenarioRunner.waitUntil(start + f.hold().toNanos(), status, "fault " + f.kind().label() + " " + targets);
                long heal = System.nanoTime();
                List<Future<Long>> rejoins = heal(f, targets, restarts);
                started.put(out.size(), rejoins);
                out.add(new Window(f, targets, start, heal, heal, null));
            }
            // the slot of the last fault, then every restart's end
            ScenarioRunner.waitUntil(measureStart + plan.measure(plan.faults().get(0).at()).toNanos(), status, "measuring");
            for (int i = 0; i < out.size(); i++) {
                List<String> notes = new ArrayList<>();
                Window w = out.get(i);
                long back = w.healNanos();
                for (Future<Long> rejoin : started.getOrDefault(i, List.of())) {
                    try {
                        back = Math.max(back, rejoin.get(REJOIN_BOUND.toSeconds(), TimeUnit.SECONDS));
                    } catch (Exception e) {
                        notes.add("did not start again: " + e.getMessage());
                        back = 0;
                    }
                }
                out.set(i, new Window(w.fault(), w.targets(), w.startNanos(), w.healNanos(), back,
                        notes.isEmpty() ? null : String.join("; ", notes)));
            }
        } finally {
            restarts.shutdownNow();
        }
        return out;
    }

    /** The peers a fault strikes, among the super-peers bound now. */
    static List<String> targets(CampaignPlan.Fault f, Map<String, ShellJson.PeerStats> peers) {
        Map<String, List<String>> cells = superPeersByCell(peers.values(), true);
        List<String> candidates = new ArrayList<>();
        for (String cell : cells.keySet()) {
            boolean root = cell.equals("0");
            boolean fits = switch (f.kind()) {
            case KILL_ROOT -> root;
            // the root cell's last member does not go down with a cell: the tree would have no root
            case KILL_PEER, KILL_CELL, CUT, PARTITION -> !root;
            case HANG, LOSS -> true;
            };
            if (fits) {
                candidates.add(cell);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no cell to strike with " + f.kind().label() + ": " + cells);
        }
        String cell = candidates.get(f.pick() % candidates.size());
        List<String> members = cells.get(cell);
        String busiest = members.get(0);
        return switch (f.kind()) {
        case KILL_CELL -> List.copyOf(members);
        case PARTITION -> {
            List<String> parents = peers.get(busiest).parents();
            if (parents.isEmpty()) {
                throw new IllegalStateException(busiest + " has no parent to be cut off from");
            }
            yield List.of(busiest, parents.get(0));
        }
        default -> List.of(busiest);
        };
    }

    /**
     * The super-peers of each cell, the busiest first (most children bound to it), then by id, so
     * that a fault can be put on a path that carries traffic.
     *
     * @param boundOnly only those bound now
     */
    static Map<String, List<String>> superPeersByCell(Collection<ShellJson.PeerStats> peers, boolean boundOnly) {
        Map<String, Integer> children = new HashMap<>();
        Map<String, List<String>> cells = new TreeMap<>();
        for (ShellJson.PeerStats p : peers) {
            p.parents().forEach(parent -> children.merge(parent, 1, Integer::sum));
            if (p.role().equals("super") && p.cell() != null && (!boundOnly || "BOUND".equals(p.state()))) {
                cells.computeIfAbsent(p.cell(), c -> new ArrayList<>()).add(p.peer());
            }
        }
        Comparator<String> busiestFirst = Comparator.<String>comparingInt(id -> -children.getOrDefault(id, 0))
                .thenComparing(Comparator.naturalOrder());
        cells.values().forEach(l -> l.sort(busiestFirst));
        return cells;
    }

    private long strike(CampaignPlan.Fault f, List<String> targets) throws Exception {
        long at = System.nanoTime();
        switch (f.kind()) {
        // after their last figures are taken: the fault starts with the kill
        case KILL_PEER, KILL_ROOT, KILL_CELL -> at = mesh.crashAll(targets);
        case HANG -> mesh.hang(targets.get(0), true);
        case CUT -> mesh.cut(targets.get(0), true);
        case PARTITION -> mesh.partition(targets.get(0), targets.get(1), true);
        case LOSS -> mesh.loss(targets.get(0), f.lossPercent());
        default -> throw new IllegalStateException(f.kind().name());
        }
        return at;
    }

    /** @return for a kill, each victim's start, ending with when it is bound again */
    private List<Future<Long>> heal(CampaignPlan.Fault f, List<String> targets, ExecutorService restarts)
            throws Exception {
        List<Future<Long>> out = new ArrayList<>();
        switch (f.kind()) {
        case KILL_PEER, KILL_ROOT, KILL_CELL -> {
            for (String t : targets) {
                out.add(restarts.submit(() -> {
                    mesh.restart(t);
                    return System.nanoTime();
                }));
            }
        }
        case HANG -> mesh.hang(targets.get(0), false);
        case CUT -> mesh.cut(targets.get(0), false);
        case PARTITION -> mesh.partition(targets.get(0), targets.get(1), false);
        case LOSS -> mesh.loss(targets.get(0), 0);
        default -> throw new IllegalStateException(f.kind().name());
        }
        return out;
    }

}
