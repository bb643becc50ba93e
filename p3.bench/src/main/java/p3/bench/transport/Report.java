package p3.bench.transport;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import p3.bench.Json;
import p3.bench.MachineLoad;

/** The figures of a transport bench, as a table for people and as JSON for scripts. */
final class Report {

    /** What the run was asked to do, for the heading and the JSON. */
    record Setup(int payloadBytes, int ioThreads, long rate, long warmupFrames, long frames, String throughputWindow,
            String throughputWarmup, String slice) {
    }

    static final String LATENCY_METHOD = "one-way, receiver's nanoTime minus each frame's intended send time "
            + "(start + i/rate), so a late sender counts against the link: no coordinated omission";

    private final Setup setup;
    private final Map<Impl, LatencyFigures> latency = new EnumMap<>(Impl.class);
    private final Map<Impl, ThroughputFigures> throughput = new EnumMap<>(Impl.class);

    private MachineLoad.Load load;

    Report(Setup setup) {
        this.setup = setup;
    }

    /** How busy the machine was during the runs. */
    void load(MachineLoad.Load l) {
        this.load = l;
    }

    void add(Impl impl, LatencyFigures f) {
        latency.put(impl, f);
    }

    void add(Impl impl, ThroughputFigures f) {
        throughput.put(impl, f);
    }

    /** {@code a / b}, or NaN when either is missing or b is zero. */
    static double ratio(double a, double b) {
        return b == 0 || Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a / b;
    }

