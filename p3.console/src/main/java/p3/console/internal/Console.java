package p3.console.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Requirement;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.mesh.MeshPeer;
import p3.mesh.audit.AuditLog;
import p3.mesh.spi.FtStrategy;
import p3.report.base.MeshJson;
import p3.report.base.RateLimitedLog;
import p3.report.base.TrafficBundles;
import p3.transport.CellGroups;
import p3.transport.Discovery;
import p3.transport.Links;
import p3.transport.Rejection;
import p3.transport.TransportStats;

/**
 * The web console's state: the peers of this runtime, the operator's token, the last minutes of
 * each class, and the pages that follow the mesh live. A thread ({@code p3-console}) samples the
 * mesh every {@code sampleIntervalMs} and sends the pages what it saw; the servlets read the rest.
 */
@RequireHttpWhiteboard
@Requirement(namespace = "osgi.extender", name = "osgi.metatype", version = "1.4",
        resolution = Requirement.Resolution.OPTIONAL)
@Component(service = Console.class, configurationPid = Console.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = Console.Config.class)
public final class Console {

    public static final String PID = "p3.console";
    public static final String TOKEN_PROPERTY = "p3.console.tokenFile";
    public static final String DEFAULT_TOKEN_FILE = ".p3/console.token";

    @ObjectClassDefinition(name = "P3 web console",
            description = "The live mesh in a browser, /metrics for Prometheus and /health; the port is the HTTP"
                    + " service's (org.osgi.service.http.port of org.apache.felix.http)")
    public @interface Config {
        @AttributeDefinition(description = "The file of the operator's token, made on the first start, readable by"
                + " the owner alone; empty: the framework property p3.console.tokenFile, else .p3/console.token")
        String tokenFile() default "";

        @AttributeDefinition(description = "How often the console samples the mesh and updates the pages, in ms")
        int sampleIntervalMs() default 500;

        @AttributeDefinition(description = "How many minutes of each class the pages plot")
        int historyMinutes() default 10;

        @AttributeDefinition(description = "Pages that may follow the mesh live at once; more are turned away")
        int maxStreams() default 8;
    }

    private static final Logger LOG = System.getLogger(Console.class.getName());

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MeshPeer> peers = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<FtStrategy> strategies = List.of();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Links links;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CellGroups groups;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Discovery discovery;

    private final BundleContext context;
    private final long historyMillis;
    private final OperatorToken token;
    private final ConsoleCounters counters = new ConsoleCounters();
    private final History history;
    private final EventStreams streams;
    private final Actions actions;
    private final ScheduledExecutorService sampler;
    private final RateLimitedLog sampleFailures = new RateLimitedLog(LOG, 10_000);

