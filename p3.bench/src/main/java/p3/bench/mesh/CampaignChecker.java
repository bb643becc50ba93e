package p3.bench.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtMode;

/**
 * Judges a campaign run from what the client delivered and what the peers saw, as Jepsen's
 * checkers do: it trusts no count of the mesh's own making but the sources' reports of what they
 * sent. A fault's window runs from a second before it struck (a frame sent just before waits
 * through it) to a second before the next fault's slot; what was sent in it is the fault's.
 */
final class CampaignChecker {

    /** A frame sent this long before a fault may still be on its way when it strikes. */
    static final Duration LEAD = Duration.ofSeconds(1);
    /**
     * After a fault healed (a kill: after its victims were bound again, for a peer that starts again
     * joins and may move), suspicions of its targets are still its own for this long.
     */
    static final Duration AFTERMATH = Duration.ofSeconds(5);

    private CampaignChecker() {
    }

    /**
     * @param deliveries   the client's, per class
     * @param failures     what every live peer saw
     * @param windows      the faults as they happened, in order
     * @param measureStart the start of measurement (times are {@link System#nanoTime()})
     */
    static CampaignResult judge(FtMode mode, List<Deliveries> deliveries, List<FailureRecord> failures,
            List<CampaignPlayer.Window> windows, long measureStart) {
        long slot = CampaignPlan.SLOT.toNanos();
        long lead = LEAD.toNanos();
        Map<String, CampaignResult.ClassCheck> classes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Deliveries d : deliveries) {
            boolean ft = mode.faultTolerant(d.trafficClass());
            long sent = 0;
            long delivered = 0;
            long lost = 0;
            long twice = 0;
            long outOfOrder = 0;
            for (Deliveries.Stream s : d.streams()) {
                sent += s.sent();
                delivered += s.distinct();
                lost += s.lost();
                twice += s.deliveredTwice();
                outOfOrder += s.outOfOrder();
            }
            long faultFree = 0;
            List<Double> faultFreeAt = new ArrayList<>();
            for (Deliveries.Slot s : d.slots()) {
                if (s.outOfOrder() > 0 && s.startNanos() + d.slotNanos() > measureStart
                        && within(windows, s.startNanos(), d.slotNanos()) < 0) {
                    faultFree += s.outOfOrder();
                    if (faultFreeAt.size() < CampaignResult.ClassCheck.AT_MOST) {
                        faultFreeAt.add(Math.round((s.startNanos() - measureStart) / 1e8) / 10.0);
                    }
                }
            }
            classes.put(d.trafficClass(), new CampaignResult.ClassCheck(ft, sent, delivered, lost, twice, outOfOrder,
                    faultFree, faultFreeAt));
            if (ft && lost > 0) {
                problems.add(String.format(Locale.ROOT, "%d FT %s frames lost", lost, d.trafficClass()));
            }
            if (twice > 0) {
                problems.add(String.format(Locale.ROOT, "%d %s frames delivered twice", twice, d.trafficClass()));
            }
            if (faultFree > 0) {
                problems.add(String.format(Locale.ROOT, "%d %s frames out of order outside the faults (sent at %s s)",
                        faultFree, d.trafficClass(), faultFreeAt));
            }
        }

        List<CampaignResult.FaultResult> faults = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            CampaignPlayer.Window w = windows.get(i);
            long from = w.startNanos() - lead;
            long to = i + 1 < windows.size() ? windows.get(i + 1).startNanos() - lead : w.startNanos() + slot - lead;
            // a kill heals when its victims start again: what a restart and its rejoin cost is told apart
            long healed = w.healNanos() == 0 ? to : Math.min(to, w.healNanos());
            double gap = 0;
            double healGap = 0;
            long lost = 0;
            long lostFt = 0;
            long outOfOrder = 0;
            for (Deliveries d : deliveries) {
                boolean ft = mode.faultTolerant(d.trafficClass());
                for (Deliveries.Slot s : d.slots()) {
                    if (s.startNanos() + d.slotNanos() > from && s.startNanos() < to) {
                        outOfOrder += s.outOfOrder();
                        if (ft || mode == FtMode.NONE) {
                            if (s.startNanos() < healed) {
                                gap = Math.max(gap, s.maxDelayMicros() / 1000.0);
                            } else {
                                healGap = Math.max(healGap, s.maxDelayMicros() / 1000.0);
                            }
                        }
                    }
                }
                for (Deliveries.Stream s : d.streams()) {
                    for (Deliveries.Hole h : s.holes()) {
                        if (h.sentNanos() >= from && h.sentNanos() < to) {
                            lost += h.missing();
                            lostFt += ft ? h.missing() : 0;
                        }
                    }
                }
            }
            Double first = null;
            Double last = null;
            Double rebind = null;
            for (FailureRecord f : failures) {
                if (!w.targets().contains(f.failed()) || f.detectedNanos() < w.startNanos() || f.detectedNanos() >= to) {
                    continue;
                }
                double ms = (f.detectedNanos() - w.startNanos()) / 1e6;
                first = first == null ? ms : Math.min(first, ms);
                last = last == null ? ms : Math.max(last, ms);
                if (f.rebindMillis() >= 0) {
                    rebind = rebind == null ? f.rebindMillis() : Math.max(rebind, f.rebindMillis());
                }
            }
            faults.add(new CampaignResult.FaultResult(w.fault().kind(), w.targets(),
                    (w.startNanos() - measureStart) / 1e9, w.healNanos() == 0 ? -1 : (w.healNanos() - measureStart) / 1e9,
                    w.backNanos() == 0 ? -1 : (w.backNanos() - measureStart) / 1e9,
                    first, last, rebind, gap, healGap, lost, lostFt, outOfOrder, w.note()));
        }

        List<String> falseSuspicions = new ArrayList<>();
        for (FailureRecord f : failures) {
            if (f.detectedNanos() < measureStart) {
                continue;
            }
            if (!touched(windows, f.failed(), f.detectedNanos()) && !touched(windows, f.observer(), f.detectedNanos())) {
                falseSuspicions.add(f.observer() + "->" + f.failed());
            }
        }
        boolean valid = problems.isEmpty();
        String verdict = valid ? "valid" : "not valid: " + String.join("; ", problems);
        return new CampaignResult(valid, verdict, classes, faults, falseSuspicions);
    }

    /** The index of the fault whose window holds a slot starting at {@code start}, or -1. */
    private static int within(List<CampaignPlayer.Window> windows, long start, long width) {
        long lead = LEAD.toNanos();
        for (int i = 0; i < windows.size(); i++) {
            CampaignPlayer.Window w = windows.get(i);
            long to = Math.max(over(w), w.startNanos()) + AFTERMATH.toNanos();
            if (start + width > w.startNanos() - lead && start < to) {
                return i;
            }
        }
        return -1;
    }

    /** When the fault was over: its victims back, or healed; never, if they never were. */
    private static long over(CampaignPlayer.Window w) {
        return w.backNanos() == 0 || w.healNanos() == 0 ? Long.MAX_VALUE - AFTERMATH.toNanos()
                : Math.max(w.healNanos(), w.backNanos());
    }

    /** Whether a fault was on {@code peer} at {@code nanos}, or had healed less than {@link #AFTERMATH} before. */
    private static boolean touched(List<CampaignPlayer.Window> windows, String peer, long nanos) {
        for (CampaignPlayer.Window w : windows) {
            long end = over(w) + AFTERMATH.toNanos();
            if (w.targets().contains(peer) && nanos >= w.startNanos() && nanos < end) {
                return true;
            }
        }
        return false;
    }
}
