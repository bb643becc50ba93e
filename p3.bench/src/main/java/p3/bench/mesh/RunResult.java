package p3.bench.mesh;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * One measured run of the mesh bench, one element of results.json's {@code runs}. Issue 6 fixes
 * the fields up to {@code heap_mb}; {@code elapsed_s} and {@code swap} are ours. Every field is
 * required except {@code fault} (none in a baseline run) and {@code swap}.
 *
 * @param scenario     {@code baseline}, {@code test1}, {@code test2}, {@code swap} or {@code campaign}
 * @param ftMode       {@code none}, {@code event}, {@code event+video} or {@code all} (the labels of
 *                     p3.mesh's FtMode; the report's NO_FT, FT_EVENT, FT_EVENT+VIDEO, FT_ALL)
 * @param strategy     the FT strategy the run started with: {@code active}, {@code passive}, {@code hybrid}
 * @param sensorMemory whether sensors kept their unacknowledged FT messages for a resend after a rebind
 * @param isolation    {@code inproc} (one JVM) or {@code process} (one process per peer)
 * @param seed         the seed of everything random in the run, fault picks included
 * @param fault        the faults injected, or null for none
 * @param classes      what the client measured, per traffic class
 * @param rebindMs     rebind durations, from a parent's failure seen to bound again
 * @param detectionMs  failure detection latencies, from the crash to each observer noticing it
 * @param overhead     what the peers sent, mesh control apart from payload
 * @param cpuSeconds   CPU time of all peers
 * @param heapMb       heap in use at the end of the run, all peers
 * @param elapsedSeconds how long the measured part of the run took
 * @param swap         what the swap scenario swapped and when, e.g. {@code active->passive at 5s}; else null
 * @param security     {@code on} (peers with certificates of the mesh's CA, links over TLS) or {@code off} (all in
 *                     the clear); null in results written before the bench recorded it (issue 11)
 * @param scale        what the scale table needs (issue 13): formation time, threads, heap after a GC, packets
 *                     delivered; null in results written before
 * @param campaign     what the checker found in a campaign run (issue 10); null in other runs
 */
