package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtMode;
import picocli.CommandLine.ParameterException;

/** The campaign's schedule, its choice of targets and its checker, on made-up runs; the bench runs it for real. */
class CampaignTest {

    private static final Duration FIRST = Duration.ofSeconds(4);
    private static final long S = 1_000_000_000L;
    /** The start of measurement, as System.nanoTime. */
    private static final long T0 = 1000 * S;

    @Test
    void aSeedDrawsOneScheduleAndEveryKindComesOnceBeforeAnyTwice() {
        CampaignPlan a = CampaignPlan.draw(1, 7, "netns", FIRST);
        assertThat(CampaignPlan.draw(1, 7, "netns", FIRST)).isEqualTo(a);
        assertThat(CampaignPlan.draw(2, 7, "netns", FIRST)).isNotEqualTo(a);
        assertThat(a.faults()).extracting(CampaignPlan.Fault::kind).containsExactlyInAnyOrder(Disruption.values());
        for (int i = 0; i < 7; i++) {
            CampaignPlan.Fault f = a.faults().get(i);
            assertThat(f.at()).isEqualTo(FIRST.plus(CampaignPlan.SLOT.multipliedBy(i)));
            assertThat(f.hold()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
            assertThat(f.lossPercent()).isBetween(f.kind() == Disruption.LOSS ? 1 : 0, f.kind() == Disruption.LOSS ? 10 : 0);
        }
        assertThat(a.measure(FIRST)).isEqualTo(Duration.ofSeconds(4 + 7 * 15));
    }

    @Test
    void processIsolationSharesLoopbackSoItOnlyKillsAndHangs() {
        Set<Disruption> kinds = CampaignPlan.draw(3, 40, "process", FIRST).faults().stream()
                .map(CampaignPlan.Fault::kind).collect(Collectors.toSet());
        assertThat(kinds).isEqualTo(EnumSet.of(Disruption.KILL_PEER, Disruption.KILL_CELL, Disruption.KILL_ROOT,
                Disruption.HANG));
        assertThatThrownBy(() -> CampaignPlan.draw(3, 6, "inproc", FIRST)).hasMessageContaining("process or netns");
        assertThatThrownBy(() -> CampaignPlan.draw(3, 0, "netns", FIRST)).hasMessageContaining("1..100");
    }

    @Test
    void theCommandLineRefusesACampaignInOneJvm() {
        MeshCommand inproc = MeshArgs.parse("mesh", "--scenario", "campaign");
        assertThatThrownBy(() -> inproc.plan(TreeShape.report())).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--isolation process");
        MeshCommand none = MeshArgs.parse("mesh", "--scenario", "campaign", "--isolation", "netns", "--faults", "0");
        assertThatThrownBy(() -> none.plan(TreeShape.report())).hasMessageContaining("--faults");

        List<RunSpec> runs = MeshArgs.parse("mesh", "--scenario", "campaign", "--isolation", "netns", "--ft",
                "none,all", "--strategy", "hybrid,active", "--seed", "2").plan(TreeShape.report());
        assertThat(runs).hasSize(3); // NO_FT once, FT_ALL per strategy
        assertThat(runs).allSatisfy(r -> assertThat(r.campaign()).isEqualTo(CampaignPlan.draw(2, 6, "netns",
                BenchSettings.of("quick").faultAt())));
    }

    /** Root cell 0 (sp01 busy, sp02), cell 01 (sp03, sp04 busy), cell 02 (sp05 still joining, sp06). */
    private static Map<String, ShellJson.PeerStats> topology() {
        Map<String, ShellJson.PeerStats> out = new TreeMap<>();
        put(out, "sp01", "super", "0", "BOUND");
        put(out, "sp02", "super", "0", "BOUND");
        put(out, "sp03", "super", "01", "BOUND", "sp01");
        put(out, "sp04", "super", "01", "BOUND", "sp01");
        put(out, "sp05", "super", "02", "JOINING");
        put(out, "sp06", "super", "02", "BOUND", "sp02");
        put(out, "sensor1", "sensor", "01", "BOUND", "sp04");
        put(out, "sensor2", "sensor", "01", "BOUND", "sp04");
        put(out, "sensor3", "sensor", "02", "BOUND", "sp06");
        return out;
    }

    private static void put(Map<String, ShellJson.PeerStats> out, String id, String role, String cell, String state,
            String... parents) {
        out.put(id, new ShellJson.PeerStats(id, role, cell, state, List.of(parents), 0, 0, 0, 0, 0, 0));
    }

    private static List<String> targets(Disruption kind, int pick) {
        return CampaignPlayer.targets(new CampaignPlan.Fault(kind, FIRST, Duration.ofSeconds(5), 0, pick), topology());
    }

    @Test
    void aFaultStrikesTheBusiestBoundSuperPeerOfACellItMayStrike() {
        assertThat(targets(Disruption.KILL_ROOT, 7)).containsExactly("sp01");
        assertThat(targets(Disruption.KILL_PEER, 0)).containsExactly("sp04");
        assertThat(targets(Disruption.KILL_PEER, 1)).as("a peer still joining is no target").containsExactly("sp06");
        assertThat(targets(Disruption.KILL_CELL, 0)).containsExactly("sp04", "sp03");
        assertThat(targets(Disruption.PARTITION, 0)).as("the peer and its parent").containsExactly("sp04", "sp01");
        assertThat(targets(Disruption.HANG, 0)).as("a hang may strike the root cell").containsExactly("sp01");
    }

    private static CampaignPlayer.Window window(Disruption kind, long startS, long healS, String... targets) {
        return new CampaignPlayer.Window(new CampaignPlan.Fault(kind, Duration.ofSeconds(startS), Duration.ofSeconds(
                healS - startS), 0, 0), List.of(targets), T0 + startS * S, T0 + healS * S, T0 + healS * S, null);
    }

    /**
     * A stream of sensor1, 100 frames, with a hole of 3 shown by a frame sent at 20.5 s, and slots at 5 s, 20 s and 26 s
     * (after the kill at 19 s healed at 24 s: its victim's restart).
     */
    private static Deliveries deliveries(String cls, long missing, long outOfOrderAt5s, long twice) {
        long distinct = 100 - missing;
        List<Deliveries.Hole> holes = missing == 0 ? List.of()
                : List.of(new Deliveries.Hole(40, 42, missing, T0 + 20 * S + S / 2));
        return new Deliveries(cls, S / 10, List.of(new Deliveries.Stream("sensor1", 100, distinct, distinct + twice, 2
                + outOfOrderAt5s, holes, 0)), List.of(new Deliveries.Slot(T0 + 5 * S, 10, 3_000, outOfOrderAt5s),
                        new Deliveries.Slot(T0 + 20 * S, 10, 41_500, 2), new Deliveries.Slot(T0 + 26 * S, 10, 250_000, 0)));
    }

    private static final List<CampaignPlayer.Window> WINDOWS = List.of(window(Disruption.HANG, 4, 9, "sp03"),
            window(Disruption.KILL_PEER, 19, 24, "sp04"));

    @Test
    void theCheckerPutsWhatWasSentInAFaultsWindowOnThatFault() {
        List<FailureRecord> failures = List.of(new FailureRecord("sensor1", "sp04", "link", T0 + 19 * S + 12_000_000,
                p3.mesh.RebindKind.FAST, T0 + 19 * S + 15_000_000), new FailureRecord("sp03", "sp04", "view",
                        T0 + 19 * S + 30_000_000, null, 0));
        CampaignResult r = CampaignChecker.judge(FtMode.ALL, List.of(deliveries("audio", 0, 0, 0)), failures, WINDOWS,
                T0);

        assertThat(r.valid()).isTrue();
        assertThat(r.verdict()).isEqualTo("valid");
        assertThat(r.falseSuspicions()).isEmpty();
        CampaignResult.FaultResult kill = r.faults().get(1);
        assertThat(kill.detectionMs()).isEqualTo(12.0);
        assertThat(kill.detectionLastMs()).isEqualTo(30.0);
        assertThat(kill.rebindMs()).isEqualTo(3.0);
        assertThat(kill.longestGapMs()).isEqualTo(41.5);
        assertThat(kill.longestGapHealMs()).as("its victim starting again and rejoining").isEqualTo(250.0);
        assertThat(kill.outOfOrder()).isEqualTo(2);
        assertThat(r.faults().get(0).longestGapMs()).isEqualTo(3.0);
        assertThat(r.faults().get(0).longestGapHealMs()).as("nothing was sent from 9 s to 18 s").isZero();
        assertThat(r.faults().get(0).detectionMs()).as("nobody saw the hang").isNull();
        assertThat(r.classes().get("audio").outOfOrderFaultFree()).isZero();
    }

    @Test
    void anFtFrameLostOrDeliveredTwiceMakesTheRunInvalidAndALossWithoutFtIsOnlyReported() {
        CampaignResult lost = CampaignChecker.judge(FtMode.ALL, List.of(deliveries("video", 2, 0, 0)), List.of(),
                WINDOWS, T0);
        assertThat(lost.valid()).isFalse();
        assertThat(lost.verdict()).isEqualTo("not valid: 2 FT video frames lost");
        assertThat(lost.faults().get(1).lostFt()).as("the hole was shown at 20.5 s: the kill's").isEqualTo(2);

        CampaignResult twice = CampaignChecker.judge(FtMode.ALL, List.of(deliveries("video", 0, 0, 1)), List.of(),
                WINDOWS, T0);
        assertThat(twice.verdict()).isEqualTo("not valid: 1 video frames delivered twice");

        CampaignResult noFt = CampaignChecker.judge(FtMode.NONE, List.of(deliveries("video", 2, 0, 0)), List.of(),
                WINDOWS, T0);
        assertThat(noFt.valid()).isTrue();
        assertThat(noFt.faults().get(1).lost()).isEqualTo(2);
        assertThat(noFt.faults().get(1).lostFt()).isZero();
    }

    @Test
    void outOfOrderOutsideTheFaultsAndSuspicionsOfUntouchedPeersAreFound() {
        List<CampaignPlayer.Window> later = List.of(window(Disruption.KILL_PEER, 19, 24, "sp04"));
        List<FailureRecord> failures = List.of(new FailureRecord("sp01", "sp02", "view", T0 + 7 * S, null, 0),
                new FailureRecord("sensor1", "sp04", "link", T0 + 19 * S + S / 100, null, 0));
        CampaignResult r = CampaignChecker.judge(FtMode.ALL, List.of(deliveries("event", 0, 1, 0)), failures, later, T0);

        assertThat(r.classes().get("event").outOfOrderFaultFree()).isEqualTo(1);
        assertThat(r.verdict()).isEqualTo("not valid: 1 event frames out of order outside the faults (sent at [5.0] s)");
        assertThat(r.classes().get("event").outOfOrderFaultFreeAtS()).containsExactly(5.0);
        assertThat(r.falseSuspicions()).containsExactly("sp01->sp02");
    }

    @Test
    void resultsJsonKeepsTheCheckersFindings(@TempDir Path dir) throws Exception {
        CampaignResult c = CampaignChecker.judge(FtMode.ALL, List.of(deliveries("audio", 2, 0, 0)), List.of(), WINDOWS,
                T0);
        RunResult run = SampleRuns.run("baseline", "all", null, 0, 10);
        RunResult campaign = new RunResult("campaign", "all", "hybrid", true, "netns", 1, null, run.classes(),
                run.rebindMs(), run.detectionMs(), run.overhead(), 1, 1, 1, null, "on", null, c);
        Results results = new Results("test machine", "2026-01-01T00:00:00Z", "p3-bench mesh --scenario campaign",
                List.of(campaign));
        Path file = dir.resolve("results.json");
        ResultsJson.write(results, file);

        assertThat(ResultsJson.read(file)).isEqualTo(results);
        assertThat(ResultsJson.write(results)).contains("\"delivered_twice\"", "\"out_of_order\"", "\"longest_gap_ms\"",
                "\"longest_gap_heal_ms\"", "\"kind\" : \"kill-peer\"");
        List<Path> written = ReportWriter.write(results, "results.json", dir);
        assertThat(java.nio.file.Files.readString(written.get(0))).contains("## Fault campaign",
                "not valid: 2 FT audio frames lost", "| kill-peer | 1 | 42, 42 | 250, 250 | 100 |");
        assertThatThrownBy(() -> new RunResult("campaign", "all", "hybrid", true, "netns", 1, null, run.classes(),
                run.rebindMs(), run.detectionMs(), run.overhead(), 1, 1, 1, null, "on", null, null))
                .hasMessageContaining("campaign is missing");
    }
}
