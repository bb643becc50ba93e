package p3.bench.mesh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which super-peers the bench crashes, drawn from a seed, so that a run can be made again and a
 * different seed hits different peers.
 */
public final class FaultSchedule {

    private FaultSchedule() {
    }

    /** Test I: one run per level, root first, each crashing one super-peer of one cell of that level. */
    public static List<FaultPlan> testOne(TreeShape shape, long seed) {
        Random random = new Random(seed);
        List<FaultPlan> plans = new ArrayList<>();
        for (int level = 0; level <= shape.depth(); level++) {
            List<String> cells = shape.cells(level);
            String cell = cells.get(random.nextInt(cells.size()));
            FaultStep step = FaultStep.peer(level, cell, random.nextInt(shape.superPeers(level)), 1);
            plans.add(new FaultPlan("test1", List.of(step)));
        }
        return plans;
    }

    /**
     * Test II: per level, root first, runs with more and more of the level's super-peers down until
     * none is left. The crashes follow one seeded order per level, and the run with k faults
     * makes the first k of them, so each run extends the one before.
     */
    public static List<FaultPlan> testTwo(TreeShape shape, long seed, FaultKind kind) {
        Random random = new Random(seed);
        List<FaultPlan> plans = new ArrayList<>();
        for (int level = 0; level <= shape.depth(); level++) {
            List<FaultStep> order = kind == FaultKind.PEER ? peerOrder(shape, level, random)
                    : cellOrder(shape, level, random);
            for (int k = 1; k <= order.size(); k++) {
                plans.add(new FaultPlan("test2", order.subList(0, k)));
            }
        }
        return plans;
    }

    private static List<FaultStep> peerOrder(TreeShape shape, int level, Random random) {
        List<String> cells = shape.cells(level);
        int perCell = shape.superPeers(level);
        // every super-peer of the level as one number: its cell's position times perCell plus its rank
        List<Integer> victims = new ArrayList<>();
        for (int v = 0; v < cells.size() * perCell; v++) {
            victims.add(v);
        }
        Collections.shuffle(victims, random);
        List<FaultStep> steps = new ArrayList<>();
        for (int v : victims) {
            steps.add(FaultStep.peer(level, cells.get(v / perCell), v % perCell, steps.size() + 1));
        }
        return steps;
    }

    private static List<FaultStep> cellOrder(TreeShape shape, int level, Random random) {
        List<String> cells = new ArrayList<>(shape.cells(level));
        Collections.shuffle(cells, random);
        List<FaultStep> steps = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            steps.add(FaultStep.cell(level, cells.get(i), (i + 1) * shape.superPeers(level)));
        }
        return steps;
    }
}