public record RunResult(
        String scenario,
        @JsonProperty("ft_mode") String ftMode,
        String strategy,
        @JsonProperty("sensor_memory") boolean sensorMemory,
        String isolation,
        long seed,
        @JsonSetter(nulls = Nulls.SET) Fault fault,
        Classes classes,
        @JsonProperty("rebind_ms") Rebinds rebindMs,
        @JsonProperty("detection_ms") List<Double> detectionMs,
        Overhead overhead,
        @JsonProperty("cpu_s") double cpuSeconds,
        @JsonProperty("heap_mb") double heapMb,
        @JsonProperty("elapsed_s") double elapsedSeconds,
        @JsonSetter(nulls = Nulls.SET) String swap,
        @JsonSetter(nulls = Nulls.SET) String security,
        @JsonSetter(nulls = Nulls.SET) Scale scale,
        @JsonSetter(nulls = Nulls.SET) CampaignResult campaign) {

    public static final List<String> SCENARIOS = List.of("baseline", "test1", "test2", "swap", "campaign");
    public static final List<String> FT_MODES = List.of("none", "event", "event+video", "all");
    public static final List<String> ISOLATIONS = List.of("inproc", "process", "netns");
    public static final List<String> SECURITIES = List.of("on", "off");

    public RunResult {
        Check.oneOf("scenario", scenario, SCENARIOS);
        Check.oneOf("ft_mode", ftMode, FT_MODES);
        Check.text("strategy", strategy);
        Check.oneOf("isolation", isolation, ISOLATIONS);
        if (security != null) {
            Check.oneOf("security", security, SECURITIES);
        }
        if (campaign == null && scenario.equals("campaign")) {
            throw new IllegalArgumentException("campaign is missing: a campaign run has the checker's findings");
        }
        if (fault == null && scenario.startsWith("test")) {
            throw new IllegalArgumentException("fault is missing: a " + scenario + " run injects faults");
        }
        Check.present("classes", classes);
        Check.present("rebind_ms", rebindMs);
        detectionMs = Check.amounts("detection_ms", detectionMs);
        Check.present("overhead", overhead);
        Check.amount("cpu_s", cpuSeconds);
        Check.amount("heap_mb", heapMb);
        Check.amount("elapsed_s", elapsedSeconds);
    }

    /** A run without a campaign's findings. */
    public RunResult(String scenario, String ftMode, String strategy, boolean sensorMemory, String isolation, long seed,
            Fault fault, Classes classes, Rebinds rebindMs, List<Double> detectionMs, Overhead overhead,
            double cpuSeconds, double heapMb, double elapsedSeconds, String swap, String security, Scale scale) {
        this(scenario, ftMode, strategy, sensorMemory, isolation, seed, fault, classes, rebindMs, detectionMs, overhead,
                cpuSeconds, heapMb, elapsedSeconds, swap, security, scale, null);
    }

    /** A run without the scale figures, as the bench recorded them before issue 13. */
    public RunResult(String scenario, String ftMode, String strategy, boolean sensorMemory, String isolation, long seed,
            Fault fault, Classes classes, Rebinds rebindMs, List<Double> detectionMs, Overhead overhead,
            double cpuSeconds, double heapMb, double elapsedSeconds, String swap, String security) {
        this(scenario, ftMode, strategy, sensorMemory, isolation, seed, fault, classes, rebindMs, detectionMs, overhead,
                cpuSeconds, heapMb, elapsedSeconds, swap, security, null, null);
    }

    /** This run with its scale figures. */
    public RunResult withScale(Scale s) {
        return new RunResult(scenario, ftMode, strategy, sensorMemory, isolation, seed, fault, classes, rebindMs,
                detectionMs, overhead, cpuSeconds, heapMb, elapsedSeconds, swap, security, s, campaign);
    }

    /**
     * What a run costs as the mesh grows (issue 13). The figures of the scale table derive from these
     * and the run's {@code cpu_s}, {@code elapsed_s} and overhead: see {@link ScaleTable}.
     *
     * @param superPeers    super-peers started
     * @param peers         every peer started: super-peers, sensors and the client
     * @param formSeconds   time to form the tree: from the first super-peer's start to the client bound (the
     *                      super-peers one by one, so that one founds the root, then the sensors, then the client)
     * @param delivered     frames the client received in the measured part of the run, every class
     * @param threads       the live threads at the end of the measured part; null where the bench cannot see
     *                      them (process isolation)
     * @param heapBaseMb    heap in use after a full GC before the mesh formed; null as for {@code threads}
     * @param heapAfterGcMb heap in use after a full GC at the end of the run, the mesh still formed; null as for
     *                      {@code threads}
     * @param residentMb    each live peer's resident memory at the end of the run, by peer, where each peer is a
     *                      process of its own; else null
     */
    public record Scale(
            @JsonProperty("super_peers") int superPeers,
            int peers,
            @JsonProperty("form_s") double formSeconds,
            long delivered,
            @JsonSetter(nulls = Nulls.SET) Threads threads,
            @JsonProperty("heap_base_mb") @JsonSetter(nulls = Nulls.SET) Double heapBaseMb,
            @JsonProperty("heap_after_gc_mb") @JsonSetter(nulls = Nulls.SET) Double heapAfterGcMb,
            @JsonProperty("resident_mb") @JsonSetter(nulls = Nulls.SET) Map<String, Double> residentMb) {

        /** Without the peers' resident memory: one JVM for all (inproc), or results written before. */
        public Scale(int superPeers, int peers, double formSeconds, long delivered, Threads threads, Double heapBaseMb,
                Double heapAfterGcMb) {
            this(superPeers, peers, formSeconds, delivered, threads, heapBaseMb, heapAfterGcMb, null);
        }

        public Scale {
            if (residentMb != null) {
                residentMb = Map.copyOf(new java.util.TreeMap<>(residentMb));
            }
            Check.count("super_peers", superPeers);
            if (peers < 1) {
                throw new IllegalArgumentException("peers must be at least 1: " + peers);
            }
            Check.amount("form_s", formSeconds);
            Check.count("delivered", delivered);
            if (heapBaseMb != null) {
                Check.amount("heap_base_mb", heapBaseMb);
            }
            if (heapAfterGcMb != null) {
                Check.amount("heap_after_gc_mb", heapAfterGcMb);
            }
        }
    }

    /**
     * Live threads by who made them.
     *
     * @param p3           P3's own, named {@code p3-}: the peers' shared strand pool, timer and pacing threads, the
     *                     links' and discovery's event loops, the cell groups' join and send pools
     * @param jgroups      JGroups' own, which it makes for each cell channel (receivers, bundler, timer, pool)
     * @param other        the JVM's, the bench's and the libraries' (a Netty global executor, say)
     * @param cellChannels JGroups channels open: one per super-peer in a cell
     */
    public record Threads(int p3, int jgroups, int other, @JsonProperty("cell_channels") int cellChannels) {
        public Threads {
            Check.count("p3", p3);
            Check.count("jgroups", jgroups);
            Check.count("other", other);
            Check.count("cell_channels", cellChannels);
        }
    }

    /**
     * The faults of one run.
     *
     * @param level 0 for the root cell's level
     * @param count super-peers down at that level once every fault is in, so that peer and cell
     *              faults compare on one axis (the report's "#Peer Faults"): a cell fault adds the
     *              cell's size
     * @param kind  how they went down
     */
    public record Fault(int level, int count, FaultKind kind) {
        public Fault {
            Check.count("level", level);
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1: " + count);
            }
            Check.present("kind", kind);
        }
    }

    /** One result per traffic class. */
    public record Classes(ClassResult audio, ClassResult video, ClassResult event) {

        /** The classes in results.json's order. */
        public static final List<String> NAMES = List.of("audio", "video", "event");

        public Classes {
            Check.present("audio", audio);
            Check.present("video", video);
            Check.present("event", event);
        }

        /** @throws IllegalArgumentException for a name not in {@link #NAMES} */
        public ClassResult get(String name) {
            return switch (name) {
                case "audio" -> audio;
                case "video" -> video;
                case "event" -> event;
                default -> throw new IllegalArgumentException("no traffic class " + name);
            };
        }
    }

    /**
     * What the client measured of one traffic class.
     *
     * @param latencyMs one-way latency of the frames received; all zero when none was
     */
    public record ClassResult(long sent, long received, long lost, long duplicates, long late,
            @JsonProperty("latency_ms") Latency latencyMs) {
        public ClassResult {
            Check.count("sent", sent);
            Check.count("received", received);
            Check.count("lost", lost);
            Check.count("duplicates", duplicates);
            Check.count("late", late);
            Check.present("latency_ms", latencyMs);
        }
    }

    /** Latency in milliseconds; {@code stddev} is the report's "+/- jitter". */
    public record Latency(double mean, double stddev, double p50, double p99, double max) {
        public Latency {
            Check.amount("mean", mean);
            Check.amount("stddev", stddev);
            Check.amount("p50", p50);
            Check.amount("p99", p99);
            Check.amount("max", max);
        }
    }

    /** Rebind durations in milliseconds, one per rebound peer. */
    public record Rebinds(List<Double> fast, List<Double> slow) {
        public Rebinds {
            fast = Check.amounts("fast", fast);
            slow = Check.amounts("slow", slow);
        }
    }

    /**
     * Bytes and messages that all peers sent: the mesh's own control traffic (acknowledgements
     * included) and the FT strategies' replicas to the cells, apart from payload.
     */
    public record Overhead(
            @JsonProperty("control_bytes") long controlBytes,
            @JsonProperty("payload_bytes") long payloadBytes,
            @JsonProperty("control_messages") long controlMessages,
            @JsonProperty("payload_messages") long payloadMessages,
            @JsonProperty("replication_bytes") long replicationBytes,
            @JsonProperty("replication_messages") long replicationMessages) {
        public Overhead {
            Check.count("control_bytes", controlBytes);
            Check.count("payload_bytes", payloadBytes);
            Check.count("control_messages", controlMessages);
            Check.count("payload_messages", payloadMessages);
            Check.count("replication_bytes", replicationBytes);
            Check.count("replication_messages", replicationMessages);
        }
    }
}
