package p3.bench.transport;

import java.util.EnumMap;
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

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "p3-bench transport: %d B payload, one EVENT link on 127.0.0.1, %d event loop threads, TCP_NODELAY%n",
                setup.payloadBytes(), setup.ioThreads()));
        if (Math.max(latency.size(), throughput.size()) > 1) {
            out.append("the transports ran in turns of " + setup.slice()
                    + ", so that other load on the machine fell on both alike\n");
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
        String head = "%-14s|%9s%9s%9s%9s%9s%7s |%11s%9s%9s%n";
        out.append(String.format(Locale.ROOT, head, "", "p50 us", "p99 us", "p99.9 us", "max us", "mean us", "lost",
                "frames/s", "MB/s", "refused"));
        out.append("-".repeat(14)).append('+').append("-".repeat(53)).append('+').append("-".repeat(30)).append('\n');
        for (Impl impl : Impl.values()) {
            if (!latency.containsKey(impl) && !throughput.containsKey(impl)) {
                continue;
            }
            LatencyFigures l = latency.get(impl);
            ThroughputFigures t = throughput.get(impl);
            out.append(String.format(Locale.ROOT, "%-14s|", impl.label));
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
        if (latency.size() == 2 || throughput.size() == 2) {
            out.append(String.format(Locale.ROOT, "%-14s|", "ratio p3/bare"));
            LatencyFigures p = latency.get(Impl.P3);
            LatencyFigures b = latency.get(Impl.BARE);
            if (p != null && b != null) {
                out.append(String.format(Locale.ROOT, "%8.2fx%8.2fx%8.2fx%8.2fx%8.2fx%7s |", ratio(p.p50Us(), b.p50Us()),
                        ratio(p.p99Us(), b.p99Us()), ratio(p.p999Us(), b.p999Us()), ratio(p.maxUs(), b.maxUs()),
                        ratio(p.meanUs(), b.meanUs()), ""));
            } else {
                out.append(String.format(Locale.ROOT, "%52s |", "-"));
            }
            ThroughputFigures tp = throughput.get(Impl.P3);
            ThroughputFigures tb = throughput.get(Impl.BARE);
            if (tp != null && tb != null) {
                out.append(String.format(Locale.ROOT, "%10.2fx%8.2fx", ratio(tp.framesPerSecond(), tb.framesPerSecond()),
                        ratio(tp.payloadMBps(), tb.payloadMBps())));
            }
            out.append('\n');
        }
        out.append('\n');
        notes(out);
        return out.toString();
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
            out.append(".\n");
        }
        latency.forEach((impl, l) -> out.append(String.format(Locale.ROOT,
                "%-10s latency run: event loops %.2f us CPU and %.0f B allocated per frame; sender lag p99 %.1f us; "
                        + "refused %d%n",
                impl.label, l.loopCpuUsPerFrame(), l.loopAllocBytesPerFrame(), l.senderLagP99Us(), l.refused())));
        throughput.forEach((impl, t) -> out.append(String.format(Locale.ROOT,
                "%-10s throughput run: event loops %.2f us CPU and %.0f B allocated per frame; at most %,d frames "
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
        for (Impl impl : Impl.values()) {
            if (!latency.containsKey(impl) && !throughput.containsKey(impl)) {
                continue;
            }
            Map<String, Object> r = Json.object();
            r.put("label", impl.label);
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
            results.put(impl.name().toLowerCase(Locale.ROOT), r);
        }
        root.put("results", results);
        Map<String, Object> ratio = Json.object();
        LatencyFigures p = latency.get(Impl.P3);
        LatencyFigures b = latency.get(Impl.BARE);
        if (p != null && b != null) {
            ratio.put("p50", ratio(p.p50Us(), b.p50Us()));
            ratio.put("p99", ratio(p.p99Us(), b.p99Us()));
            ratio.put("p999", ratio(p.p999Us(), b.p999Us()));
            ratio.put("max", ratio(p.maxUs(), b.maxUs()));
            ratio.put("mean", ratio(p.meanUs(), b.meanUs()));
        }
        ThroughputFigures tp = throughput.get(Impl.P3);
        ThroughputFigures tb = throughput.get(Impl.BARE);
        if (tp != null && tb != null) {
            ratio.put("framesPerSecond", ratio(tp.framesPerSecond(), tb.framesPerSecond()));
            ratio.put("payloadMBps", ratio(tp.payloadMBps(), tb.payloadMBps()));
        }
        if (!ratio.isEmpty()) {
            root.put("ratioP3OverBare", ratio);
        }
        return root;
    }
}
