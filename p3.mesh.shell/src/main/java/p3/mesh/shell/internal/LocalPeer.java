package p3.mesh.shell.internal;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import p3.mesh.MeshPeer;
import p3.mesh.PeerIds;
import p3.mesh.PeerRole;

/**
 * The one peer of a runtime started with {@code p3.local.mesh=peer}, read from framework
 * properties: the bench's {@code process} isolation starts one runtime per peer this way. Checked
 * once; a bad value fails with a message naming its property.
 *
 * @param id             {@value #ID}, required
 * @param role           {@value #ROLE}: super, sensor or client; required
 * @param mesh           {@value #MESH}: the same for every runtime of one mesh, unique per mesh; required
 * @param discoveryPort  {@value #DISCOVERY_PORT}: discovery base port, the same for the whole mesh; required
 * @param membershipPort {@value #MEMBERSHIP_PORT}: membership base port, the same for the whole mesh; required
 * @param ftStrategy     {@value #FT_STRATEGY}: the strategy a super-peer prefers; empty for the
 *                       peer configuration's default
 * @param sensorMemory   {@value #SENSOR_MEMORY}: true or false; default true
 * @param span           {@value #SPAN}: children per cell, 1..9; default 2
 * @param depth          {@value #DEPTH}: levels below the root, 0..31; default 2
 * @param superPeersPerCell {@value #SUPER_PEERS_PER_CELL}: by depth from the root, e.g. {@code 2} or
 *                       {@code 3,2}; default 2
 * @param sensorsPerCell {@value #SENSORS_PER_CELL}: default 2
 */
public record LocalPeer(String id, PeerRole role, String mesh, int discoveryPort, int membershipPort,
        String ftStrategy, boolean sensorMemory, int span, int depth, String superPeersPerCell, int sensorsPerCell) {

    public static final String ID = "p3.local.peer.id";
    public static final String ROLE = "p3.local.peer.role";
    public static final String MESH = "p3.local.peer.mesh";
    public static final String DISCOVERY_PORT = "p3.local.peer.discoveryPort";
    public static final String MEMBERSHIP_PORT = "p3.local.peer.membershipPort";
    public static final String FT_STRATEGY = "p3.local.peer.ftStrategy";
    public static final String SENSOR_MEMORY = "p3.local.peer.sensorMemory";
    public static final String SPAN = "p3.local.peer.span";
    public static final String DEPTH = "p3.local.peer.depth";
    public static final String SUPER_PEERS_PER_CELL = "p3.local.peer.superPeersPerCell";
    public static final String SENSORS_PER_CELL = "p3.local.peer.sensorsPerCell";

    public LocalPeer {
        try {
            PeerIds.check(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ID + ": " + e.getMessage());
        }
        if (role == null) {
            throw new IllegalArgumentException(ROLE + " must be super, sensor or client");
        }
        if (mesh == null || !mesh.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException(MESH + " must be 1 to 64 letters, digits, - _ . : " + mesh);
        }
        port(DISCOVERY_PORT, discoveryPort);
        port(MEMBERSHIP_PORT, membershipPort);
        if (ftStrategy == null || !ftStrategy.matches("[a-z0-9_.-]{0,32}")) {
            throw new IllegalArgumentException(FT_STRATEGY + " must name a strategy (active, passive, hybrid): "
                    + ftStrategy);
        }
        if (span < 1 || span > 9) {
            throw new IllegalArgumentException(SPAN + " must be within 1..9: " + span);
        }
        if (depth < 0 || depth > 31) {
            throw new IllegalArgumentException(DEPTH + " must be within 0..31: " + depth);
        }
        if (superPeersPerCell == null || !superPeersPerCell.matches("[1-9][0-9]*(,[1-9][0-9]*)*")) {
            throw new IllegalArgumentException(SUPER_PEERS_PER_CELL
                    + " must be positive counts by depth, comma-separated (e.g. 2 or 3,2): " + superPeersPerCell);
        }
        if (sensorsPerCell < 0) {
            throw new IllegalArgumentException(SENSORS_PER_CELL + " must not be negative: " + sensorsPerCell);
        }
    }

    /** Reads the framework properties. @throws IllegalArgumentException naming the property at fault */
    public static LocalPeer of(Function<String, String> properties) {
        return new LocalPeer(required(properties, ID), role(required(properties, ROLE)), required(properties, MESH),
                integer(properties, DISCOVERY_PORT, null), integer(properties, MEMBERSHIP_PORT, null),
                optional(properties, FT_STRATEGY, "").toLowerCase(Locale.ROOT),
                bool(properties, SENSOR_MEMORY, true), integer(properties, SPAN, 2), integer(properties, DEPTH, 2),
                optional(properties, SUPER_PEERS_PER_CELL, "2").replace(" ", ""),
                integer(properties, SENSORS_PER_CELL, 2));
    }

    /** The framework properties that {@link #of(Function)} reads back as this peer. */
    public Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ID, id);
        out.put(ROLE, role.name().toLowerCase(Locale.ROOT));
        out.put(MESH, mesh);
        out.put(DISCOVERY_PORT, Integer.toString(discoveryPort));
        out.put(MEMBERSHIP_PORT, Integer.toString(membershipPort));
        out.put(FT_STRATEGY, ftStrategy);
        out.put(SENSOR_MEMORY, Boolean.toString(sensorMemory));
        out.put(SPAN, Integer.toString(span));
        out.put(DEPTH, Integer.toString(depth));
        out.put(SUPER_PEERS_PER_CELL, superPeersPerCell);
        out.put(SENSORS_PER_CELL, Integer.toString(sensorsPerCell));
        return out;
    }

    /** Its factory configuration of PID {@value MeshPeer#FACTORY_PID}: attribute names of the peer's configuration. */
    Hashtable<String, Object> configuration() {
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("peerId", id);
        c.put("role", role.name().toLowerCase(Locale.ROOT));
        c.put("mesh", mesh);
        c.put("discoveryPort", discoveryPort);
        c.put("membershipPort", membershipPort);
        if (!ftStrategy.isEmpty()) {
            c.put("ftStrategy", ftStrategy);
        }
        c.put("sensorMemory", sensorMemory);
        c.put("span", span);
        c.put("depth", depth);
        c.put("superPeersPerCell", superPeersPerCell);
        c.put("sensorsPerCell", sensorsPerCell);
        return c;
    }

    private static String required(Function<String, String> properties, String name) {
        String v = properties.apply(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required when p3.local.mesh is peer");
        }
        return v.trim();
    }

    private static String optional(Function<String, String> properties, String name, String absent) {
        String v = properties.apply(name);
        return v == null || v.isBlank() ? absent : v.trim();
    }

    private static PeerRole role(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
        case "super" -> PeerRole.SUPER;
        case "sensor" -> PeerRole.SENSOR;
        case "client" -> PeerRole.CLIENT;
        default -> throw new IllegalArgumentException(ROLE + " must be super, sensor or client: " + value);
        };
    }

    /** @param absent null: the property is required */
    private static int integer(Function<String, String> properties, String name, Integer absent) {
        String v = absent == null ? required(properties, name) : optional(properties, name, absent.toString());
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + v);
        }
    }

    private static boolean bool(Function<String, String> properties, String name, boolean absent) {
        String v = optional(properties, name, Boolean.toString(absent)).toLowerCase(Locale.ROOT);
        return switch (v) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException(name + " must be true or false: " + v);
        };
    }

    private static void port(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be within 1..65535: " + port);
        }
    }
}
