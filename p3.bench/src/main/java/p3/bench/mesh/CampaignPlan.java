package p3.bench.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A campaign's faults, drawn from a seed: one after the other, each in a slot of its own of
 * {@link #SLOT}, so that what the client saw in a slot belongs to that slot's fault. Each fault
 * holds for a while (a kill until its victims start again), then heals, and the rest of its slot
 * lets the mesh settle before the next.
 */
record CampaignPlan(long seed, List<Fault> faults) {

    static final Duration SLOT = Duration.ofSeconds(15);

    CampaignPlan {
        faults = List.copyOf(faults);
    }

    /**
     * One fault.
     *
     * @param at          from the start of measurement
     * @param hold        until it heals (a kill: until its victims start again)
     * @param lossPercent for {@link Disruption#LOSS}, 1 to 10; else 0
     * @param pick        which target, among those the kind allows when it strikes
     */
    record Fault(Disruption kind, Duration at, Duration hold, int lossPercent, int pick) {
    }

    /** {@code count} faults of the kinds {@code isolation} applies, the first at {@code first}. */
    static CampaignPlan draw(long seed, int count, String isolation, Duration first) {
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("--faults must be within 1..100: " + count);
        }
        List<Disruption> kinds = Disruption.applicable(isolation);
        Random random = new Random(seed);
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // every kind once before any twice, in a seeded order, so that six faults cover six kinds
            if (i % kinds.size() == 0) {
                kinds = shuffled(kinds, random);
            }
            Disruption kind = kinds.get(i % kinds.size());
            Duration hold = switch (kind) {
            case KILL_PEER, KILL_CELL, KILL_ROOT -> Duration.ofSeconds(5);
            case HANG, CUT, PARTITION -> Duration.ofMillis(2000 + random.nextInt(8001));
            case LOSS -> Duration.ofMillis(5000 + random.nextInt(5001));
            };
            int loss = kind == Disruption.LOSS ? 1 + random.nextInt(10) : 0;
            out.add(new Fault(kind, first.plus(SLOT.multipliedBy(i)), hold, loss, random.nextInt(1 << 16)));
        }
        return new CampaignPlan(seed, out);
    }

    /** How long the measured part lasts: every slot. */
    Duration measure(Duration first) {
        return first.plus(SLOT.multipliedBy(faults.size()));
    }

    private static List<Disruption> shuffled(List<Disruption> kinds, Random random) {
        List<Disruption> out = new ArrayList<>(kinds);
        java.util.Collections.shuffle(out, random);
        return out;
    }
}
