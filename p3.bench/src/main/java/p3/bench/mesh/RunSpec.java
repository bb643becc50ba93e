package p3.bench.mesh;

import p3.mesh.FtMode;

/**
 * One run to make: a scenario with its faults, an FT mode, a strategy, sensor memory, isolation,
 * security and a seed.
 *
 * @param security   peers with certificates of one CA, their links TLS 1.3 (on), or all in the clear (off)
 * @param plan       the faults, or null (baseline, swap without a crash)
 * @param swapTo     the strategy swapped to halfway (swap scenario), or null
 * @param swapCrash  the swap scenario's crash: a level-1 super-peer half a second after the swap
 * @param campaign   the campaign's faults, or null
 */
record RunSpec(String scenario, FtMode ftMode, String strategy, boolean sensorMemory, String isolation,
        boolean security, long seed, FaultPlan plan, String swapTo, boolean swapCrash, CampaignPlan campaign) {

    RunSpec(String scenario, FtMode ftMode, String strategy, boolean sensorMemory, String isolation,
            boolean security, long seed, FaultPlan plan, String swapTo, boolean swapCrash) {
        this(scenario, ftMode, strategy, sensorMemory, isolation, security, seed, plan, swapTo, swapCrash, null);
    }

    String describe() {
        StringBuilder out = new StringBuilder(scenario).append(' ').append(ftMode.label()).append(' ').append(strategy)
                .append(sensorMemory ? "" : " no-memory").append(security ? "" : " security-off");
        if (plan != null) {
            out.append(" level ").append(plan.level()).append(' ').append(plan.count()).append(' ')
                    .append(plan.kind().label());
        }
        if (campaign != null) {
            out.append(" seed ").append(seed).append(", ").append(campaign.faults().size()).append(" faults");
        }
        if (swapTo != null) {
            out.append(" ->").append(swapTo).append(swapCrash ? " +crash" : "");
        }
        return out.toString();
    }
}
