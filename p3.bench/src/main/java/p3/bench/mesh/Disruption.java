package p3.bench.mesh;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kinds of fault a campaign injects. A kill is {@code kill -9}, and its victims start again
 * under the same PeerId a while later; the others are healed after a while. Process isolation
 * shares loopback, so only kills and hangs apply there; the netns lab applies all.
 */
public enum Disruption {
    /** One super-peer below the root cell, on a path. */
    KILL_PEER("kill-peer", true),
    /** Every super-peer of one cell below the root cell. */
    KILL_CELL("kill-cell", true),
    /** One super-peer of the root cell, on a path. */
    KILL_ROOT("kill-root", true),
    /** SIGSTOP, then SIGCONT: the peer's sockets stay open and nothing answers. */
    HANG("hang", true),
    /** The host's interface down, then up. */
    CUT("cut", false),
    /** iptables DROP both ways between a super-peer and its parent. */
    PARTITION("partition", false),
    /** iptables drops 1 to 10% of what a host receives and sends. */
    LOSS("loss", false);

    private final String label;
    private final boolean onLoopback;

    Disruption(String label, boolean onLoopback) {
        this.label = label;
        this.onLoopback = onLoopback;
    }

    @JsonValue
    public String label() {
        return label;
    }

    public boolean kill() {
        return this == KILL_PEER || this == KILL_CELL || this == KILL_ROOT;
    }

    /** The kinds that {@code isolation} can inject. */
    static List<Disruption> applicable(String isolation) {
        return switch (isolation) {
        case "process" -> List.of(values()).stream().filter(d -> d.onLoopback).toList();
        case "netns" -> List.of(values());
        default -> throw new IllegalArgumentException("a campaign needs --isolation process or netns, not " + isolation);
        };
    }
}
