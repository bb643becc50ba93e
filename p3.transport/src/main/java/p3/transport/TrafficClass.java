package p3.transport;

/**
 * The traffic classes of the mesh. Each travels on connections of its own, so that a class never
 * queues behind another (report, section III-B-2). The code is the byte on the wire.
 */
public enum TrafficClass {
    MESH(0), AUDIO(1), VIDEO(2), EVENT(3);

    private static final TrafficClass[] BY_CODE = values();

    private final int code;

    TrafficClass(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the class of that wire code, or {@code null} when the code is unknown */
    public static TrafficClass ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Lower-case name, as used in configuration and reports. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
