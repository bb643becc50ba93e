package p3.mesh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.spi.FtStrategy;

/** Gogo commands of scope {@code p3}: the tree, the peers, their links and failures, and fault injection. */
@Component(service = MeshCommands.class, property = { "osgi.command.scope=p3", "osgi.command.function=tree",
        "osgi.command.function=peers", "osgi.command.function=links", "osgi.command.function=failures",
        "osgi.command.function=crash", "osgi.command.function=crashcell", "osgi.command.function=leave",
        "osgi.command.function=stats", "osgi.command.function=ft" })
public final class MeshCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<MeshPeer> peers;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<FtStrategy> strategies;

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

    @Descriptor("the peers of this runtime with role, cell, state and parent")
    public String peers() {
        StringBuilder out = new StringBuilder(String.format("%-14s %-7s %-6s %-10s %s%n", "peer", "role", "cell",
                "state", "parents"));
        for (MeshPeer p : sorted()) {
            out.append(String.format("%-14s %-7s %-6s %-10s %s%n", p.id(), p.role().name().toLowerCase(Locale.ROOT),
                    p.cell(), p.state(), String.join(",", p.parents())));
        }
        return out.toString();
    }

    @Descriptor("the links of one peer")
    public String links(@Descriptor("peer id") String peer) {
        return String.join("\n", find(peer).links());
    }

    @Descriptor("the failures one peer saw, with detection and rebind")
    public String failures(@Descriptor("peer id") String peer) {
        StringBuilder out = new StringBuilder();
        for (FailureRecord f : find(peer).failures()) {
            out.append(String.format("%s saw %s fail (%s), rebind %s %.1f ms%n", f.observer(), f.failed(), f.how(),
                    f.rebind() == null ? "none" : f.rebind(), f.rebindMillis()));
        }
        return out.toString();
    }

    @Descriptor("statistics: per class at each client, mesh overhead, CPU and heap")
    public String stats(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true",
            absentValue = "false") boolean json) {
        StatsReport report = new StatsReport(sorted());
        return json ? report.json() : report.table();
    }

    @Descriptor("the fault-tolerance strategy in use on each peer of this runtime, and its pending store")
    public String ft() {
        StringBuilder out = new StringBuilder(String.format("%-14s %-7s %-9s %7s %9s %12s %10s %8s %9s%n", "peer",
                "role", "strategy", "held", "replicas", "replica B", "acked", "resent", "takenover"));
        for (MeshPeer p : sorted()) {
            FtCounters f = p.ft();
            out.append(String.format("%-14s %-7s %-9s %7d %9d %12d %10d %8d %9d%n", p.id(),
                    p.role().name().toLowerCase(Locale.ROOT), f.strategy(), f.held(), f.replicaMessages(),
                    f.replicaBytes(), f.acknowledged(), f.resent(), f.takenOver()));
        }
        out.append("strategies here: ").append(String.join(", ", available()));
        return out.toString();
    }

    @Descriptor("swap the fault-tolerance strategy of this runtime's super-peers, or with --mesh of every peer of the mesh")
    public String ft(@Descriptor("every peer of the mesh, through the tree") @Parameter(names = "--mesh",
            presentValue = "true", absentValue = "false") boolean mesh,
            @Descriptor("active, passive or hybrid") String name) {
        if (!available().contains(name)) {
            throw new IllegalArgumentException("no FT strategy " + name + " in this runtime; there are: "
                    + String.join(", ", available()));
        }
        List<MeshPeer> here = sorted();
        if (here.isEmpty()) {
            throw new IllegalStateException("no peer runs in this runtime");
        }
        if (mesh) {
            here.get(0).useFtStrategyEverywhere(name);
            return "every peer of the mesh told to use " + name;
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
    public String crash(@Descriptor("peer id") String peer) {
        find(peer).crash();
        return peer + " crashed";
    }

    @Descriptor("crash every peer of this runtime in one cell")
    public String crashcell(@Descriptor("cell id, e.g. 011") String cell) {
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
    public String leave(@Descriptor("peer id") String peer) {
        find(peer).leave();
        return peer + " left";
    }

    private MeshPeer find(String peer) {
        for (MeshPeer p : sorted()) {
            if (p.id().equals(peer)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no peer " + peer + " in this runtime");
    }

    private List<MeshPeer> sorted() {
        List<MeshPeer> copy = new ArrayList<>(peers);
        copy.sort((a, b) -> a.id().compareTo(b.id()));
        return copy;
    }
}
