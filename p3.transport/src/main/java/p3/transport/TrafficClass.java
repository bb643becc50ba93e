package p3.transport;

/**
 * The traffic classes of the mesh. Each travels on connections of its own, so that a class never
 * queues behind another (report, section III-B-2). The code is the byte on the wire.
 */
public enum TrafficClass {
    // DSCP per class (RFC 4594): network control CS6, telephony EF, video AF41, low-latency data AF21
    MESH(0, 0xC0), AUDIO(1, 0xB8), VIDEO(2, 0x88), EVENT(3, 0x48);

    private static final TrafficClass[] BY_CODE = values();

    private final int code;
    private final int ipTos;

    TrafficClass(int code, int ipTos) {
        this.code = code;
        this.ipTos = ipTos;
    }

    /**
     * The IP traffic-class byte the links of this class carry, so that routers that honour DSCP
     * queue the mesh's control ahead of audio, audio ahead of video, and video ahead of events.
     */
    public int ipTos() {
        return ipTos;
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