    @Activate
    public Console(Config config, BundleContext context, @Reference AuditLog audit) {
        checkPositive("sampleIntervalMs", config.sampleIntervalMs());
        checkPositive("historyMinutes", config.historyMinutes());
        checkPositive("maxStreams", config.maxStreams());
        this.context = context;
        this.historyMillis = TimeUnit.MINUTES.toMillis(config.historyMinutes());
        Path file = tokenFile(config.tokenFile(), context.getProperty(TOKEN_PROPERTY));
        try {
            this.token = OperatorToken.of(file);
        } catch (IOException e) {
            throw new IllegalStateException("p3 console: cannot read or create the operator's token "
                    + file.toAbsolutePath() + " (" + e + "); set tokenFile of configuration " + PID
                    + " or the framework property " + TOKEN_PROPERTY, e);
        }
        this.history = new History((int) Math.max(1,
                TimeUnit.MINUTES.toMillis(config.historyMinutes()) / config.sampleIntervalMs()));
        this.streams = new EventStreams(config.maxStreams(), counters);
        this.actions = new Actions(this::peers, this::strategyNames, context, audit, counters);
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p3-console");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, config.sampleIntervalMs(), config.sampleIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    static Path tokenFile(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Path.of(frameworkProperty.strip());
        }
        return Path.of(DEFAULT_TOKEN_FILE);
    }

    private static void checkPositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " of configuration " + PID + " must be positive, was " + value);
        }
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
        streams.closeAll();
    }

    /** The peers of this runtime, by id. */
    List<MeshPeer> peers() {
        List<MeshPeer> copy = new ArrayList<>(peers);
        copy.sort((a, b) -> a.id().compareTo(b.id()));
        return copy;
    }

    List<String> strategyNames() {
        List<String> names = new ArrayList<>();
        for (FtStrategy s : new ArrayList<>(strategies)) {
            names.add(s.name());
        }
        names.sort(null);
        return names;
    }

    BundleContext context() {
        return context;
    }

    OperatorToken token() {
        return token;
    }

    Actions actions() {
        return actions;
    }

    EventStreams streams() {
        return streams;
    }

    ConsoleCounters counters() {
        return counters;
    }

    String metrics() {
        Links l = links;
        TransportStats t = l == null ? null : new WithRefusals(l.stats(), groups, discovery);
        return Metrics.write(peers(), t, counters, streams.size());
    }

    Health health() {
        return Health.of(peers());
    }

    /** The first event of a page's stream: the history so far, then everything as it is now. */
    String firstEvents() {
        ObjectNode h = MeshJson.object();
        h.set("points", history.all());
        return EventStreams.event("history", MeshJson.write(h)) + EventStreams.event("snapshot",
                MeshJson.write(snapshot(peers(), null)));
    }

    /**
     * Everything the page shows: {@code {"time", "peers", "tree", "stats", "failures", "ft",
     * "classes", "health", "point"}}; the documents of {@link MeshJson}, failures with
     * {@code detected_epoch_ms} added.
     */
    ObjectNode snapshot(List<MeshPeer> ps, ObjectNode point) {
        ObjectNode s = MeshJson.object();
        s.put("time", System.currentTimeMillis());
        s.set("peers", MeshJson.peers(ps).get("peers"));
        s.set("tree", MeshJson.tree(ps));
        s.set("stats", MeshJson.stats(ps));
        s.set("failures", failures(ps));
        s.set("ft", MeshJson.ft(ps, strategyNames()));
        s.set("classes", MeshJson.classes(TrafficBundles.list(context)).get("classes"));
        s.set("health", Health.of(ps).body());
        if (point != null) {
            s.set("point", point);
        }
        s.put("token_file", token.file().toAbsolutePath().toString());
        s.put("history_ms", historyMillis);
        return s;
    }

    /** {@link MeshJson#failures}, each with {@code detected_epoch_ms}: this host's nanoTime on the wall clock. */
    static JsonNode failures(List<MeshPeer> ps) {
        JsonNode all = MeshJson.failures(ps).get("failures");
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        for (JsonNode f : all) {
            long detected = f.get("detected_nanos").asLong();
            ((ObjectNode) f).put("detected_epoch_ms", nowMillis - (nowNanos - detected) / 1_000_000);
        }
        return all;
    }

    ObjectNode history() {
        ObjectNode h = MeshJson.object();
        h.set("points", history.all());
        return h;
    }

    /** The sampling thread's task: guarded, so that one bad sample never ends the sampling. */
    private void sample() {
        try {
            List<MeshPeer> ps = peers();
            ObjectNode point = history.sample(ps, System.currentTimeMillis());
            if (streams.size() > 0) {
                streams.broadcast(EventStreams.event("snapshot", MeshJson.write(snapshot(ps, point))));
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
            long n = counters.sampleFailures.incrementAndGet();
            sampleFailures.log(Level.WARNING, () -> "p3 console: a sample of the mesh failed (" + n + " so far)", t);
        }
    }

    /** The links' counters, with what the cells and discovery refused added to the links' rejections. */
    private record WithRefusals(TransportStats links, CellGroups groups, Discovery discovery) implements TransportStats {
        @Override
        public long framesSent() {
            return links.framesSent();
        }

        @Override
        public long bytesSent() {
            return links.bytesSent();
        }

        @Override
        public long framesReceived() {
            return links.framesReceived();
        }

        @Override
        public long bytesReceived() {
            return links.bytesReceived();
        }

        @Override
        public long framesRefused() {
            return links.framesRefused();
        }

        @Override
        public long linksOpened() {
            return links.linksOpened();
        }

        @Override
        public long linksClosed() {
            return links.linksClosed();
        }

        @Override
        public java.util.Map<Rejection, Long> rejections() {
            java.util.Map<Rejection, Long> all = new java.util.EnumMap<>(links.rejections());
            if (groups != null) {
                groups.stats().rejections().forEach((r, n) -> all.merge(r, n, Long::sum));
            }
            if (discovery != null) {
                discovery.stats().rejections().forEach((r, n) -> all.merge(r, n, Long::sum));
            }
            return all;
        }
    }
}
