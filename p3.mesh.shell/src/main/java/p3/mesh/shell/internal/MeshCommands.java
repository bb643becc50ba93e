package p3.mesh.shell.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.FtMode;
import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.StrandStats;
import p3.mesh.audit.AuditLog;
import p3.mesh.spi.FtStrategy;
import p3.mesh.spi.TrafficService;
import p3.report.base.MeshJson;
import p3.report.base.TrafficBundles;
import p3.transport.CellGroups;
import p3.transport.Discovery;
import p3.transport.Links;
import p3.transport.Rejection;
import p3.transport.TransportStats;

/**
 * Gogo commands of scope {@code p3}: the tree, the peers, their links and failures, fault injection,
 * loading and unloading traffic classes, and what a bench needs to drive one peer per runtime
 * (request, restart latency, stop sources). Every command that changes the mesh is written to the
 * {@link AuditLog}, with who sent it: the session variable {@value #ORIGIN}, which the remote shell
 * sets to its socket and the user at the other end; without it (this runtime's own console), the
 * runtime's user.
 */
@Component(service = MeshCommands.class, property = { "osgi.command.scope=p3", "osgi.command.function=tree",
        "osgi.command.function=peers", "osgi.command.function=links", "osgi.command.function=failures",
        "osgi.command.function=crash", "osgi.command.function=crashcell", "osgi.command.function=leave",
        "osgi.command.function=stats", "osgi.command.function=ft", "osgi.command.function=request",
        "osgi.command.function=restartlatency", "osgi.command.function=stopsources", "osgi.command.function=load",
        "osgi.command.function=unload", "osgi.command.function=classes", "osgi.command.function=deliveries" })
public final class MeshCommands {

    /** The session variable that says who sent a command, e.g. {@code shell .p3/shell.sock (user alice)}. */
    public static final String ORIGIN = "p3.origin";

    private final BundleContext context;
    private final AuditLog audit;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MeshPeer> peers;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<FtStrategy> strategies;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TrafficService> traffic;

    /** The runtime's transport, for what it refused; optional, so that the commands work without it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Links links;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CellGroups groups;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Discovery discovery;

    @Activate
    public MeshCommands(BundleContext context, @Reference AuditLog audit) {
        this.context = context;
        this.audit = audit;
    }

    /** An action that changes the mesh; what it returns is the command's answer. */
    @FunctionalInterface
    interface Action {
        String run() throws Exception;
    }

    /** Runs the action and writes it to the audit log, with its outcome; a failure is thrown on. */
    private String audited(CommandSession session, String what, Action action) throws Exception {
        String who = who(session);
        try {
            String answer = action.run();
            audit.record(who, what, "ok");
            return answer;
        } catch (Exception e) {
            audit.record(who, what, "failed: " + e.getMessage());
            throw e;
        }
    }

    static String who(CommandSession session) {
        Object origin = session == null ? null : session.get(ORIGIN);
        return origin != null ? origin.toString() : "shell (user " + System.getProperty("user.name") + ")";
    }

    @Descriptor("the tree as a root super-peer of this runtime sees it")
    public String tree() {
        for (MeshPeer p : sorted()) {
            if (p.role() == PeerRole.SUPER && p.cell() != null && p.cell().isRoot()
                    && p.state() == PeerState.BOUND) {
                List<String> lines = p.tree();
                return "tree as " + p.id() + " sees it (" + lines.size() + " peers)\n" + String.join("\n", lines);
            }
        }
        throw new IllegalStateException("no root super-peer runs in this runtime");
    }

