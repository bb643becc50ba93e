package p3.security;

import java.util.Locale;

/**
 * What a certificate allows its peer to be. A peer's role is fixed by its certificate: a sensor's
 * cannot bind as a super-peer, subscribe as a client or steer the mesh.
 */
public enum Role {
    /** A super-peer: joins cells, serves children, forwards traffic and orders. */
    SUPER,
    /** A sensor-peer: produces traffic, binds to a super-peer of its cell. */
    SENSOR,
    /** A client-peer: subscribes to sensors and may steer the mesh. */
    CLIENT,
    /** An operator's tool: may steer the mesh, carries no traffic. */
    OPERATOR;

    /** How the role is written in certificates and configuration: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether orders that steer the whole mesh (a strategy swap that travels the tree) are obeyed from it. */
    public boolean maySteer() {
        return this == CLIENT || this == OPERATOR;
    }

    /** Parses a {@link #label()}, in any case. */
    public static Role parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("role must be super, sensor, client or operator: " + value);
        }
    }
}
