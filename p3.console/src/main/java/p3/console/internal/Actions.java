package p3.console.internal;

import java.util.List;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.mesh.audit.AuditLog;
import p3.report.base.TrafficBundles;

/**
 * What the console's operator may do to the mesh, each written to the audit log with its outcome:
 * {@code {"action":"crash"|"leave", "peer"}}, {@code {"action":"ft", "strategy", "scope":"runtime"|"mesh"}},
 * {@code {"action":"load"|"unload", "class"}}. The caller has checked the operator's token.
 */
final class Actions {

    private final Supplier<List<MeshPeer>> peers;
    private final Supplier<List<String>> strategies;
    private final BundleContext context;
    private final AuditLog audit;
    private final ConsoleCounters counters;

    Actions(Supplier<List<MeshPeer>> peers, Supplier<List<String>> strategies, BundleContext context, AuditLog audit,
            ConsoleCounters counters) {
        this.peers = peers;
        this.strategies = strategies;
        this.context = context;
        this.audit = audit;
        this.counters = counters;
    }

    /** A request without the operator's token: written to the audit log and counted. */
    void refused(String who, String what) {
        counters.actionsRefused.incrementAndGet();
        audit.record(who, what, "refused: no or a wrong operator token");
    }

    /**
     * Does what the request asks, written to the audit log with its outcome.
     *
     * @return what was done, in a few words
     * @throws IllegalArgumentException for a request that names no action, peer, strategy or class there is
     */
    String run(String who, JsonNode request) throws Exception {
        String what = describe(request);
        try {
            String done = act(request);
            counters.actionsOk.incrementAndGet();
            audit.record(who, what, "ok");
            return done;
        } catch (Exception e) {
            counters.actionsFailed.incrementAndGet();
            audit.record(who, what, "failed: " + e.getMessage());
            throw e;
        }
    }

    /** The action in the shell's words, e.g. {@code crash sp03}, {@code ft --mesh passive}. */
    static String describe(JsonNode r) {
        String action = text(r, "action");
        return switch (action) {
        case "crash", "leave" -> action + " " + text(r, "peer");
        case "ft" -> "ft " + ("mesh".equals(text(r, "scope")) ? "--mesh " : "") + text(r, "strategy");
        case "load", "unload" -> action + " " + text(r, "class");
        default -> action;
        };
    }

    private String act(JsonNode r) throws Exception {
        String action = text(r, "action");
        switch (action) {
        case "crash" -> {
            find(text(r, "peer")).crash();
            return text(r, "peer") + " crashed";
        }
        case "leave" -> {
            find(text(r, "peer")).leave();
            return text(r, "peer") + " left";
        }
        case "ft" -> {
            return swap(text(r, "strategy"), "mesh".equals(text(r, "scope")));
        }
        case "load", "unload" -> {
            return TrafficBundles.set(context, text(r, "class"), action.equals("load"));
        }
        default -> throw new IllegalArgumentException("no action '" + action
                + "'; there are crash, leave, ft, load, unload");
        }
    }

    private String swap(String name, boolean mesh) {
        List<String> there = strategies.get();
        if (!there.contains(name)) {
            throw new IllegalArgumentException("no FT strategy " + name + " in this runtime; there are: "
                    + String.join(", ", there));
        }
        List<MeshPeer> here = peers.get();
        if (mesh) {
            MeshPeer from = here.stream().filter(p -> p.state() == PeerState.BOUND).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no bound peer in this runtime to send the order"));
            from.useFtStrategyEverywhere(name);
            return "every peer of the mesh told to use " + name + " (from " + from.id() + ")";
        }
        if (here.isEmpty()) {
            throw new IllegalStateException("no peer runs in this runtime");
        }
        for (MeshPeer p : here) {
            p.useFtStrategy(name);
        }
        return here.size() + " peers use " + name;
    }

    private MeshPeer find(String id) {
        for (MeshPeer p : peers.get()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no peer " + id + " in this runtime");
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r == null ? null : r.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            return "";
        }
        String s = v.asText().strip();
        // what goes to the audit log stays one short line
        return s.length() > 64 ? s.substring(0, 64) : s.replaceAll("[\\r\\n\\t]", " ");
    }
}
