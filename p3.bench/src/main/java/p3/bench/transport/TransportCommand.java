package p3.bench.transport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import p3.bench.DurationConverter;
import p3.bench.Json;
import p3.bench.MachineLoad;
import p3.transport.Frame;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code p3-bench transport}: one P3 link, in the clear and over TLS by each provider, against the
 * least Netty that carries the same frames, on loopback in this JVM, for one-way latency at a
 * steady rate and for the most frames per second.
 */
@Command(name = "transport", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "One-way latency at a steady rate and maximum throughput of one P3 link (EVENT class), in the clear "
                    + "and over TLS 1.3 with mutual authentication (JDK and OpenSSL providers), and of a bare Netty "
                    + "TCP pair carrying the same frames, on 127.0.0.1 in this JVM.",
            "Latency is measured from each frame's intended send time (no coordinated omission)." })
public final class TransportCommand implements Callable<Integer> {

    /** Which measurements to make. */
    enum Measure {
        LATENCY, THROUGHPUT
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", defaultValue = "10000", paramLabel = "N",
            description = "Frames per second of the latency run (default: ${DEFAULT-VALUE}).")
    long rate;

    static final class Amount {
        @Option(names = "--frames", paramLabel = "N", description = "Frames measured in the latency run.")
        Long frames;

        @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
                description = "Length of the measured latency run (default: 4s; so --rate x 4 frames).")
        Duration duration;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Amount amount;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Frames sent at the rate before the latency run, not measured (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--throughput-duration", defaultValue = "3s", paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Measured window of the throughput run (default: ${DEFAULT-VALUE}).")
    Duration throughputDuration;

    @Option(names = "--throughput-warmup", defaultValue = "1s", paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Sending at full speed before the throughput window (default: ${DEFAULT-VALUE}).")
    Duration throughputWarmup;

    @Option(names = "--payload", defaultValue = "1024", paramLabel = "BYTES",
            description = "Payload of each frame, at least 16 (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--io-threads", defaultValue = "2", paramLabel = "N",
            description = "Event loop threads of each transport (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--impl", split = ",", defaultValue = "p3,tls-jdk,tls-openssl,bare", paramLabel = "IMPL",
            converter = Impl.Converter.class, completionCandidates = Impl.Ids.class,
            description = "Transports to run: ${COMPLETION-CANDIDATES}: the P3 link in the clear, over TLS 1.3 "
                    + "by the JDK or by OpenSSL (BoringSSL, skipped with a word when it cannot load here), "
                    + "bare Netty (default: ${DEFAULT-VALUE}).")
    List<Impl> impls;

    @Option(names = "--measure", split = ",", defaultValue = "latency,throughput", paramLabel = "WHAT",
            description = "Measurements: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<Measure> measures;

    @Option(names = "--slice", defaultValue = "500ms", paramLabel = "TIME", converter = DurationConverter.class,
            description = "The transports take turns in slices this long, so that other load on the machine "
                    + "falls on all alike (default: ${DEFAULT-VALUE}).")
    Duration slice;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to FILE as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        validate();
        long frames = measuredFrames();
        long warmupFrames = Pacer.framesIn(warmup, rate);
        long sliceFrames = Math.max(1, Pacer.framesIn(slice, rate));
        Report report = new Report(new Report.Setup(payload, ioThreads, rate, warmupFrames, frames,
                DurationConverter.format(throughputDuration), DurationConverter.format(throughputWarmup),
                DurationConverter.format(slice)));
        PrintWriter err = spec.commandLine().getErr();
        List<Impl> which = available(distinct(impls), err);
        if (which.isEmpty()) {
            err.println("no transport left to run");
            err.flush();
            return 1;
        }
        String names = String.join(" and ", which.stream().map(i -> i.label).toList());
        MachineLoad.Sample before = MachineLoad.sample();
        if (measures.contains(Measure.LATENCY)) {
            err.printf(Locale.ROOT, "latency of %s: %d frames each at %d/s, in turns of %s ...%n", names,
                    warmupFrames + frames, rate, DurationConverter.format(slice));
            err.flush();
            Runs.latency(which, ioThreads, payload, rate, warmupFrames, frames, sliceFrames).forEach(report::add);
        }
        if (measures.contains(Measure.THROUGHPUT)) {
            err.printf(Locale.ROOT, "throughput of %s: %s each, in turns of %s ...%n", names,
                    DurationConverter.format(throughputWarmup.plus(throughputDuration)),
                    DurationConverter.format(slice));
            err.flush();
            Runs.throughput(which, ioThreads, payload, throughputWarmup, throughputDuration, slice)
                    .forEach(report::add);
        }
        report.load(MachineLoad.between(before, MachineLoad.sample()));
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.table());
        out.flush();
        if (json != null) {
            writeJson(report);
            out.println("figures written to " + json);
            out.flush();
        }
        return 0;
    }

    long measuredFrames() {
        if (amount != null && amount.frames != null) {
            return amount.frames;
        }
        Duration d = amount != null && amount.duration != null ? amount.duration : Duration.ofSeconds(4);
        return Pacer.framesIn(d, rate);
    }

    private void validate() {
        if (rate <= 0) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive: " + rate);
        }
        if (measuredFrames() <= 0) {
            throw new ParameterException(spec.commandLine(), "the latency run must measure at least one frame");
        }
        // 4 empty-ish identifiers and the header must fit the transport's 1 MiB frames
        int maxPayload = (1 << 20) - 4 * Frame.MAX_ID_BYTES - 64;
        if (payload < BenchTarget.MIN_PAYLOAD || payload > maxPayload) {
            throw new ParameterException(spec.commandLine(),
                    "--payload must be between " + BenchTarget.MIN_PAYLOAD + " and " + maxPayload + ": " + payload);
        }
        if (ioThreads <= 0) {
            throw new ParameterException(spec.commandLine(), "--io-threads must be positive: " + ioThreads);
        }
        if (slice.isZero() || slice.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--slice must be positive");
        }
        if (throughputDuration.isZero() || throughputDuration.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--throughput-duration must be positive");
        }
    }

    private static List<Impl> distinct(List<Impl> impls) {
        return impls.stream().distinct().sorted().toList();
    }

    /** Those that can run here; a word on {@code err} for each that cannot. */
    static List<Impl> available(List<Impl> impls, PrintWriter err) {
        List<Impl> out = new ArrayList<>();
        for (Impl impl : impls) {
            String why = impl.unavailable();
            if (why == null) {
                out.add(impl);
            } else {
                err.printf(Locale.ROOT, "%s: skipped, %s%n", impl.id, why);
            }
        }
        err.flush();
        return out;
    }

    private void writeJson(Report report) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(json, Json.write(report.json()), StandardCharsets.UTF_8);
    }
}