    @Descriptor("the peers of this runtime with role, cell, state, parents, and their strand: tasks waiting, "
            + "failed, refused, and STALLED when it has not turned for a while")
    public String peers() {
        StringBuilder out = new StringBuilder(String.format("%-14s %-7s %-6s %-10s %-24s %s%n", "peer", "role", "cell",
                "state", "parents", "strand (waiting/failed/refused)"));
        for (MeshPeer p : sorted()) {
            StrandStats st = p.strand();
            out.append(String.format("%-14s %-7s %-6s %-10s %-24s %d/%d/%d%s%n", p.id(),
                    p.role().name().toLowerCase(Locale.ROOT), p.cell(), p.state(), String.join(",", p.parents()),
                    st.depth(), st.failed(), st.refused(), st.stalled() ? " STALLED" : ""));
        }
        return out.toString();
    }

    @Descriptor("the links of one peer")
    public String links(@Descriptor("peer id") String peer) {
        return String.join("\n", find(peer).links());
    }

    @Descriptor("the failures one peer saw, with detection and rebind")
    public String failures(@Descriptor("print JSON, times as System.nanoTime of this host") @Parameter(
            names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("peer id") String peer) {
        MeshPeer p = find(peer);
        return json ? StatsReport.failuresJson(List.of(p)) : failuresText(p);
    }

    @Descriptor("the failures every peer of this runtime saw, with detection and rebind")
    public String failures(@Descriptor("print JSON, times as System.nanoTime of this host") @Parameter(
            names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        List<MeshPeer> here = sorted();
        if (json) {
            return StatsReport.failuresJson(here);
        }
        StringBuilder out = new StringBuilder();
        for (MeshPeer p : here) {
            out.append(failuresText(p));
        }
        return out.toString();
    }

    private static String failuresText(MeshPeer peer) {
        StringBuilder out = new StringBuilder();
        for (FailureRecord f : peer.failures()) {
            out.append(String.format("%s saw %s fail (%s), rebind %s %.1f ms%n", f.observer(), f.failed(), f.how(),
                    f.rebind() == null ? "none" : f.rebind(), f.rebindMillis()));
        }
        return out.toString();
    }

    @Descriptor("the clients of this runtime ask every sensor for every loaded traffic class, at its profile's deadline")
    public String request(CommandSession session,
            @Descriptor("which classes are fault-tolerant: none, event, event+video or all") String mode)
            throws Exception {
        return audited(session, "request " + mode, () -> request(mode));
    }

    private String request(String mode) {
        FtMode m = FtMode.of(mode);
        List<MeshPeer> clients = here(PeerRole.CLIENT);
        List<TrafficService> services = new ArrayList<>(traffic);
        if (services.isEmpty()) {
            throw new IllegalStateException("no traffic class is loaded in this runtime");
        }
        List<String> asked = new ArrayList<>();
        for (MeshPeer client : clients) {
            for (TrafficService s : services) {
                String cls = s.trafficClass();
                client.requestAll(cls, new Qos(m.faultTolerant(cls), s.profile().qos().deadline()));
                asked.add(cls + (m.faultTolerant(cls) ? " (FT)" : ""));
            }
        }
        asked.sort(null);
        return clients.size() + " client(s) asked every sensor for " + String.join(", ", asked);
    }

    @Descriptor("the clients of this runtime measure latency from now on (after a warm-up); the counts go on")
    public String restartlatency(CommandSession session) throws Exception {
        return audited(session, "restartlatency", this::restartLatency);
    }

    private String restartLatency() {
        List<MeshPeer> clients = here(PeerRole.CLIENT);
        for (MeshPeer client : clients) {
            client.restartLatency();
        }
        return clients.size() + " client(s) measure latency from now on";
    }

    @Descriptor("the sensors of this runtime stop their sources and report their final counts to the clients")
    public String stopsources(CommandSession session) throws Exception {
        return audited(session, "stopsources", this::stopSources);
    }

    private String stopSources() {
        List<MeshPeer> sensors = here(PeerRole.SENSOR);
        for (MeshPeer sensor : sensors) {
            sensor.stopSources();
        }
        return sensors.size() + " sensor(s) stopped their sources";
    }

    @Descriptor("statistics: per class at each client, mesh overhead, CPU and heap")
    public String stats(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true",
            absentValue = "false") boolean json) {
        Map<Rejection, Long> refused = new EnumMap<>(Rejection.class);
        Links l = links;
        CellGroups g = groups;
        Discovery d = discovery;
        for (TransportStats t : new TransportStats[] { l == null ? null : l.stats(), g == null ? null : g.stats(),
                d == null ? null : d.stats() }) {
            if (t != null) {
                t.rejections().forEach((reason, n) -> refused.merge(reason, n, Long::sum));
            }
        }
        StatsReport report = new StatsReport(sorted(), refused);
        return json ? report.json() : report.table();
    }

    @Descriptor("what each client of this runtime delivered, per class and source: lost, delivered twice, out of order")
    public String deliveries(@Descriptor("print JSON, with the holes and the slots of send time (times as "
            + "System.nanoTime of this host)") @Parameter(names = "--json", presentValue = "true",
                    absentValue = "false") boolean json) {
        List<MeshPeer> clients = sorted().stream().filter(p -> p.role() == PeerRole.CLIENT).toList();
        if (json) {
            return MeshJson.write(MeshJson.deliveries(clients));
        }
        StringBuilder out = new StringBuilder(String.format("%-10s %-6s %-12s %9s %9s %7s %7s %12s%n", "client",
                "class", "source", "sent", "delivered", "lost", "twice", "out of order"));
        for (MeshPeer c : clients) {
            for (Deliveries d : c.deliveries()) {
                for (Deliveries.Stream s : d.streams()) {
                    out.append(String.format("%-10s %-6s %-12s %9d %9d %7d %7d %12d%n", c.id(), d.trafficClass(),
                            s.source(), s.sent(), s.distinct(), s.lost(), s.deliveredTwice(), s.outOfOrder()));
                }
            }
        }
        return out.toString();
    }

    @Descriptor("the fault-tolerance strategy in use on each peer of this runtime, and its pending store")
    public String ft() {
        StringBuilder out = new StringBuilder(String.format("%-14s %-7s %-9s %7s %10s %9s %12s %10s %8s %9s %7s %7s %7s %6s%n",
                "peer", "role", "strategy", "held", "held B", "replicas", "replica B", "acked", "resent", "takenover",
                "refused", "expired", "dropped", "rto ms"));
        for (MeshPeer p : sorted()) {
            FtCounters f = p.ft();
            out.append(String.format("%-14s %-7s %-9s %7d %10d %9d %12d %10d %8d %9d %7d %7d %7d %6d%n", p.id(),
                    p.role().name().toLowerCase(Locale.ROOT), f.strategy(), f.held(), f.heldBytes(), f.replicaMessages(),
                    f.replicaBytes(), f.acknowledged(), f.resent(), f.takenOver(), f.notHeld(), f.expired(),
                    f.droppedAtSource(), f.retransmitTimeoutMs()));
        }
        out.append("strategies here: ").append(String.join(", ", available()));
        return out.toString();
    }

    @Descriptor("swap the fault-tolerance strategy of this runtime's super-peers, or with --mesh of every peer of the mesh")
    public String ft(CommandSession session, @Descriptor("every peer of the mesh, through the tree") @Parameter(
            names = "--mesh", presentValue = "true", absentValue = "false") boolean mesh,
            @Descriptor("active, passive or hybrid") String name) throws Exception {
        return audited(session, "ft " + (mesh ? "--mesh " : "") + name, () -> swap(mesh, name));
    }

    private String swap(boolean mesh, String name) {
        if (!available().contains(name)) {
            throw new IllegalArgumentException("no FT strategy " + name + " in this runtime; there are: "
                    + String.join(", ", available()));
        }
        List<MeshPeer> here = sorted();
        if (here.isEmpty()) {
            throw new IllegalStateException("no peer runs in this runtime");
        }
        if (mesh) {
            // the order travels from a bound peer: a crashed or departed one has no loop to send it
            MeshPeer from = here.stream().filter(p -> p.state() == PeerState.BOUND).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no bound peer in this runtime to send the order"));
            from.useFtStrategyEverywhere(name);
            return "every peer of the mesh told to use " + name + " (from " + from.id() + ")";
        }
        for (MeshPeer p : here) {
            p.useFtStrategy(name);
        }
        return here.size() + " peers use " + name;
    }

    private List<String> available() {
        List<String> names = new ArrayList<>();
        for (FtStrategy s : strategies) {
            names.add(s.name());
        }
        names.sort(null);
        return names;
    }

    @Descriptor("crash a peer: no goodbye on any link or group")
    public String crash(CommandSession session, @Descriptor("peer id") String peer) throws Exception {
        return audited(session, "crash " + peer, () -> {
            find(peer).crash();
            return peer + " crashed";
        });
    }

    @Descriptor("crash every peer of this runtime in one cell")
    public String crashcell(CommandSession session, @Descriptor("cell id, e.g. 011") String cell) throws Exception {
        return audited(session, "crashcell " + cell, () -> crashCell(cell));
    }

    private String crashCell(String cell) {
        List<String> crashed = new ArrayList<>();
        for (MeshPeer p : sorted()) {
            if (p.role() == PeerRole.SUPER && p.cell() != null && p.cell().toString().equals(cell)
                    && p.state() != PeerState.CRASHED) {
                p.crash();
                crashed.add(p.id());
            }
        }
        if (crashed.isEmpty()) {
            throw new IllegalArgumentException("no live super-peer of cell " + cell + " in this runtime");
        }
        return "crashed " + crashed;
    }

    @Descriptor("make a peer leave gracefully")
    public String leave(CommandSession session, @Descriptor("peer id") String peer) throws Exception {
        return audited(session, "leave " + peer, () -> {
            find(peer).leave();
            return peer + " left";
        });
    }

    @Descriptor("the traffic classes of this runtime: their bundles, loaded or not")
    public String classes() {
        StringBuilder out = new StringBuilder(String.format("%-8s %7s %-10s %s%n", "class", "bundle", "version", "loaded"));
        for (TrafficBundles.TrafficBundle b : TrafficBundles.list(context)) {
            out.append(String.format("%-8s %7d %-10s %s%n", b.trafficClass(), b.bundleId(), b.version(),
                    b.loaded() ? "yes" : "no"));
        }
        return out.toString();
    }

    @Descriptor("load a traffic class: start its bundle p3.service.CLASS; its links and sources come back")
    public String load(CommandSession session, @Descriptor("audio, video or event") String trafficClass)
            throws Exception {
        return audited(session, "load " + trafficClass, () -> TrafficBundles.set(context, trafficClass, true));
    }

    @Descriptor("unload a traffic class: stop its bundle p3.service.CLASS; the other classes go on")
    public String unload(CommandSession session, @Descriptor("audio, video or event") String trafficClass)
            throws Exception {
        return audited(session, "unload " + trafficClass, () -> TrafficBundles.set(context, trafficClass, false));
    }

    private MeshPeer find(String peer) {
        for (MeshPeer p : sorted()) {
            if (p.id().equals(peer)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no peer " + peer + " in this runtime");
    }

    /** The peers of this role here. @throws IllegalStateException when there is none */
    private List<MeshPeer> here(PeerRole role) {
        List<MeshPeer> out = new ArrayList<>();
        for (MeshPeer p : sorted()) {
            if (p.role() == role) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no " + role.name().toLowerCase(Locale.ROOT) + " peer runs in this runtime");
        }
        return out;
    }

    private List<MeshPeer> sorted() {
        List<MeshPeer> copy = new ArrayList<>(peers);
        copy.sort((a, b) -> a.id().compareTo(b.id()));
        return copy;
    }
}