    /** Width of the first column: the longest label, {@code tls openssl/plain}. */
    private static final int LABEL = 18;

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "p3-bench transport: %d B payload, one EVENT link on 127.0.0.1, %d event loop threads, TCP_NODELAY%n",
                setup.payloadBytes(), setup.ioThreads()));
        if (Math.max(latency.size(), throughput.size()) > 1) {
            out.append("the transports ran in turns of " + setup.slice()
                    + ", so that other load on the machine fell on all alike\n");
        }
        if (ran().stream().anyMatch(Impl::tls)) {
            out.append("tls: TLS 1.3, both ends authenticated by certificates of one mesh CA (EC P-256), the "
                    + "handshake made before measuring\n");
        }
        if (!latency.isEmpty()) {
            out.append(String.format(Locale.ROOT, "latency:    %d frames at %d/s after %d warm-up frames; %s%n",
                    setup.frames(), setup.rate(), setup.warmupFrames(), LATENCY_METHOD));
        }
        if (!throughput.isEmpty()) {
            out.append(String.format(Locale.ROOT,
                    "throughput: frames received in %s after %s of warm-up, the sender sending while the link "
                            + "accepts and backing off until it is writable when refused%n",
                    setup.throughputWindow(), setup.throughputWarmup()));
        }
        out.append('\n');
        String head = "%-" + LABEL + "s|%9s%9s%9s%9s%9s%7s |%11s%9s%9s%n";
        out.append(String.format(Locale.ROOT, head, "", "p50 us", "p99 us", "p99.9 us", "max us", "mean us", "lost",
                "frames/s", "MB/s", "refused"));
        out.append("-".repeat(LABEL)).append('+').append("-".repeat(53)).append('+').append("-".repeat(30)).append('\n');
        for (Impl impl : ran()) {
            LatencyFigures l = latency.get(impl);
            ThroughputFigures t = throughput.get(impl);
            out.append(String.format(Locale.ROOT, "%-" + LABEL + "s|", impl.label));
            if (l != null) {
                out.append(String.format(Locale.ROOT, "%9.1f%9.1f%9.1f%9.1f%9.1f%7d |", l.p50Us(), l.p99Us(),
                        l.p999Us(), l.maxUs(), l.meanUs(), l.lost()));
            } else {
                out.append(String.format(Locale.ROOT, "%52s |", "-"));
            }
            if (t != null) {
                out.append(String.format(Locale.ROOT, "%,11.0f%9.1f%9d", t.framesPerSecond(), t.payloadMBps(),
                        t.refused()));
            } else {
                out.append(String.format(Locale.ROOT, "%11s", "-"));
            }
            out.append('\n');
        }
        for (Comparison c : comparisons()) {
            ratioRow(out, c);
        }
        out.append('\n');
        costs(out);
        notes(out);
        return out.toString();
    }

    /** The transports with figures, in the order of the rows. */
    private List<Impl> ran() {
        return Arrays.stream(Impl.values()).filter(i -> latency.containsKey(i) || throughput.containsKey(i)).toList();
    }

    /** What one transport's figures are set against: the P3 link against bare Netty, each TLS lane against the plain link. */
    record Comparison(Impl of, Impl over, String label, String jsonKey) {
    }

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison(Impl.P3, Impl.BARE, "ratio p3/bare", "ratioP3OverBare"),
            new Comparison(Impl.TLS_JDK, Impl.P3, "tls jdk/plain", "ratioTlsJdkOverPlain"),
            new Comparison(Impl.TLS_OPENSSL, Impl.P3, "tls openssl/plain", "ratioTlsOpensslOverPlain"));

    /** Those whose two transports both have latency or both have throughput figures. */
    private List<Comparison> comparisons() {
        return COMPARISONS.stream().filter(c -> latency.containsKey(c.of()) && latency.containsKey(c.over())
                || throughput.containsKey(c.of()) && throughput.containsKey(c.over())).toList();
    }

    private void ratioRow(StringBuilder out, Comparison c) {
        out.append(String.format(Locale.ROOT, "%-" + LABEL + "s|", c.label()));
        LatencyFigures p = latency.get(c.of());
        LatencyFigures b = latency.get(c.over());
        if (p != null && b != null) {
            out.append(String.format(Locale.ROOT, "%8.2fx%8.2fx%8.2fx%8.2fx%8.2fx%7s |", ratio(p.p50Us(), b.p50Us()),
                    ratio(p.p99Us(), b.p99Us()), ratio(p.p999Us(), b.p999Us()), ratio(p.maxUs(), b.maxUs()),
                    ratio(p.meanUs(), b.meanUs()), ""));
        } else {
            out.append(String.format(Locale.ROOT, "%52s |", "-"));
        }
        ThroughputFigures tp = throughput.get(c.of());
        ThroughputFigures tb = throughput.get(c.over());
        if (tp != null && tb != null) {
            out.append(String.format(Locale.ROOT, "%10.2fx%8.2fx", ratio(tp.framesPerSecond(), tb.framesPerSecond()),
                    ratio(tp.payloadMBps(), tb.payloadMBps())));
        }
        out.append('\n');
    }

    /**
     * What a frame costs the event loops of both ends, in each run, and what TLS adds to the plain
     * link's: the figure to read when choosing a provider, as latency on an idle loopback hides it.
     */
    private void costs(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "%-" + LABEL + "s|%24s |%24s%n", "per frame,", "latency run",
                "throughput run"));
        out.append(String.format(Locale.ROOT, "%-" + LABEL + "s|%12s%12s |%12s%12s%n", "both event loops", "CPU us",
                "alloc B", "CPU us", "alloc B"));
        out.append("-".repeat(LABEL)).append('+').append("-".repeat(25)).append('+').append("-".repeat(24)).append('\n');
        for (Impl impl : ran()) {
            out.append(String.format(Locale.ROOT, "%-" + LABEL + "s|", impl.label));
            LatencyFigures l = latency.get(impl);
            out.append(l == null ? String.format(Locale.ROOT, "%24s |", "-")
                    : String.format(Locale.ROOT, "%12.2f%12.0f |", l.loopCpuUsPerFrame(), l.loopAllocBytesPerFrame()));
            ThroughputFigures t = throughput.get(impl);
            out.append(t == null ? String.format(Locale.ROOT, "%24s", "-")
                    : String.format(Locale.ROOT, "%12.2f%12.0f", t.loopCpuUsPerFrame(), t.loopAllocBytesPerFrame()));
            out.append('\n');
        }
        for (Comparison c : comparisons()) {
            out.append(String.format(Locale.ROOT, "%-" + LABEL + "s|", c.label()));
            LatencyFigures p = latency.get(c.of());
            LatencyFigures b = latency.get(c.over());
            out.append(p == null || b == null ? String.format(Locale.ROOT, "%24s |", "-")
                    : String.format(Locale.ROOT, "%11.2fx%11.2fx |", ratio(p.loopCpuUsPerFrame(), b.loopCpuUsPerFrame()),
                            ratio(p.loopAllocBytesPerFrame(), b.loopAllocBytesPerFrame())));
            ThroughputFigures tp = throughput.get(c.of());
            ThroughputFigures tb = throughput.get(c.over());
            out.append(tp == null || tb == null ? String.format(Locale.ROOT, "%24s", "-")
                    : String.format(Locale.ROOT, "%11.2fx%11.2fx",
                            ratio(tp.loopCpuUsPerFrame(), tb.loopCpuUsPerFrame()),
                            ratio(tp.loopAllocBytesPerFrame(), tb.loopAllocBytesPerFrame())));
            out.append('\n');
        }
        out.append('\n');
    }

    private void notes(StringBuilder out) {
        if (load != null && load.known()) {
            out.append(String.format(Locale.ROOT,
                    "machine during the runs (%d CPUs): this JVM %.0f%%, other processes %.0f%%, steal %.1f%%%s%n",
                    load.cpus(), 100 * load.self(), 100 * load.others(), 100 * load.steal(),
                    load.disturbed() ? "  << other load: take these figures with care" : ""));
        }
        if (!throughput.isEmpty()) {
            out.append("MB/s: payload, 10^6 B/s. On the wire a frame is");
            throughput.forEach((impl, t) -> out.append(String.format(Locale.ROOT, " %s %d B (%.1f MB/s)", impl.label,
                    t.wireBytes(), t.wireMBps())));
            out.append(throughput.keySet().stream().anyMatch(Impl::tls)
                    ? "; over TLS before its records, which add 22 B each (a record carries up to 16 KiB of frames).\n"
                    : ".\n");
        }
        latency.forEach((impl, l) -> out.append(String.format(Locale.ROOT,
                "%-14s latency run: event loops %.2f us CPU and %.0f B allocated per frame; sender lag p99 %.1f us; "
                        + "refused %d%n",
                impl.label, l.loopCpuUsPerFrame(), l.loopAllocBytesPerFrame(), l.senderLagP99Us(), l.refused())));
        throughput.forEach((impl, t) -> out.append(String.format(Locale.ROOT,
                "%-14s throughput run: event loops %.2f us CPU and %.0f B allocated per frame; at most %,d frames "
                        + "in flight when refused, latency while saturated p50 %.0f us p99 %.0f us; lost %d%n",
                impl.label, t.loopCpuUsPerFrame(), t.loopAllocBytesPerFrame(), t.maxInFlight(), t.saturatedP50Us(),
                t.saturatedP99Us(), t.lost())));
    }

    Map<String, Object> json() {
        Map<String, Object> root = Json.object();
        root.put("bench", "transport");
        Map<String, Object> s = Json.object();
        s.put("payloadBytes", setup.payloadBytes());
        s.put("ioThreads", setup.ioThreads());
        s.put("trafficClass", "event");
        s.put("address", "127.0.0.1");
        s.put("tcpNoDelay", true);
        s.put("rate", setup.rate());
        s.put("warmupFrames", setup.warmupFrames());
        s.put("frames", setup.frames());
        s.put("latencyMethod", LATENCY_METHOD);
        s.put("coordinatedOmission", "corrected: recorded against intended send time");
        s.put("throughputWindow", setup.throughputWindow());
        s.put("throughputWarmup", setup.throughputWarmup());
        s.put("slice", setup.slice());
        root.put("setup", s);
        if (load != null && load.known()) {
            Map<String, Object> m = Json.object();
            m.put("cpus", load.cpus());
            m.put("selfFraction", load.self());
            m.put("othersFraction", load.others());
            m.put("stealFraction", load.steal());
            m.put("disturbed", load.disturbed());
            root.put("machine", m);
        }
        Map<String, Object> results = Json.object();
        for (Impl impl : ran()) {
            Map<String, Object> r = Json.object();
            r.put("label", impl.label);
            r.put("tls", impl == Impl.TLS_JDK ? "jdk" : impl == Impl.TLS_OPENSSL ? "openssl" : "none");
            LatencyFigures l = latency.get(impl);
            if (l != null) {
                Map<String, Object> m = Json.object();
                m.put("sent", l.sent());
                m.put("received", l.received());
                m.put("lost", l.lost());
                m.put("refused", l.refused());
                m.put("p50Us", l.p50Us());
                m.put("p90Us", l.p90Us());
                m.put("p99Us", l.p99Us());
                m.put("p999Us", l.p999Us());
                m.put("maxUs", l.maxUs());
                m.put("meanUs", l.meanUs());
                m.put("senderLagP99Us", l.senderLagP99Us());
                m.put("loopCpuUsPerFrame", l.loopCpuUsPerFrame());
                m.put("loopAllocBytesPerFrame", l.loopAllocBytesPerFrame());
                r.put("latency", m);
            }
            ThroughputFigures t = throughput.get(impl);
            if (t != null) {
                Map<String, Object> m = Json.object();
                m.put("seconds", t.seconds());
                m.put("frames", t.frames());
                m.put("framesPerSecond", t.framesPerSecond());
                m.put("payloadMBps", t.payloadMBps());
                m.put("wireBytesPerFrame", t.wireBytes());
                m.put("wireMBps", t.wireMBps());
                m.put("refused", t.refused());
                m.put("maxInFlightWhenRefused", t.maxInFlight());
                m.put("lost", t.lost());
                m.put("saturatedLatencyP50Us", t.saturatedP50Us());
                m.put("saturatedLatencyP99Us", t.saturatedP99Us());
                m.put("loopCpuUsPerFrame", t.loopCpuUsPerFrame());
                m.put("loopAllocBytesPerFrame", t.loopAllocBytesPerFrame());
                r.put("throughput", m);
            }
            results.put(impl.id, r);
        }
        root.put("results", results);
        for (Comparison c : comparisons()) {
            root.put(c.jsonKey(), ratios(c));
        }
        return root;
    }

    /** Latency and throughput ratios of a comparison, and those of the event loops' cost per frame. */
    private Map<String, Object> ratios(Comparison c) {
        Map<String, Object> ratio = Json.object();
        LatencyFigures p = latency.get(c.of());
        LatencyFigures b = latency.get(c.over());
        if (p != null && b != null) {
            ratio.put("p50", ratio(p.p50Us(), b.p50Us()));
            ratio.put("p99", ratio(p.p99Us(), b.p99Us()));
            ratio.put("p999", ratio(p.p999Us(), b.p999Us()));
            ratio.put("max", ratio(p.maxUs(), b.maxUs()));
            ratio.put("mean", ratio(p.meanUs(), b.meanUs()));
            ratio.put("latencyLoopCpuPerFrame", ratio(p.loopCpuUsPerFrame(), b.loopCpuUsPerFrame()));
            ratio.put("latencyLoopAllocPerFrame", ratio(p.loopAllocBytesPerFrame(), b.loopAllocBytesPerFrame()));
        }
        ThroughputFigures tp = throughput.get(c.of());
        ThroughputFigures tb = throughput.get(c.over());
        if (tp != null && tb != null) {
            ratio.put("framesPerSecond", ratio(tp.framesPerSecond(), tb.framesPerSecond()));
            ratio.put("payloadMBps", ratio(tp.payloadMBps(), tb.payloadMBps()));
            ratio.put("throughputLoopCpuPerFrame", ratio(tp.loopCpuUsPerFrame(), tb.loopCpuUsPerFrame()));
            ratio.put("throughputLoopAllocPerFrame", ratio(tp.loopAllocBytesPerFrame(), tb.loopAllocBytesPerFrame()));
        }
        return ratio;
    }
}
