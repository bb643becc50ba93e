package p3.bench.mesh;

import com.fasterxml.jackson.annotation.JsonValue;

/** What one fault takes down: a single super-peer, or a whole cell at once. */
public enum FaultKind {
    PEER("peer"),
    CELL("cell");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    /** {@code peer} or {@code cell}, as results.json spells it. */
    @JsonValue
    public String label() {
        return label;
    }
}
