package p3.bench.mesh;

import java.util.List;

/**
 * The faults of one run, injected in order.
 *
 * @param scenario {@code test1} or {@code test2}
 * @param steps    at least one, all at one level and of one kind
 */
public record FaultPlan(String scenario, List<FaultStep> steps) {

    public FaultPlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a fault plan needs a step");
        }
        FaultStep first = steps.get(0);
        if (steps.stream().anyMatch(s -> s.level() != first.level() || s.kind() != first.kind())) {
            throw new IllegalArgumentException("the steps of a plan are at one level and of one kind: " + steps);
        }
    }

    public int level() {
        return steps.get(0).level();
    }

    public FaultKind kind() {
        return steps.get(0).kind();
    }

    /** Super-peers down once every step is done. */
    public int count() {
        return steps.get(steps.size() - 1).count();
    }

    /** The run's {@code fault} in results.json. */
    public RunResult.Fault fault() {
        return new RunResult.Fault(level(), count(), kind());
    }
}
