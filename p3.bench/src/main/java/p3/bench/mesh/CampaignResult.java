package p3.bench.mesh;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * What the checker found in a campaign run (results.json's {@code campaign}), as Jepsen reports:
 * per class what was lost, delivered twice and out of order; per fault its window and what the
 * mesh and the client saw of it; the suspicions of peers no fault touched; and a verdict.
 *
 * @param valid           no FT message lost, none delivered twice, none out of order outside the faults
 * @param verdict         {@code valid}, or {@code not valid: } and why
 * @param classes         by class name
 * @param faults          in the order they struck
 * @param falseSuspicions failures seen of a live peer that no fault touched, as {@code observer->failed}
 */
public record CampaignResult(boolean valid, String verdict, Map<String, ClassCheck> classes, List<FaultResult> faults,
        @JsonProperty("false_suspicions") List<String> falseSuspicions) {

    public CampaignResult {
        Check.text("verdict", verdict);
        Check.present("classes", classes);
        classes = Map.copyOf(classes);
        faults = List.copyOf(faults);
        falseSuspicions = List.copyOf(falseSuspicions);
    }

    /**
     * One class, over the whole run.
     *
     * @param faultTolerant        whether the run asked for it fault-tolerant
     * @param outOfOrderFaultFree  of {@code outOfOrder}, those sent outside every fault's window
     * @param outOfOrderFaultFreeAtS when those were sent, in seconds from the start of measurement: the
     *                             first {@value #AT_MOST} slots' starts
     */
    public record ClassCheck(@JsonProperty("fault_tolerant") boolean faultTolerant, long sent, long delivered,
            long lost, @JsonProperty("delivered_twice") long deliveredTwice,
            @JsonProperty("out_of_order") long outOfOrder,
            @JsonProperty("out_of_order_fault_free") long outOfOrderFaultFree,
            @JsonProperty("out_of_order_fault_free_at_s") List<Double> outOfOrderFaultFreeAtS) {

        static final int AT_MOST = 10;

        public ClassCheck {
            outOfOrderFaultFreeAtS = List.copyOf(outOfOrderFaultFreeAtS);
            Check.count("sent", sent);
            Check.count("delivered", delivered);
            Check.count("lost", lost);
            Check.count("delivered_twice", deliveredTwice);
            Check.count("out_of_order", outOfOrder);
            Check.count("out_of_order_fault_free", outOfOrderFaultFree);
        }
    }

    /**
     * One fault. Times in seconds from the start of measurement, durations in milliseconds.
     *
     * @param targets       the peers it struck (a partition: the peer, then its parent)
     * @param endS          when it healed (a kill: when its victims started again); -1 if never
     * @param backS         a kill: when the last victim was bound again; else as {@code endS}; -1 if never
     * @param detectionMs   from the fault to the first peer that saw a target fail; null when none did
     * @param detectionLastMs to the last such peer; null when none did
     * @param rebindMs      the longest rebind of a peer that lost a target as its parent; null when none rebound
     * @param longestGapMs  the longest delay of an FT frame (of any frame in a run without FT) sent while it
     *                      held: from a second before it struck until it healed (a kill: until its victims
     *                      started again)
     * @param longestGapHealMs the same for a frame sent after it healed, to the end of its window: a killed
     *                      peer starting again and rejoining, a hung one resuming, a link coming back
     * @param lost          frames sent in its window and never delivered, every class
     * @param lostFt        of those, FT frames
     * @param outOfOrder    frames sent in its window and delivered after a later one
     * @param note          what else happened: a victim that did not start again, say
     */
    public record FaultResult(Disruption kind, List<String> targets, @JsonProperty("start_s") double startS,
            @JsonProperty("end_s") double endS, @JsonProperty("back_s") double backS,
            @JsonProperty("detection_ms") @JsonSetter(nulls = Nulls.SET) Double detectionMs,
            @JsonProperty("detection_last_ms") @JsonSetter(nulls = Nulls.SET) Double detectionLastMs,
            @JsonProperty("rebind_ms") @JsonSetter(nulls = Nulls.SET) Double rebindMs,
            @JsonProperty("longest_gap_ms") double longestGapMs,
            @JsonProperty("longest_gap_heal_ms") double longestGapHealMs, long lost, @JsonProperty("lost_ft") long lostFt,
            @JsonProperty("out_of_order") long outOfOrder, @JsonSetter(nulls = Nulls.SET) String note) {
        public FaultResult {
            Check.present("kind", kind);
            targets = List.copyOf(targets);
            Check.amount("longest_gap_ms", longestGapMs);
            Check.amount("longest_gap_heal_ms", longestGapHealMs);
            Check.count("lost", lost);
            Check.count("lost_ft", lostFt);
            Check.count("out_of_order", outOfOrder);
        }
    }
}
